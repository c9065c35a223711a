"""Data tables the model is built from: Figure 1, actions, perception, states, timeline.

The article's Figure 1, the states and the dated timeline live in ``seeds/``
(facts, with citations); the action catalogue and the perception rules live in
``sim/data/catalog/`` (model design, each rule citing Figure 1 entries). This module
only reads them; it holds no model logic.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sim.data.locate import catalog_dir, seeds_dir

NATO = "NATO"
RUS = "RUS"

#: The headline directed pairs.
HEADLINE = ((NATO, RUS), (RUS, NATO))

#: Who reads an action, in the perception table.
READERS = ("RUS", "NATO", "MEMBERS", "ASPIRANT", "TARGET")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


@dataclass(frozen=True)
class Figure1Entry:
    """One bullet of the article's Figure 1."""

    id: str
    side: str
    row: str
    label: str


@dataclass(frozen=True)
class State:
    """A member state or aspirant (``seeds/states.csv``)."""

    code: str
    name: str
    role: str
    accession: int | None
    tier: str
    region: str
    key_partner: bool
    voice: float
    gas_dependence: float


@dataclass(frozen=True)
class Action:
    """One entry of the action catalogue (``sim/data/catalog/actions.csv``)."""

    action: str
    label: str
    side: str
    choosers: tuple[str, ...]
    targets: str
    magnitude: float
    base_logit: float
    stance: float
    lens: str
    theme: str
    complicity: float
    effect: str
    effect_size: float
    requires: tuple[str, ...]
    lever_sg: float
    lever_nrc: float
    lever_global: float
    promise_bonus: float
    standing: float


@dataclass(frozen=True)
class Rule:
    """One perception rule: how a reader takes an action by one side."""

    action: str
    actor_side: str
    reader: str
    valence: float
    figure1: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class TimelineEvent:
    """One dated event of ``seeds/timeline.csv``."""

    year: int
    actor: str
    action: str
    targets: tuple[str, ...]
    event: str
    source: str


def _split(s: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in s.split(";") if x.strip())


@cache
def figure1() -> tuple[Figure1Entry, ...]:
    """Figure 1 of Kanet & Larivé (2012), one entry per bullet."""
    return tuple(
        Figure1Entry(r["id"], r["side"], r["row"], r["label"])
        for r in _rows(seeds_dir() / "figure1.csv")
    )


@cache
def states() -> tuple[State, ...]:
    """Member states and aspirants with their attributes."""
    return tuple(
        State(
            code=r["code"],
            name=r["name"],
            role=r["role"],
            accession=int(r["accession"]) if r["accession"] else None,
            tier=r["tier"],
            region=r["region"],
            key_partner=r["key_partner"] == "1",
            voice=float(r["voice"]),
            gas_dependence=float(r["gas_dependence"]),
        )
        for r in _rows(seeds_dir() / "states.csv")
    )


@cache
def places() -> dict[str, str]:
    """Non-actor targets (theatres) by code."""
    return {r["code"]: r["name"] for r in _rows(seeds_dir() / "places.csv")}


@cache
def actions() -> dict[str, Action]:
    """The action catalogue, by action id."""
    out = {}
    for r in _rows(catalog_dir() / "actions.csv"):
        out[r["action"]] = Action(
            action=r["action"],
            label=r["label"],
            side=r["side"],
            choosers=_split(r["choosers"]),
            targets=r["targets"],
            magnitude=float(r["magnitude"]),
            base_logit=float(r["base_logit"]),
            stance=float(r["stance"]),
            lens=r["lens"],
            theme=r["theme"],
            complicity=float(r["complicity"]),
            effect=r["effect"],
            effect_size=float(r["effect_size"]),
            requires=_split(r["requires"]),
            lever_sg=float(r["lever_sg"]),
            lever_nrc=float(r["lever_nrc"]),
            lever_global=float(r["lever_global"]),
            promise_bonus=float(r["promise_bonus"]),
            standing=float(r["standing"]),
        )
    return out


@cache
def rules() -> tuple[Rule, ...]:
    """Perception rules derived from Figure 1."""
    return tuple(
        Rule(
            action=r["action"],
            actor_side=r["actor_side"],
            reader=r["reader"],
            valence=float(r["valence"]),
            figure1=_split(r["figure1"]),
            why=r["why"],
        )
        for r in _rows(catalog_dir() / "perception.csv")
    )


@cache
def timeline() -> tuple[TimelineEvent, ...]:
    """The dated historical timeline (1991-2024) with sources."""
    return tuple(
        TimelineEvent(
            year=int(r["year"]),
            actor=r["actor"],
            action=r["action"],
            targets=_split(r["targets"]),
            event=r["event"],
            source=r["source"],
        )
        for r in _rows(seeds_dir() / "timeline.csv")
    )


@dataclass(frozen=True)
class Catalog:
    """The model's design tables together: the action catalogue and the perception rules.

    :func:`catalog` gives the shipped tables; a modified copy (e.g. perturbed
    valences in ``natosim evaluate``) can be handed to the compiler instead.
    """

    actions: dict[str, Action]
    rules: tuple[Rule, ...]

    def rule_map(self) -> dict[tuple[str, str, str], float]:
        """Valence by (action, acting side, reader)."""
        return {(r.action, r.actor_side, r.reader): r.valence for r in self.rules}

    def tone(self, action: str, actor: str) -> int:
        """How the other side reads an act: -1 hostile, +1 friendly, 0 neutral or unread.

        The sign of the mean valence of the perception rules for the acting side.
        """
        side = actor_side(actor, action)
        vals = [r.valence for r in self.rules if r.action == action and r.actor_side == side]
        if not vals:
            return 0
        mean = sum(vals) / len(vals)
        return (mean > 0) - (mean < 0)


@cache
def catalog() -> Catalog:
    """The shipped action catalogue and perception rules."""
    return Catalog(actions(), rules())


def actor_side(actor: str, action: str) -> str:
    """Which side acts: ``russia``, ``aspirant`` (an aspirant's own move) or ``west``."""
    if actor == RUS:
        return "russia"
    return "aspirant" if actions()[action].side == "aspirant" else "west"


def tone(action: str, actor: str) -> int:
    """How the other side reads an act under the shipped rules (see :meth:`Catalog.tone`)."""
    return catalog().tone(action, actor)


def actor_codes() -> tuple[str, ...]:
    """All actor codes in model order: NATO, RUS, then states as listed."""
    return (NATO, RUS, *(s.code for s in states()))
