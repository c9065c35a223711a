"""Events and how each side reads them (the perception rules applied to one act).

An act is an actor, an action and its targets. Each side reads it with its own
column of Figure 1 and its lens (:mod:`sim.model.readings`): a valence (below 0
hostile, above 0 friendly, per unit of the act's magnitude, at the default
weights), the Figure 1 entries it rests on and the reason. This module answers, for any
act, how Moscow, NATO and a targeted state read it, and names acts, actors and
places for people. The web page's event log, the figures' event strip and the
sweep's ``events.csv`` all go through here, so no reader re-derives the tables.

It also lists the acts that do not depend on the random draw — a scenario's
scheduled events and shocks — in the rows and order of a run's ``events.csv``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from sim.data import perception, tables
from sim.model import readings as readings_model
from sim.model.compile import Compiled, compile_scenario
from sim.model.params import DEFAULTS
from sim.model.scenario import Scenario
from sim.model.shock_list import SHOCK_ACTIONS as _SHOCK_NAMES
from sim.model.shock_list import scheduled_shocks, shock_act

if TYPE_CHECKING:  # pandas and Mesa are imported only where a table or a model is used
    import pandas as pd

    from sim.model.mesa_model import DiplomacyModel

#: Action ids of the kinds of shock (not in the action catalogue).
SHOCK_ACTIONS = tuple(_SHOCK_NAMES.values())
#: Columns of a run's ``events.csv``.
EVENT_COLUMNS = ("replicate", "year", "actor", "action", "target", "origin")

#: Who read an act, by the side that did it: Moscow reads the West's and the
#: aspirants' acts; NATO reads Russia's (the members' rule when NATO has none).
NATO_READERS = (tables.NATO, "MEMBERS")


@dataclass(frozen=True)
class Reading:
    """How one reader takes an act (one perception rule).

    Attributes:
        reader: ``RUS``, ``NATO``, ``MEMBERS``, ``ASPIRANT`` or ``TARGET``.
        valence: Below 0 hostile, above 0 friendly.
        figure1: Ids of the Figure 1 entries the rule rests on.
        labels: Their labels in Figure 1.
        why: The rule's reason (its Figure 1 labels when it gives none).
    """

    reader: str
    valence: float
    figure1: tuple[str, ...]
    labels: tuple[str, ...]
    why: str

    @property
    def word(self) -> str:
        """``hostile``, ``friendly`` or ``neutral``."""
        return "hostile" if self.valence < 0 else "friendly" if self.valence > 0 else "neutral"


@dataclass(frozen=True)
class Readings:
    """How each side reads one act.

    Attributes:
        side: The acting side: ``west``, ``aspirant``, ``russia`` or ``world`` (a shock).
        moscow: Moscow's reading (None for Russia's own acts, shocks or no rule).
        nato: NATO's reading (None for the West's own acts, shocks or no rule).
        target: A targeted state's own reading of a Russian act, if the table has one.
    """

    side: str
    moscow: Reading | None
    nato: Reading | None
    target: Reading | None = None

    @property
    def other(self) -> Reading | None:
        """The reading by the side that did not act."""
        return self.nato if self.side == "russia" else self.moscow


@cache
def _state_codes() -> frozenset[str]:
    return frozenset(st.code for st in tables.states())


@cache
def _figure1_labels() -> dict[str, str]:
    return {e.id: e.label for e in tables.figure1()}


def side(actor: str, action: str) -> str:
    """The acting side of an act: ``world`` for a shock, else :func:`tables.actor_side`.

    An action missing from the catalogue (a table written by another version)
    counts as the West's when a Western actor did it.
    """
    if action in SHOCK_ACTIONS:
        return "world"
    if actor != tables.RUS and action not in tables.actions():
        return "west"
    return tables.actor_side(actor, action)


@cache
def _weights() -> dict[str, float]:
    return readings_model.component_weights(DEFAULTS)


def rule_reading(
    action: str, acting_side: str, reader: str, targets: Sequence[str] = ()
) -> Reading | None:
    """One reader's reading of an act by one side, or None when nothing is read."""
    if action not in tables.actions():
        return None
    cat = perception.catalog()
    terms = readings_model.terms(action, acting_side, targets, reader, cat)
    if not terms:
        return None
    ids = tuple(dict.fromkeys(x for t in terms for x in t.entry.split(">")))
    tgt = set(targets)
    whys = [
        t.why
        for t in cat.tags
        if t.action == action
        and t.side == acting_side
        and t.entry in ids
        and (not t.target or t.target in tgt)
        and (not t.reader or t.reader == reader)
    ] + [
        o.why
        for o in cat.overrides
        if (o.action, o.side, o.reader) == (action, acting_side, reader)
    ]
    labels = tuple(_figure1_labels().get(f, f) for f in ids)
    value = readings_model.valence(terms, _weights()) / cat.actions[action].magnitude
    return Reading(reader, value, ids, labels, "; ".join(dict.fromkeys(whys)) or "; ".join(labels))


