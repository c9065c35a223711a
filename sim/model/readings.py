"""How a reader reads an act, computed from Figure 1 of Kanet & Larivé (2012).

An act engages Figure 1 entries (``sim/data/catalog/tags.csv``). A reader
reads it with **its own column** of the figure and **its lens**:

1. Every engaged entry of the reader's own column contributes by its row:
   a zone of tension −``fig_tension``; the other acting in one of the reader's
   own areas of action −``fig_area``; a possible area of cooperation
   +``fig_cooperation`` (an entry printed with a question mark gets a weight
   drawn per run, uniform in [0, 1], times ``fig_cooperation``); a perceived
   outside threat addressed +``fig_threat``; the reader's own strategy for
   action served +``fig_strategy``; its strategy to increase cooperation served
   +``fig_increase``. A tag with sign −1 (the act undoes or withdraws what the
   entry names) flips the contribution.
2. The reader's "perception of the other" entries are its lens
   (``lenses.csv``): *zero-sum* counts the other's gains with third parties as
   its own losses (−``lens_gain`` per engaged gain entry of the other), *military
   bloc* takes the other's military steps as aimed at itself (−``lens_bloc``),
   *defence structure* takes the other's action beyond its area as overreach
   (−``lens_reach``); *Cold War mentality* doubles and *non-zero-sum* removes the
   discount ``lens_discount`` of the other's cooperative offers; *declining power*
   weighs the other's objections less in the reader's own decisions
   (``lens_declining``). ``[figure1] swap_lenses`` gives each side the other's row.
3. The sum is scaled by the act's magnitude, and its hostile terms by the
   reader's exposure (the alliance and its members 1, an aspirant 1.5, the
   state targeted 2: those in Russia's shadow take its hostility harder).

Nothing else makes a reading, except the explicit overrides of
``overrides.csv`` (hand-set, each with its reason). Dropping an entry
(``[figure1] drop``) removes exactly the terms that rest on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from sim.data import perception, tables
from sim.data.perception import Catalog

__all__ = [
    "COMPONENTS",
    "EXPOSURE",
    "Figure1Spec",
    "Rule",
    "Term",
    "addressee_tone",
    "component_weights",
    "derived_rules",
    "discount_level",
    "has_declining",
    "readers_of",
    "terms",
    "tone",
    "used_entries",
    "valence",
]

#: Figure 1 row -> (component, sign) for an entry of the reader's own column.
ROWS: dict[str, tuple[str, int]] = {
    "zones_of_tension": ("tension", -1),
    "areas_of_action": ("area", -1),
    "possible_areas_of_cooperation": ("cooperation", 1),
    "perceived_outside_threats": ("threat", 1),
    "strategy_for_action": ("strategy", 1),
    "strategy_to_increase_cooperation": ("increase", 1),
}
#: Lens mechanisms that add terms (the others act on discounts and decisions).
LENS_TERMS = ("gain", "bloc", "reach")
#: Components and the parameter that weighs each (question-marked entries: see
#: :func:`component_weights`).
COMPONENTS: dict[str, str] = {
    "tension": "fig_tension",
    "area": "fig_area",
    "cooperation": "fig_cooperation",
    "threat": "fig_threat",
    "strategy": "fig_strategy",
    "increase": "fig_increase",
    "gain": "lens_gain",
    "bloc": "lens_bloc",
    "reach": "lens_reach",
    "override": "",
    "alliance": "",
}
#: The Figure 1 column each reader reads with.
COLUMN = {"RUS": "RUS", "NATO": "NATO", "MEMBERS": "NATO", "ASPIRANT": "NATO", "TARGET": "NATO"}
#: How strongly each reader takes an act aimed at its side (hand-set, documented in ODD).
EXPOSURE = {"RUS": 1.0, "NATO": 1.0, "MEMBERS": 1.0, "ASPIRANT": 1.5, "TARGET": 2.0}


@dataclass(frozen=True)
class Figure1Spec:
    """A scenario's changes to Figure 1: entries dropped, lenses swapped."""

    drop: frozenset[str] = frozenset()
    swap_lenses: bool = False


@dataclass(frozen=True)
class Term:
    """One contribution to a reading, at unit weight of its component."""

    component: str  # a key of COMPONENTS, or "q:<entry id>" for a question-marked entry
    value: float
    entry: str


@dataclass(frozen=True)
class Rule:
    """A derived reading (at the default weights), for display and traceability."""

    action: str
    actor_side: str
    reader: str
    valence: float
    figure1: tuple[str, ...]
    why: str
    target: str = ""  # "" for the act aimed at no particular target


@cache
def _entries() -> dict[str, tables.Figure1Entry]:
    return {e.id: e for e in tables.figure1()}


def readers_of(side: str) -> tuple[str, ...]:
    """Who reads an act of one side."""
    return ("RUS",) if side in ("west", "aspirant") else ("NATO", "MEMBERS", "ASPIRANT", "TARGET")


def lens_entries(reader: str, spec: Figure1Spec, cat: Catalog) -> dict[str, perception.Lens]:
    """The reader's lens: mechanism -> lens entry (after swap and drop)."""
    column = COLUMN[reader]
    if spec.swap_lenses:
        column = "NATO" if column == "RUS" else "RUS"
    ents = _entries()
    return {
        lens.mechanism: lens
        for lens in cat.lenses
        if lens.entry not in spec.drop and ents[lens.entry].side == column
    }


def discount_level(reader: str, spec: Figure1Spec, cat: Catalog) -> int:
    """Multiple of ``lens_discount`` by which the reader discounts the other's offers."""
    lens = lens_entries(reader, spec, cat)
    return 1 + ("suspicion" in lens) - ("face_value" in lens)


