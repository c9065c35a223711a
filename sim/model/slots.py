"""Who may choose which action toward whom: the choice slots of a scenario.

A *choice slot* is one (chooser, action, target) an actor may pick in any
year; which slots exist follows from the action catalogue (``choosers`` and
``targets``) and the states taking part. :mod:`sim.model.compile` turns the
slots into arrays for the core; :mod:`sim.model.consistency` uses them to know
which acts the actors could still choose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sim.data import tables

#: States that hosted or were offered missile-shield sites (public record), the
#: targets of a chosen shield deployment.
SHIELD_HOSTS = ("POL", "CZE", "ROU", "TUR")


@dataclass(frozen=True)
class Occurrence:
    """A possible act: actor, action, targets (a choice slot or a scheduled event)."""

    actor: str
    action: str
    targets: tuple[str, ...]
    origin: str  # "chosen" or "scheduled"
    year: int | None = None
    note: str = ""
    source: str = ""


def candidates(states: Sequence[tables.State], start: int | None) -> list[str]:
    """States that are not members when the scenario starts and may seek to join.

    The aspirants, and every state whose accession comes after ``start`` (in
    1991: the central and eastern Europeans that joined later).
    """
    return [
        s.code
        for s in states
        if s.role == "aspirant" or (start is not None and s.accession and s.accession > start)
    ]


def choice_targets(
    act: tables.Action, chooser: str, states: Sequence[tables.State], start: int | None = None
) -> list[str]:
    """The targets ``chooser`` may pick for ``act`` among the states taking part."""
    codes = {s.code for s in states}
    aspirants = [s.code for s in states if s.role == "aspirant"]
    key = [s.code for s in states if s.key_partner]
    spec = act.targets
    if spec == "aspirants":
        return aspirants
    if spec == "candidates":
        return candidates(states, start)
    if spec == "counterpart":
        if chooser == tables.RUS:
            return key if act.action == "bilateral_deal" else [tables.NATO]
        return [tables.RUS]
    if spec == "shield_hosts":
        return [c for c in SHIELD_HOSTS if c in codes]
    if spec == "energy_targets":
        return aspirants + [
            s.code
            for s in states
            if s.region in ("baltic", "central_east") and s.gas_dependence >= 1.0
        ]
    if spec == "cyber_targets":
        return aspirants + [s.code for s in states if s.region == "baltic"]
    if spec in ("NATO", "RUS", "OOA"):
        return [spec]
    raise ValueError(f"unknown target set {spec!r} for action {act.action}")


def choosers(
    act: tables.Action,
    states: Sequence[tables.State],
    actors: Sequence[str],
    start: int | None = None,
) -> list[str]:
    """The actors (among ``actors``) that may choose ``act``."""
    out: list[str] = []
    for c in act.choosers:
        if c == "key":
            out.extend(s.code for s in states if s.key_partner)
        elif c == "aspirants":
            out.extend(s.code for s in states if s.role == "aspirant")
        elif c == "candidates":
            out.extend(candidates(states, start))
        elif c in actors:
            out.append(c)
    return out


def choice_slots(
    states: Sequence[tables.State], actors: Sequence[str], start: int | None = None
) -> list[Occurrence]:
    """Every (chooser, action, target) slot, in catalogue order (``start``: first year)."""
    slots: list[Occurrence] = []
    for act in tables.actions().values():
        for chooser in choosers(act, states, actors, start):
            for tgt in choice_targets(act, chooser, states, start):
                if tgt == chooser:
                    continue
                slots.append(Occurrence(chooser, act.action, (tgt,), "chosen"))
    return slots
