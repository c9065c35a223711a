"""Figure 1 traceability: how every reading follows from the article's figure, as Markdown.

:func:`traceability_markdown` builds ``docs/figure1_traceability.md`` from the
tables the model computes its readings from — ``seeds/figure1.csv``, the tags,
lenses and overrides of ``sim/data/catalog/`` — through the same functions the
model uses (:mod:`sim.model.readings`). Nothing is pasted by hand:
``tests/results/test_traceability.py`` fails when the committed page differs
from what this function gives. Regenerate with::

    uv run python -m sim.results.traceability > docs/figure1_traceability.md
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence

from sim.data import perception, tables
from sim.data.perception import Catalog, Tag
from sim.model import readings
from sim.model.params import BY_NAME, DEFAULTS
from sim.model.readings import Figure1Spec, Term
from sim.model.slots import choice_slots

__all__ = ["COMMAND", "main", "traceability_markdown"]

COMMAND = "uv run python -m sim.results.traceability > docs/figure1_traceability.md"

#: Figure 1 rows in the article's order.
ROW_ORDER = (
    "perceived_outside_threats",
    "perception_of_the_other",
    "strategy_for_action",
    "zones_of_tension",
    "areas_of_action",
    "possible_areas_of_cooperation",
    "strategy_to_increase_cooperation",
)
#: What each reading component means, in words.
COMPONENT_TEXT = {
    "tension": "a zone of tension of the reader",
    "area": "the other acting in the reader's own area of action",
    "cooperation": "a possible area of cooperation of the reader",
    "threat": "a perceived outside threat of the reader addressed",
    "strategy": "the reader's own strategy for action served",
    "increase": "the reader's own strategy to increase cooperation served",
    "gain": "zero-sum lens: the other's gain with third parties",
    "bloc": "military-bloc lens: the other's military step",
    "reach": "defence-structure lens: the other's action beyond its area",
    "override": "hand-set override",
}
#: What the lens mechanisms without terms of their own do.
MECHANISM_TEXT = {
    "gain": "adds −`lens_gain` for each gain of the other side with third parties",
    "bloc": "adds −`lens_bloc` for each military step of the other side",
    "reach": "adds −`lens_reach` for each action of the other in an area of action",
    "suspicion": "doubles the discount of the other's cooperative acts (2 × `lens_discount`)",
    "face_value": "removes the discount of the other's cooperative acts",
    "declining": "weighs the chooser's trust less (× (1 − `lens_declining`)) when it "
    "chooses acts the other reads as hostile",
}


def _num(v: float) -> str:
    s = f"{v:+.3f}"
    return s[:-1] if s.endswith("0") else s


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def _row_name(row: str) -> str:
    return row.replace("_", " ")


def _component(term: Term) -> str:
    if term.component.startswith("q:"):
        return "a possible area of cooperation printed with a question mark (weight drawn per run)"
    return COMPONENT_TEXT[term.component]


def _act(action: str, side: str, target: str = "", reader: str = "") -> str:
    out = f"`{action}` ({side}"
    out += f", target {target}" if target else ""
    out += f", reader {reader} only" if reader else ""
    return out + ")"


def _per_unit(cat: Catalog, action: str, term: Term, w: dict[str, float]) -> float:
    return term.value * w[term.component] / cat.actions[action].magnitude


def _tag_readings(tag: Tag, cat: Catalog, w: dict[str, float]) -> tuple[str, str]:
    """How each reader takes one tag: (component text, readers with values)."""
    readers = [r for r in readings.readers_of(tag.side) if not tag.reader or r == tag.reader]
    targets = (tag.target,) if tag.target else ()
    parts: dict[str, list[str]] = {}
    for reader in readers:
        for t in readings.terms(tag.action, tag.side, targets, reader, cat):
            if t.entry == tag.entry or t.entry.endswith(">" + tag.entry):
                value = _num(_per_unit(cat, tag.action, t, w))
                parts.setdefault(_component(t), []).append(f"{reader} {value}")
    if parts:
        comp = "; ".join(parts) + (" (the act works against it)" if tag.sign < 0 else "")
        return comp, "; ".join(", ".join(v) for v in parts.values())
    swap = Figure1Spec(swap_lenses=True)
    lensed = [
        r
        for r in readers
        for t in readings.terms(tag.action, tag.side, targets, r, cat, swap)
        if t.entry.endswith(">" + tag.entry)
    ]
    why = "not in the reader's column, and no lens of the reader acts on it"
    if lensed:
        why += " (it acts with `swap_lenses`)"
    return f"no term: {why}", "—"


def _section_a(cat: Catalog, w: dict[str, float]) -> list[str]:
    entries = tables.figure1()
    used = readings.used_entries(cat)
    lens_of = {lens.entry: lens.mechanism for lens in cat.lenses}
    override_of = {o.entry: o for o in cat.overrides}
    out = [
        "## A. By Figure 1 entry",
        "",
        "For every entry of `seeds/figure1.csv`, in the article's row order: which acts engage "
        "it (`tags.csv`), how each reader takes it and with what value per unit of the act's "
        "magnitude at the default weights (a question-marked entry at its expected weight 1/2), "
        "and the reason given in the tag. A reader's value already includes its exposure "
        "(aspirant × 1.5, the state targeted × 2 for hostile terms).",
        "",
        "Coverage (*engaged*: some act is tagged with the entry; *used*: it changes some "
        "reading, discount or choice at the default settings, whatever the scenario):",
        "",
    ]
    rows = []
    for row in ROW_ORDER:
        for side in ("NATO", "RUS"):
            ids = [e.id for e in entries if e.row == row and e.side == side]
            engaged = [i for i in ids if any(t.entry == i for t in cat.tags)]
            idle = [f"`{i}`" for i in ids if i not in used]
            rows.append(
                [
                    _row_name(row),
                    side,
                    str(len(ids)),
                    str(len(engaged)),
                    str(sum(i in used for i in ids)),
                    ", ".join(idle) or "—",
                ]
            )
    out += _table(["Figure 1 row", "side", "entries", "engaged", "used", "not used"], rows)
    for row in ROW_ORDER:
        out += ["", f"### {_row_name(row).capitalize()}", ""]
        rows = []
        for e in (x for x in entries if x.row == row):
            label = f"{e.label}" + (" (?)" if e.question else "")
            tags = [t for t in cat.tags if t.entry == e.id]
            if e.id in lens_of:
                mech = lens_of[e.id]
                rows.append(
                    [f"`{e.id}`", label, "—", f"lens `{mech}` of its holder (see C)", "—", "—"]
                )
            if e.id in override_of:
                o = override_of[e.id]
                rows.append(
                    [
                        f"`{e.id}`",
                        label,
                        _act(o.action, o.side),
                        "hand-set override (see D)",
                        f"{o.reader} {_num(o.value)}",
                        "—",
                    ]
                )
            for tag in tags:
                comp, vals = _tag_readings(tag, cat, w)
                sign = "+1" if tag.sign > 0 else "−1"
                rows.append(
                    [
                        f"`{e.id}`",
                        label,
                        _act(tag.action, tag.side, tag.target, tag.reader) + f" sign {sign}",
                        comp,
                        vals,
                        tag.why,
                    ]
                )
            if not tags and e.id not in lens_of and e.id not in override_of:
                rows.append([f"`{e.id}`", label, "—", "engaged by no act", "—", "—"])
        header = ["entry", "label", "act (side) and tag sign", "read as", "value", "why"]
        out += _table(header, rows)
    return out


def _section_b(cat: Catalog, w: dict[str, float]) -> list[str]:
    out = [
        "## B. By action",
        "",
        "Every reading the model computes (`readings.derived_rules()`), one row per action, "
        "acting side, reader and, where an act has tags of its own for a target, that target. "
        "*Reading* is per unit magnitude at the default weights; *× magnitude* is what enters "
        "the template (before the core's group weights, modifiers, discount, spill, channel, "
        "two-tier and surprise factors: ODD §7.7; a member reading a hostile act aimed at a "
        "place also gets its proximity share of it, ODD §4.1). *Terms* gives each "
        "contribution and its entry (`lens>entry` for a lens term).",
        "",
    ]
    rows = []
    for r in readings.derived_rules(DEFAULTS, cat):
        mag = cat.actions[r.action].magnitude
        ts = readings.terms(r.action, r.actor_side, (r.target,) if r.target else (), r.reader, cat)
        detail = "; ".join(
            f"`{t.entry}` {t.component.split(':')[0]} {_num(_per_unit(cat, r.action, t, w))}"
            for t in ts
        )
        rows.append(
            [
                f"`{r.action}`",
                r.actor_side,
                r.target or "any",
                r.reader,
                _num(r.valence),
                _num(r.valence * mag),
                detail,
            ]
        )
    out += _table(["action", "side", "target", "reader", "reading", "× magnitude", "terms"], rows)
    return out


def _declining_acts(cat: Catalog, chooser_is_russia: bool) -> list[str]:
    """Acts the other side reads as hostile, by chooser: as the model decides (addressee)."""
    codes = {s.code for s in tables.states()}
    acts = set()
    for o in choice_slots(tables.states(), tables.actor_codes(), 1991):
        tone = readings.addressee_tone(o.action, o.actor, o.targets, codes, cat)
        if (o.actor == tables.RUS) == chooser_is_russia and tone < 0:
            acts.add(o.action)
    return sorted(acts)


def _section_c(cat: Catalog) -> list[str]:
    ents = {e.id: e for e in tables.figure1()}
    out = [
        "## C. Lenses",
        "",
        'Each side\'s "perception of the other" entries are its lens (`lenses.csv`). A lens '
        "acts on the *other* side's entries that an act engages, on the discount of the "
        "other's cooperative acts, or on the holder's own choices. `[figure1] swap_lenses = "
        "true` gives each side the other's row; `[figure1] drop` removes a lens like any "
        "entry. An entry of the holder's own column in *acts on* counts only once the lens is "
        "swapped to the other side.",
        "",
    ]
    rows = []
    for lens in cat.lenses:
        holder = ents[lens.entry].side
        reader = "RUS" if holder == "RUS" else "NATO"
        param = {"gain": "lens_gain", "bloc": "lens_bloc", "reach": "lens_reach"}.get(
            lens.mechanism,
            {"suspicion": "lens_discount", "face_value": "lens_discount"}.get(
                lens.mechanism, "lens_declining"
            ),
        )
        acts: list[str] = []
        if lens.mechanism in readings.LENS_TERMS:
            for tag in cat.tags:
                own = ents[tag.entry].side == holder  # the holder's own column: read directly
                read = reader in readings.readers_of(tag.side)
                if tag.entry in lens.acts_on and not own and read:
                    acts.append(_act(tag.action, tag.side, tag.target) + f" `{tag.entry}`")
        elif lens.mechanism == "declining":
            acts = [f"`{a}`" for a in _declining_acts(cat, holder == "RUS")]
        else:
            level = readings.discount_level(reader, Figure1Spec(), cat)
            factor = 1 - min(1.0, level * DEFAULTS["lens_discount"])
            acts = [f"{reader} discount level {level}: friendly reads × {factor:.2f} at defaults"]
        rows.append(
            [
                f"`{lens.entry}`",
                holder,
                f"`{lens.mechanism}`",
                f"`{param}` = {BY_NAME[param].default:g}",
                MECHANISM_TEXT[lens.mechanism],
                ", ".join(f"`{a}`" for a in lens.acts_on) or "—",
                "; ".join(dict.fromkeys(acts)) or "—",
                lens.why,
            ]
        )
    out += _table(
        ["entry", "holder", "mechanism", "parameter", "does", "acts on", "where it acts", "why"],
        rows,
    )
    swapped = {
        r: readings.discount_level(r, Figure1Spec(swap_lenses=True), cat) for r in ("RUS", "NATO")
    }
    out += [
        "",
        f"With `swap_lenses` the discount levels become RUS {swapped['RUS']} and NATO "
        f"{swapped['NATO']}, and the declining-power lens moves to Russia's choices "
        f"({', '.join(f'`{a}`' for a in _declining_acts(cat, True))}).",
    ]
    return out


def _section_d(cat: Catalog) -> list[str]:
    out = [
        "## D. Overrides",
        "",
        "Readings that are not computed from the figure (`overrides.csv`). Each is added to "
        "the computed terms, scaled by the act's magnitude, and dropped with its entry; "
        "`natosim evaluate` counts it among the hand-set numbers and perturbs it in its "
        "robustness draws.",
        "",
    ]
    rows = [
        [_act(o.action, o.side), o.reader, _num(o.value), f"`{o.entry}`", o.why]
        for o in cat.overrides
    ]
    out += _table(["act", "reader", "value", "entry", "why"], rows or [["—"] * 5])
    return out


def traceability_markdown(cat: Catalog | None = None) -> str:
    """The Figure 1 traceability page (``docs/figure1_traceability.md``) as Markdown.

    Args:
        cat: The design tables (default: the shipped ones).

    Returns:
        The page, ending with a newline.
    """
    cat = cat or perception.catalog()
    w = readings.component_weights(DEFAULTS)
    lines = [
        "# Figure 1 → readings: traceability",
        "",
        "Companion to [`ODD.md`](ODD.md) §7.3 and §7.13. How every reading of an act follows "
        "from Figure 1 of Kanet & Larivé (2012): generated by `sim.results.traceability` from "
        "`seeds/figure1.csv` and `sim/data/catalog/` (`tags.csv`, `lenses.csv`, "
        "`overrides.csv`), through the functions the model itself uses "
        "(`sim/model/readings.py`). Do not edit by hand; regenerate with",
        "",
        "```",
        COMMAND,
        "```",
        "",
        "(`tests/results/test_traceability.py` fails when this page is out of date).",
        "",
        "Weights at their defaults: "
        + ", ".join(f"`{p}` {DEFAULTS[p]:g}" for p in readings.COMPONENTS.values() if p)
        + "; a question-marked entry weighs `fig_cooperation` times a number drawn per run, "
        "uniform in [0, 1] (1/2 here).",
        "",
    ]
    for section in (_section_a(cat, w), _section_b(cat, w), _section_c(cat), _section_d(cat)):
        lines += [*section, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> None:
    """Write the page to standard output (UTF-8)."""
    sys.stdout.buffer.write(traceability_markdown().encode("utf-8"))


if __name__ == "__main__":
    main()
