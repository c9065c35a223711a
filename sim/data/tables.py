"""Data tables the model is built from: Figure 1, actions, states, places, timeline.

The article's Figure 1, the states and the dated timeline live in ``seeds/``
(facts, with citations); the action catalogue lives in ``sim/data/catalog/``
(model design). The Figure 1 tags of each act are read by
:mod:`sim.data.perception`. This module only reads; it holds no model logic.
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

#: Who reads an action: Russia, the alliance, its members, an aspirant, the state targeted.
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
    note: str = ""

    @property
    def question(self) -> bool:
        """Whether the figure prints the entry with a question mark (an uncertain one)."""
        return "question mark" in self.note


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
    eu_accession: int | None = None


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
    new_beginning: bool = False
    agenda: bool = False  # shared agenda: handled in the forum or bilaterally (nrc_share)


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
        Figure1Entry(r["id"], r["side"], r["row"], r["label"], r.get("note", ""))
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
            eu_accession=int(r["eu_accession"]) if r.get("eu_accession") else None,
        )
        for r in _rows(seeds_dir() / "states.csv")
    )


@cache
def places() -> dict[str, str]:
    """Non-actor targets (theatres) by code."""
    return {r["code"]: r["name"] for r in _rows(seeds_dir() / "places.csv")}


def _coord(text: str) -> float | None:
    return float(text) if text.strip() else None


@cache
def coordinates() -> dict[str, tuple[float, float]]:
    """Latitude and longitude (degrees) of every state's capital and every place's city.

    From the ``lat``/``lon`` columns of ``states.csv`` and ``places.csv``; a
    place without coordinates (``OOA``, an unspecified theatre) is left out.
    """
    out: dict[str, tuple[float, float]] = {}
    for name in ("states.csv", "places.csv"):
        for r in _rows(seeds_dir() / name):
            lat, lon = _coord(r.get("lat", "")), _coord(r.get("lon", ""))
            if lat is not None and lon is not None:
                out[r["code"]] = (lat, lon)
    return out


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
            new_beginning=r.get("new_beginning", "0") == "1",
            agenda=r.get("agenda", "0") == "1",
        )
    return out


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


def actor_side(actor: str, action: str) -> str:
    """Which side acts: ``russia``, ``aspirant`` (an aspirant's own move) or ``west``."""
    if actor == RUS:
        return "russia"
    return "aspirant" if actions()[action].side == "aspirant" else "west"


def actor_codes() -> tuple[str, ...]:
    """All actor codes in model order: NATO, RUS, then states as listed."""
    return (NATO, RUS, *(s.code for s in states()))
