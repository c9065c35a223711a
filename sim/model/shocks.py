"""Shocks compiled to yearly arrays: threats, changes of leader, candidates' own turns.

Sub-step 1 of a year (docs/ODD.md §7.4) reads these arrays; nothing in them is
drawn at random (leaders drawn after ``turnover_from`` are drawn in the core).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.data import tables
from sim.model.scenario import LEADERS, THEMES, Scenario
from sim.model.shock_list import scheduled_shocks

__all__ = ["ShockArrays", "shock_arrays"]


@dataclass(frozen=True)
class ShockArrays:
    """A scenario's shocks by year index.

    Attributes:
        threat: Threat salience added per theme ``(T, n_themes)``.
        leadership: Moscow's shift of assertiveness ``(T,)`` (new leaders and changes
            of course).
        leader_change: A new leader in Moscow or Washington ``(T, 2)``.
        domestic: Each state's own turn west (+) or east (-) ``(T, S)``.
        turnover_from: Year index from which leaders change at random (``T``: never).
    """

    threat: np.ndarray
    leadership: np.ndarray
    leader_change: np.ndarray
    domestic: np.ndarray
    turnover_from: int


def shock_arrays(s: Scenario, n_years: int, state_idx: dict[str, int]) -> ShockArrays:
    """The shocks of a resolved scenario as yearly arrays.

    The shocks that happen (:func:`~sim.model.shock_list.scheduled_shocks`): those
    outside the time span (a parent's, under a child's shorter span) or taken out
    by a ``[[remove]]`` are skipped.
    """
    threat = np.zeros((n_years, len(THEMES)))
    lead = np.zeros(n_years)
    change = np.zeros((n_years, len(LEADERS)), bool)
    domestic = np.zeros((n_years, len(state_idx)))
    for sh in scheduled_shocks(s):
        ti = sh.year - s.time.start
        if not 0 <= ti < n_years:
            continue
        if sh.kind == "threat":
            threat[ti, THEMES.index(sh.theme)] += sh.magnitude
        elif sh.kind == "leadership":
            change[ti, LEADERS.index(sh.actor)] = True
            if sh.actor == tables.RUS:
                lead[ti] += sh.magnitude
        elif sh.kind == "course":
            lead[ti] += sh.magnitude
        elif sh.actor in state_idx:
            domestic[ti, state_idx[sh.actor]] += sh.magnitude
    start = s.turnover_from - s.time.start if s.turnover_from is not None else n_years
    return ShockArrays(threat, lead, change, domestic, start)
