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

Because a run depends only on its seed, its parameters and the compiled scenario
(bit for bit in any batch), a run need not be simulated twice: inside
:meth:`RunCache.active` every run made here is kept and served again, so the
evaluation can recompute its figures on resampled replicates
(:mod:`~sim.experiments.evaluation.uncertainty`) without simulating anew.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
from collections.abc import Iterator, Mapping, Sequence

import numpy as np

from sim.experiments.evaluation.panel import Panel
from sim.model.compile import Compiled, compile_scenario
from sim.model.core import Trajectories
from sim.model.runner import resolve_params, run_arrays
from sim.model.scenario import Scenario, TimeSpan
from sim.model.shock_list import listed_shocks

#: NATO's choices that take in new members (closed by :func:`closed_door`).
DOOR_ACTIONS = ("enlargement_wave", "membership_promise")

__all__ = [
    "DOOR_ACTIONS",
    "RunCache",
    "closed_door",
    "compiled_with_params",
    "free",
    "long_run",
    "run_panel",
    "simulate",
    "trajectories",
    "with_parameters",
    "without_choices",
]

_Row = tuple[np.ndarray, np.ndarray, np.ndarray | None]


class RunCache:
    """Runs already made, served again while the cache is active.

    A run is keyed by its compiled scenario (the object itself, which the cache
    keeps alive), its parameters and its seed; compiling is keyed by the scenario's
    digest, and :func:`without_choices` by the compiled scenario it is made from,
    so that the same variant asked for again is the same object. Outside
    :meth:`active` nothing is kept.
    """

    def __init__(self) -> None:
        self._runs: dict[tuple[int, tuple], tuple[Compiled, dict[int, _Row]]] = {}
        self._compiled: dict[str, tuple[Compiled, dict[str, float]]] = {}
        self._derived: dict[int, tuple[Compiled, Compiled]] = {}
        self.simulated = 0  # runs simulated while active (the rest were served)

    @contextlib.contextmanager
    def active(self) -> Iterator[RunCache]:
        """Keep and serve runs made in this block (and in earlier blocks)."""
        token = _CACHE.set(self)
        try:
            yield self
        finally:
            _CACHE.reset(token)

    def compiled(self, sc: Scenario) -> tuple[Compiled, dict[str, float]]:
        """``sc`` compiled with its parameters, once per digest."""
        key = sc.digest()
        if key not in self._compiled:
            self._compiled[key] = (compile_scenario(sc), resolve_params(sc))
        comp, params = self._compiled[key]
        return comp, dict(params)

    def without_choices(self, comp: Compiled) -> Compiled:
        """:func:`without_choices` of ``comp``, once per compiled scenario."""
        hit = self._derived.get(id(comp))
        if hit is None or hit[0] is not comp:
            hit = (comp, _forbid_choices(comp))
            self._derived[id(comp)] = hit
        return hit[1]

    def trajectories(
        self, comp: Compiled, sets: Sequence[Mapping[str, float]], seeds: Sequence[int]
    ) -> Trajectories:
        """The runs of ``seeds`` (one parameter set each), simulating only new ones.

        Args:
            comp: The compiled scenario (kept alive by the cache).
            sets: One complete parameter dict per run.
            seeds: One seed per run (repeats allowed).

        Returns:
            The runs, in the order of ``seeds``, each as a fresh batch would give it.
        """
        if not len(seeds):
            return run_arrays(comp, [], [])
        by_set: dict[int, dict[int, _Row]] = {}  # one lookup per parameter dict
        stores = []
        for p in sets:
            store = by_set.get(id(p))
            if store is None:
                store = by_set[id(p)] = self._rows(comp, tuple(sorted(p.items())))
            stores.append(store)
        todo: dict[tuple[int, int], int] = {}  # (store, seed) -> position of its first ask
        for i, (store, seed) in enumerate(zip(stores, seeds, strict=True)):
            if int(seed) not in store:
                todo.setdefault((id(store), int(seed)), i)
        if todo:
            first = list(todo.values())
            out = run_arrays(comp, [sets[i] for i in first], [int(seeds[i]) for i in first])
            self.simulated += len(first)
            for j, i in enumerate(first):
                lead = None if out.leaders is None else out.leaders[j]
                stores[i][int(seeds[i])] = (out.trust[j], out.chosen[j], lead)
        rows = [store[int(seed)] for store, seed in zip(stores, seeds, strict=True)]
        leaders = None if rows[0][2] is None else np.stack([r[2] for r in rows])
        return Trajectories(
            trust=np.stack([r[0] for r in rows]),
            chosen=np.stack([r[1] for r in rows]),
            leaders=leaders,
        )

    def _rows(self, comp: Compiled, pk: tuple) -> dict[int, _Row]:
        entry = self._runs.get((id(comp), pk))
        if entry is None or entry[0] is not comp:
            entry = (comp, {})
            self._runs[(id(comp), pk)] = entry
        return entry[1]


_CACHE: contextvars.ContextVar[RunCache | None] = contextvars.ContextVar(
    "natosim_evaluation_runs", default=None
)


def trajectories(
    comp: Compiled, seeds: Sequence[int], params: Mapping[str, float] | Sequence[Mapping]
) -> Trajectories:
    """The runs of one compiled scenario for the given seeds (served by an active cache).

    Args:
        comp: The compiled scenario (or variant).
        seeds: One seed per run.
        params: One complete parameter dict for all runs, or one per run.
    """
    sets = [params] * len(seeds) if isinstance(params, Mapping) else list(params)
    cache = _CACHE.get()
    if cache is None:
        return run_arrays(comp, sets, list(seeds))
    return cache.trajectories(comp, sets, list(seeds))


def simulate(
    comp: Compiled, seeds: Sequence[int], params: Mapping[str, float] | Sequence[Mapping]
) -> np.ndarray:
    """Trust ``(R, T, P)`` of one compiled scenario for the given seeds.

    Args:
        comp: The compiled scenario (or variant).
        seeds: One seed per run.
        params: One complete parameter dict for all runs, or one per run.
    """
    return trajectories(comp, seeds, params).trust


def _forbid_choices(comp: Compiled) -> Compiled:
    return dataclasses.replace(comp, slot_allowed=np.zeros_like(comp.slot_allowed))


def without_choices(comp: Compiled) -> Compiled:
    """The same compiled scenario with every chosen act forbidden in every year."""
    cache = _CACHE.get()
    return _forbid_choices(comp) if cache is None else cache.without_choices(comp)


def free(sc: Scenario) -> Scenario:
    """The scenario with every scheduled act removed and every act open to choice.

    Its shocks are those the scenario keeps: the ones its ``[[remove]]`` takes out
    stay out (the matchers go with the events they removed).
    """
    return sc.model_copy(
        update={
            "name": f"{sc.name}_free",
            "timeline": False,
            "events": (),
            "remove": (),
            "shocks": tuple(x.shock for x in listed_shocks(sc) if x.removed_by is None),
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
    cache = _CACHE.get()
    return (compile_scenario(sc), resolve_params(sc)) if cache is None else cache.compiled(sc)


def run_panel(sc: Scenario, seeds: Sequence[int]) -> Panel:
    """A scenario (or variant) compiled and run with its own parameters on ``seeds``."""
    comp, params = compiled_with_params(sc)
    return Panel.of(comp, simulate(comp, seeds, params))
