"""Whether an outcome can be computed from one run's result, and why not.

A sweep checks the outcomes of its file when it is read
(:mod:`sim.experiments.outcome_entries`); a :class:`~sim.model.result.RunResult`
asked for outcomes in Python checks them here, against the scenario it ran.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from sim.data import tables
from sim.model.act_outcomes import ACT_STATS, act_problem
from sim.model.outcomes import BUILTIN, STATS, Outcome, pair_problem

__all__ = ["MAX_NAME", "NAME", "outcome_problem"]

#: An outcome's name (a column's), here and in an experiment file's outcome entry.
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: Its longest length, in characters.
MAX_NAME = 80


def outcome_problem(
    o: Outcome,
    states: Sequence[tables.State],
    pairs: Sequence[tuple[str, str]],
    years: np.ndarray,
) -> str | None:
    """Why outcome ``o`` cannot be computed for a scenario, or None.

    Args:
        o: The outcome.
        states: The scenario's states.
        pairs: Its compiled directed pairs.
        years: Its reported years.
    """
    if not NAME.fullmatch(o.name) or len(o.name) > MAX_NAME:
        return (
            f"outcome name {o.name!r} must be letters, digits and _, not starting with a "
            "digit, at most 80 characters (it names a column)"
        )
    if o.name in BUILTIN and o != BUILTIN[o.name]:
        return f"{o.name!r} is a built-in outcome: ask for it by name alone, or rename yours"
    if o.function is not None:
        mixed = o.observer or o.target or o.actor or o.action is not None
        if mixed or o.year is not None or o.stat != "final":
            return "give either function or observer, target and stat, not both"
        return None  # imported and its shape checked when it is computed
    if o.action is None and o.actor:
        return f"it names an actor ({o.actor!r}): an act outcome needs the action counted"
    if o.action is not None:
        if o.observer or o.year is not None:
            return (
                "an act outcome takes action, actor, target and stat (count or first_year), "
                "not observer or year (the actor is actor=..., not the second argument)"
            )
        if o.stat not in ACT_STATS:
            return f"stat of acts must be one of {', '.join(ACT_STATS)}, got {o.stat!r}"
        return act_problem(o.action, o.actor, o.target)
    if o.stat not in STATS:
        return f"unknown statistic {o.stat!r} (known: {', '.join(STATS)})"
    if (o.stat == "at") != (o.year is not None):
        return 'year goes with stat = "at" (and stat = "at" needs a year)'
    if o.year is not None and o.year not in {int(y) for y in years}:
        return f"year {o.year} is outside the reported years {int(years[0])}-{int(years[-1])}"
    return pair_problem(o.observer, o.target, states, pairs)
