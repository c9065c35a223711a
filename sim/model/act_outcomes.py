"""Outcomes that count acts: how often an actor took an action over the reported years.

A sweep asks "how often does Russia use force from 2013 to 2030 under this
policy?" as well as "where does trust end?". An act outcome names an
``action`` (a row of ``natosim list actions``), optionally the ``actor`` who
takes it and a ``target`` it is aimed at, and a statistic:

* ``count`` — the acts over the reported years, scheduled and chosen alike
  (an act aimed at several targets counts once);
* ``first_year`` — the first reported year with one (NaN in a run without).

Scheduled acts are the same in every run; chosen ones come from the run's
``chosen`` slots. Both are read from the compiled scenario, so the count is
the number of rows of that action a run's ``events.csv`` lists in those years.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.data import tables
from sim.model.vocabulary import allowed_actors, did_you_mean, who_may

if TYPE_CHECKING:
    from sim.model.compile import Compiled

__all__ = ["ACT_STATS", "act_problem", "act_statistic", "acts_per_year"]

#: Statistics of an act outcome.
ACT_STATS: dict[str, str] = {
    "count": "times over the reported years",
    "first_year": "first reported year with one (NaN if none)",
}


def _matches(actor: str, target: str, who: str, aimed: tuple[str, ...]) -> bool:
    return (not actor or who == actor) and (not target or target in aimed)


def acts_per_year(
    comp: Compiled, chosen: np.ndarray, action: str, actor: str = "", target: str = ""
) -> np.ndarray:
    """The matching acts of each run in each reported year.

    Args:
        comp: The compiled scenario.
        chosen: The runs' chosen slots ``(R, T_all, K)``.
        action: The action counted.
        actor: Who takes it ("" for anyone).
        target: A target it must be aimed at ("" for any).

    Returns:
        Counts ``(R, T)`` over the reported years, int64.
    """
    slots = np.array(
        [o.action == action and _matches(actor, target, o.actor, o.targets) for o in comp.slots],
        dtype=bool,
    )
    sched = np.array(
        [
            sum(o.action == action and _matches(actor, target, o.actor, o.targets) for o in year)
            for year in comp.sched
        ],
        dtype=np.int64,
    )
    per_year = chosen[:, :, slots].sum(axis=2, dtype=np.int64) + sched[None, :]
    return per_year[:, comp.years >= comp.report_from]


def act_statistic(stat: str, years: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """``count`` (int64) or ``first_year`` (float64, NaN without any) of counts ``(R, T)``."""
    if stat == "count":
        return counts.sum(axis=1, dtype=np.int64)
    if stat == "first_year":
        any_ = counts > 0
        first = np.argmax(any_, axis=1)
        return np.where(any_.any(axis=1), years[first].astype(np.float64), np.nan)
    raise ValueError(f"unknown statistic {stat!r} of acts (known: {', '.join(ACT_STATS)})")


def act_problem(action: str, actor: str, target: str) -> str | None:
    """Why an act outcome cannot be counted, or None.

    The action must exist, the actor be one who may take it, and the target a
    known actor or place.
    """
    acts = tables.actions()
    if action not in acts:
        return f"unknown action {action!r}{did_you_mean(action, acts, what='actions')}"
    allowed = allowed_actors(action)
    if actor and actor not in allowed:
        hint = did_you_mean(actor, sorted(allowed)) if actor.upper() in allowed else ""
        return f"{actor} never takes {action}{hint} (who may: {who_may(action)})"
    codes = {tables.NATO, tables.RUS, *(st.code for st in tables.states()), *tables.places()}
    if target and target not in codes:
        return f"unknown target {target!r}{did_you_mean(target, sorted(codes), what='actors')}"
    if target:  # one the action can be aimed at, as a scheduled event's target must be
        from sim.model.checks import target_problem  # at validation only: workers skip it

        why = target_problem(actor, acts[action].targets, target)
        if why:
            return f"{action} {target}: {why}, so it would count nothing"
    return None