def _split(targets: str | Sequence[str]) -> tuple[str, ...]:
    if isinstance(targets, str):
        return tuple(t for t in targets.split(";") if t)
    return tuple(targets)


def readings(actor: str, action: str, targets: str | Sequence[str] = ()) -> Readings:
    """How Moscow, NATO and a targeted state read an act.

    Args:
        actor: Actor code (``WORLD`` for a threat shock).
        action: Action id.
        targets: Target codes (a sequence or joined by ``;``).

    Returns:
        The readings; the acting side's own is None.
    """
    s = side(actor, action)
    tg = _split(targets)
    if s == "world":
        return Readings(s, None, None)
    if s != "russia":
        return Readings(s, rule_reading(action, s, tables.RUS, tg), None)
    nato = next(
        (r for r in (rule_reading(action, s, who, tg) for who in NATO_READERS) if r is not None),
        None,
    )
    hit = any(t in _state_codes() for t in tg)
    return Readings(s, None, nato, rule_reading(action, s, "TARGET", tg) if hit else None)


@cache
def names() -> dict[str, str]:
    """Readable names of actors and places by code."""
    out = {tables.NATO: "NATO", tables.RUS: "Russia", "OOA": "beyond NATO's area"}
    out.update(tables.places())
    out.update({s.code: s.name for s in tables.states()})
    return out


def who(codes: str | Sequence[str]) -> str:
    """Readable names of actor or target codes (a sequence or joined by ``;``)."""
    n = names()
    return ", ".join(n.get(c, c) for c in _split(codes))


def label(action: str, target: str = "") -> str:
    """Plain description of an act, from the action table (shocks described here)."""
    if action == "threat_shock":
        return f"A shared threat rises: {target}"
    if action == "leadership_change":
        return "New leader in Washington" if target == "USA" else "New leader in Moscow"
    if action == "course_change":
        return "Moscow changes course"
    if action == "domestic_turn":
        return f"Own turn in {who(target)}" if target else "A state's own turn"
    act = tables.actions().get(action)
    return act.label if act else action.replace("_", " ")


def weight(actor: str, action: str, targets: str | Sequence[str] = ()) -> float:
    """How much an act weighs for the other side: magnitude x |its reading| (0.5 unread)."""
    act = tables.actions().get(action)
    r = readings(actor, action, targets).other
    return (act.magnitude if act else 0.0) * (abs(r.valence) if r else 0.5)


# --------------------------------------------------------------------------- fixed acts


def shock_acts(scenario: Scenario) -> list[tuple[int, str, str, str, str]]:
    """A scenario's shocks as acts: ``(year, actor, action, target, note)``, by year."""
    out = []
    for sh in sorted(scheduled_shocks(scenario), key=lambda s: s.year):
        year, actor, action, targets = shock_act(sh)
        out.append((year, actor, action, targets[0], sh.note))
    return out


def fixed_acts(comp: Compiled, scenario: Scenario) -> dict[int, list[tuple[str, str, str, str]]]:
    """Acts of each reported year that do not depend on the draw.

    Args:
        comp: The compiled scenario.
        scenario: The scenario (for its shocks).

    Returns:
        Year to ``(actor, action, target, origin)``: the shocks, then the
        scheduled events, in the order of a run's ``events.csv``.
    """
    shocks: dict[int, list[tuple[str, str, str, str]]] = {}
    for year, actor, action, target, _ in shock_acts(scenario):
        shocks.setdefault(year, []).append((actor, action, target, "shock"))
    out: dict[int, list[tuple[str, str, str, str]]] = {}
    for ti, year in enumerate(comp.years):
        y = int(year)
        if y < comp.report_from:
            continue
        sched = [(o.actor, o.action, ";".join(o.targets), "scheduled") for o in comp.sched[ti]]
        acts = shocks.get(y, []) + sched
        if acts:
            out[y] = acts
    return out


