"""The variants the evaluation compares a scenario with, on the same random numbers.

Each variant keeps the scenario's years, actors and choice slots, so every
replicate draws exactly the same random numbers as in the full run (the draws
are fixed per run by its seed and the shapes of its arrays): the only difference
between two runs of one seed is the variant's own.

- *without choices*: every chosen act is forbidden; only scheduled acts and
  shocks move trust.
- *free*: every scheduled act is removed (the timeline and the scenario's own
  events) and nothing is reserved for the schedule; exogenous shocks and
  leadership changes stay, and the actors choose everything.
- *long run*: the free model from 2013 on, to see where trust goes when nothing
  is scheduled at all;
- *closed door*: a scenario in which NATO can no longer choose to enlarge or to
  promise membership (to tell a drift of trust from the world's own: the pool of
  candidates is finite and membership is never undone).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np

from sim.experiments.evaluation.panel import Panel
from sim.model.compile import Compiled, compile_scenario
from sim.model.runner import resolve_params, run_arrays
from sim.model.scenario import Scenario, TimeSpan

#: NATO's choices that take in new members (closed by :func:`closed_door`).
DOOR_ACTIONS = ("enlargement_wave", "membership_promise")

__all__ = [
    "DOOR_ACTIONS",
    "closed_door",
    "compiled_with_params",
    "free",
    "long_run",
    "run_panel",
    "simulate",
    "with_parameters",
    "without_choices",
]


def simulate(
    comp: Compiled, seeds: Sequence[int], params: Mapping[str, float] | Sequence[Mapping]
) -> np.ndarray:
    """Trust ``(R, T, P)`` of one compiled scenario for the given seeds.

    Args:
        comp: The compiled scenario (or variant).
        seeds: One seed per run.
        params: One complete parameter dict for all runs, or one per run.
    """
    sets = [params] * len(seeds) if isinstance(params, Mapping) else list(params)
    return run_arrays(comp, sets, list(seeds)).trust


def without_choices(comp: Compiled) -> Compiled:
    """The same compiled scenario with every chosen act forbidden in every year."""
    return dataclasses.replace(comp, slot_allowed=np.zeros_like(comp.slot_allowed))


def free(sc: Scenario) -> Scenario:
    """The scenario with every scheduled act removed and every act open to choice."""
    return sc.model_copy(
        update={
            "name": f"{sc.name}_free",
            "timeline": False,
            "events": (),
            "remove": (),
            "scheduled_only": (),
            "scheduled_only_until": None,
        }
    )


def with_parameters(sc: Scenario, parameters: Mapping[str, float]) -> Scenario:
    """The scenario with ``parameters`` laid over its own."""
    return sc.model_copy(update={"parameters": {**sc.parameters, **dict(parameters)}})


def long_run(sc: Scenario, start: int, end: int, initial_trust: float) -> Scenario:
    """The free model from ``start`` to ``end`` starting from ``initial_trust``.

    Members are those of ``start``; shocks outside the span are dropped.
    """
    base = free(sc)
    return base.model_copy(
        update={
            "name": f"{sc.name}_free_{start}_{end}",
            "time": TimeSpan(start=start, end=end),
            "shocks": tuple(s for s in base.shocks if start <= s.year <= end),
            "report_from": None,
            "turnover_from": start,
            "parameters": {**base.parameters, "initial_trust": float(initial_trust)},
        }
    )


def closed_door(sc: Scenario) -> Scenario:
    """The scenario with enlargement and membership promises left to the schedule only.

    In a variant without a schedule (:func:`free`, :func:`long_run`) they cannot
    happen at all; the slots stay, so every run draws the same random numbers.

    Raises:
        ValueError: ``sc`` limits its scheduled-only acts to years up to
            ``scheduled_only_until`` (closing the door would lift that limit).
    """
    if sc.scheduled_only_until is not None:
        raise ValueError(f"{sc.name}: closed_door needs a scenario without scheduled_only_until")
    only = tuple(dict.fromkeys((*sc.scheduled_only, *DOOR_ACTIONS)))
    return sc.model_copy(update={"name": f"{sc.name}_closed_door", "scheduled_only": only})


def compiled_with_params(sc: Scenario) -> tuple[Compiled, dict[str, float]]:
    """A scenario compiled, with its resolved parameters."""
    return compile_scenario(sc), resolve_params(sc)


def run_panel(sc: Scenario, seeds: Sequence[int]) -> Panel:
    """A scenario (or variant) compiled and run with its own parameters on ``seeds``."""
    comp, params = compiled_with_params(sc)
    return Panel.of(comp, simulate(comp, seeds, params))