def has_declining(reader: str, spec: Figure1Spec, cat: Catalog) -> bool:
    """Whether the reader (as a chooser) weighs the other's objections less."""
    return "declining" in lens_entries(reader, spec, cat)


def terms(
    action: str,
    side: str,
    targets: Iterable[str],
    reader: str,
    cat: Catalog,
    spec: Figure1Spec = Figure1Spec(),
) -> list[Term]:
    """The terms of one reader's reading of one act (magnitude and exposure applied)."""
    act = cat.actions[action]
    tgt = set(targets)
    ents = _entries()
    column = COLUMN[reader]
    lens = lens_entries(reader, spec, cat)
    scale = act.magnitude
    out: list[Term] = []
    for tag in cat.tags:
        if tag.action != action or tag.side != side or tag.entry in spec.drop:
            continue
        if (tag.target and tag.target not in tgt) or (tag.reader and tag.reader != reader):
            continue
        entry = ents[tag.entry]
        if entry.side == column:
            comp, sign = ROWS[entry.row]
            if entry.question:
                comp = f"q:{entry.id}"
            out.append(Term(comp, sign * tag.sign * scale, entry.id))
            continue
        for mech in LENS_TERMS:
            if mech in lens and tag.entry in lens[mech].acts_on:
                out.append(Term(mech, -tag.sign * scale, f"{lens[mech].entry}>{entry.id}"))
    for o in cat.overrides:
        if (o.action, o.side, o.reader) == (action, side, reader) and o.entry not in spec.drop:
            out.append(Term("override", o.value * scale, o.entry))
    # a state exposed to the act (an aspirant, the state hit) takes its hostility harder
    expo = EXPOSURE[reader]
    return [Term(t.component, t.value * expo, t.entry) if t.value < 0 else t for t in out]


def component_weights(params: Mapping[str, float], question: float = 0.5) -> dict[str, float]:
    """Weight of each component for given parameter values (question marks at ``question``)."""
    w = {c: (float(params[p]) if p else 1.0) for c, p in COMPONENTS.items()}
    for e in tables.figure1():
        if e.question:
            w[f"q:{e.id}"] = float(params["fig_cooperation"]) * question
    return w


def valence(ts: Sequence[Term], weights: Mapping[str, float]) -> float:
    """A reading's value: the weighted sum of its terms."""
    return float(sum(t.value * weights[t.component] for t in ts))


def derived_rules(
    params: Mapping[str, float] | None = None,
    cat: Catalog | None = None,
    spec: Figure1Spec = Figure1Spec(),
) -> tuple[Rule, ...]:
    """Every reading as a rule, per unit magnitude, for display and traceability.

    One rule per action, acting side and reader, and one more for each target
    that has tags of its own.
    """
    from sim.model.params import DEFAULTS

    cat = cat or perception.catalog()
    w = component_weights(params or DEFAULTS)
    out = []
    sides = {(t.action, t.side) for t in cat.tags} | {(o.action, o.side) for o in cat.overrides}
    for action, side in sorted(sides):
        mag = cat.actions[action].magnitude
        own = sorted({t.target for t in cat.tags if t.action == action and t.side == side} - {""})
        for target in ("", *own):
            for reader in readers_of(side):
                ts = terms(action, side, (target,) if target else (), reader, cat, spec)
                if not ts:
                    continue
                why = "; ".join(
                    t.why
                    for t in cat.tags
                    if t.action == action and t.side == side and t.target in ("", target)
                )
                ids = tuple(dict.fromkeys(x for t in ts for x in t.entry.split(">")))
                out.append(Rule(action, side, reader, valence(ts, w) / mag, ids, why, target))
    return tuple(out)


def tone(action: str, actor: str, cat: Catalog | None = None) -> int:
    """How the other side reads an act at the default weights: −1, +1 or 0.

    The sign of the mean reading over the other side's readers, with the act's
    target-independent tags.
    """
    from sim.model.params import DEFAULTS

    cat = cat or perception.catalog()
    side = tables.actor_side(actor, action)
    w = component_weights(DEFAULTS)
    vals = [valence(terms(action, side, (), r, cat), w) for r in readers_of(side)]
    vals = [v for v in vals if v != 0.0]
    if not vals:
        return 0
    mean = sum(vals) / len(vals)
    return (mean > 0) - (mean < 0)


def addressee_tone(
    action: str,
    actor: str,
    targets: Sequence[str],
    states: Iterable[str],
    cat: Catalog | None = None,
    spec: Figure1Spec = Figure1Spec(),
) -> int:
    """How the side an act is addressed to reads it, at the default weights: −1, +1 or 0.

    The West's and the aspirants' acts are addressed to Russia; Russia's to the
    state it targets (if it targets one), else to the alliance.
    """
    from sim.model.params import DEFAULTS

    cat = cat or perception.catalog()
    side = tables.actor_side(actor, action)
    if side in ("west", "aspirant"):
        reader = "RUS"
    else:
        reader = "TARGET" if set(targets) & set(states) else "NATO"
    v = valence(terms(action, side, targets, reader, cat, spec), component_weights(DEFAULTS))
    return (v > 0) - (v < 0)


def used_entries(cat: Catalog | None = None, spec: Figure1Spec = Figure1Spec()) -> set[str]:
    """Entries that contribute to some reading, discount or decision under ``spec``."""
    cat = cat or perception.catalog()
    used: set[str] = set()
    for t in cat.tags:
        for reader in readers_of(t.side):
            targets = (t.target,) if t.target else ()
            for term in terms(t.action, t.side, targets, reader, cat, spec):
                used.update(term.entry.split(">"))
    for reader in ("RUS", "NATO"):
        for lens in lens_entries(reader, spec, cat).values():
            if lens.mechanism in ("suspicion", "face_value", "declining"):
                used.add(lens.entry)
    return used