def fixed_events(scenario: Scenario) -> pd.DataFrame:
    """A scenario's scheduled events and shocks as a run's ``events.csv`` (replicate 0).

    The same rows as ``run(scenario).events`` without the chosen acts; no model is run.
    """
    import pandas as pd

    rows = [
        (0, year, *act)
        for year, acts in fixed_acts(compile_scenario(scenario), scenario).items()
        for act in acts
    ]
    return pd.DataFrame(rows, columns=list(EVENT_COLUMNS)).astype(
        {"replicate": "int64", "year": "int64"}
    )


# --------------------------------------------------------------------------- a model's log


@dataclass(frozen=True)
class EventRow:
    """One event of a run, with each side's reading.

    Attributes:
        year: Simulated year.
        actor: Actor code (``WORLD`` for a threat shock).
        action: Action id (or ``threat_shock`` / ``leadership_change``).
        target: Target codes joined by ``;``.
        origin: ``scheduled``, ``chosen`` or ``shock``.
        side: ``west``, ``aspirant``, ``russia`` or ``world``.
        note: What the scenario or timeline says about it.
        moscow: How Moscow read it (None for its own acts or no rule).
        nato: How NATO read it (None for its own acts or no rule).
    """

    year: int
    actor: str
    action: str
    target: str
    origin: str
    side: str
    note: str
    moscow: Reading | None
    nato: Reading | None

    @property
    def other_reading(self) -> Reading | None:
        """The reading by the side that did not act."""
        return self.nato if self.side == "russia" else self.moscow

    @property
    def label(self) -> str:
        """Plain description of the act."""
        return label(self.action, self.target)


def events_frame(rows: list[EventRow]) -> pd.DataFrame:
    """Event rows as a table with the columns and types of ``events.csv`` (replicate 0)."""
    import pandas as pd

    return pd.DataFrame(
        [(0, r.year, r.actor, r.action, r.target, r.origin) for r in rows],
        columns=list(EVENT_COLUMNS),
    ).astype({"replicate": "int64", "year": "int64"})


def event_rows(model: DiplomacyModel) -> list[EventRow]:
    """A Mesa model's events so far (reported years only), oldest first.

    Scheduled and chosen acts come from ``model.event_log``; the scenario's
    shocks are added, as in ``natosim run``'s ``events.csv``.

    Args:
        model: The model being shown.

    Returns:
        One row per event, in the order of ``RunResult.events``.
    """
    comp = model.compiled
    first = int(comp.years[0])
    notes: dict[tuple[int, str, str, str], list[str]] = {}
    for evs in comp.sched:
        for o in evs:
            key = (int(o.year or 0), o.actor, o.action, ";".join(o.targets))
            notes.setdefault(key, []).append(o.note)
    by_year: dict[int, list[EventRow]] = {}
    for e in model.event_log:
        year = int(e["year"])
        if year < comp.report_from:
            continue
        r = readings(e["actor"], e["action"], e["target"])
        note = ""
        if e["origin"] == "scheduled":  # in the order the model logged them
            pending = notes.get((year, e["actor"], e["action"], e["target"]), [])
            note = pending.pop(0) if pending else ""
        by_year.setdefault(year, []).append(
            EventRow(
                year=year,
                actor=e["actor"],
                action=e["action"],
                target=e["target"],
                origin=e["origin"],
                side=r.side,
                note=note,
                moscow=r.moscow,
                nato=r.nato,
            )
        )
    shocks: dict[int, list[EventRow]] = {}
    for year, actor, action, target, note in shock_acts(model.scenario_spec):
        row = EventRow(year, actor, action, target, "shock", "world", note, None, None)
        shocks.setdefault(year, []).append(row)
    rows: list[EventRow] = []
    for year in range(max(first, comp.report_from), model.year + 1):
        rows.extend(shocks.get(year, []))
        rows.extend(by_year.get(year, []))
    return rows
