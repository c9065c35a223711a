"""Who may choose which action toward whom: the choice slots of a scenario.

A *choice slot* is one (chooser, action, target) an actor may pick in any
year; which slots exist follows from the action catalogue (``choosers`` and
``targets``) and the states taking part. :mod:`sim.model.compile` turns the
slots into arrays for the core (:func:`decision_arrays`: what the reassurance
game needs of each slot); :mod:`sim.model.consistency` uses them to know which
acts the actors could still choose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.data import tables

if TYPE_CHECKING:
    from sim.model.compile import Compiled

#: States that hosted or were offered missile-shield sites (public record), the
#: targets of a chosen shield deployment.
SHIELD_HOSTS = ("POL", "CZE", "ROU", "TUR")


#: A state change an act causes: (column in its occurrence matrix, kind, size,
#: indices of the target states). Kinds: member, promise, shield_on, shield_off,
#: institution (size > 0 adds, size < 0 scales by 1 + size).
Effect = tuple[int, str, float, tuple[int, ...]]


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


def decision_arrays(comp: Compiled, slots: Sequence[Occurrence], by_year: list) -> None:
    """What the reassurance game needs: new beginnings, who addresses whom, leaders' pairs."""
    acts = comp.catalog.actions
    pi = comp.pair_index
    comp.slot_new_beginning = np.array([acts[o.action].new_beginning for o in slots], bool)
    comp.slot_reverse_pair = np.array(
        [pi.get((o.targets[0], o.actor), -1) for o in slots], dtype=np.intp
    )
    comp.sched_new_beginning = np.array(
        [any(acts[o.action].new_beginning for o in evs) for evs in by_year], dtype=bool
    )
    orient = np.full(len(slots), -1, np.intp)
    for j, o in enumerate(slots):
        if o.action == "membership_request":
            orient[j] = comp.state_index.get(o.actor, -1)
        elif o.action in ("membership_promise", "enlargement_wave"):
            orient[j] = comp.state_index.get(o.targets[0], -1)
    comp.slot_orient_state = orient
    # a new leader in Moscow changes every pair Russia is in; in Washington, the
    # US and NATO pairs with Russia (the US leads the alliance's Russia policy)
    masks = np.zeros((2, len(comp.pairs)), bool)  # scenario.LEADERS: Moscow, Washington
    for j, (o, t) in enumerate(comp.pairs):
        masks[0, j] = tables.RUS in (o, t)
        masks[1, j] = {o, t} in ({"USA", tables.RUS}, {tables.NATO, tables.RUS})
    comp.leader_pairs = masks


def effects_of(
    occs: list[Occurrence] | tuple[Occurrence, ...], state_idx: dict, acts: dict
) -> tuple[Effect, ...]:
    """The state changes of a list of possible acts (see :data:`Effect`)."""
    out = []
    for j, o in enumerate(occs):
        act = acts[o.action]
        if act.effect:
            targets = tuple(state_idx[t] for t in o.targets if t in state_idx)
            out.append((j, act.effect, act.effect_size, targets))
    return tuple(out)
