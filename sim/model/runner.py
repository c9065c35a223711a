"""One pure entry point: ``run(scenario, seed)`` and its batch form.

``run`` compiles the scenario, draws each replicate's random numbers from its
own seed, advances all replicates together through :func:`sim.model.core.simulate`,
and returns tidy pandas tables. It writes nothing; see :mod:`sim.results.rundir` for
files and :mod:`sim.results.figures` for figures.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.files.errors import InputError
from sim.files.limits import MAX_RUN_REPLICATES
from sim.model import params as P
from sim.model.compile import Compiled, compile_scenario
from sim.model.core import Trajectories, batch_noise, simulate
from sim.model.param_changes import changed_from, held_back
from sim.model.resolve import load_scenario
from sim.model.result import RunResult
from sim.model.scenario import Scenario
from sim.model.seeds import replicate_seeds
from sim.model.size import check_run_size
from sim.model.vocabulary import did_you_mean

if TYPE_CHECKING:  # pandas is imported only when a table is asked for (keeps workers light)
    pass

SeedLike = int | np.integer


def resolve_params(scenario: Scenario, overrides: Mapping[str, Any] | None = None) -> dict:
    """Scenario parameters with validated overrides applied.

    Raises:
        InputError: For an unknown parameter, a value out of range, or a
            parameter the scenario's ``[[parameter_changes]]`` change later (the
            override would hold only until then, while the run reports it as
            the run's value).
    """
    values = scenario.resolved_parameters()
    changed = changed_from(scenario.parameter_changes, scenario.time.start, scenario.time.end)
    for k, v in (overrides or {}).items():
        values[k] = check_override(k, v, "parameter override")
        if k in changed:
            raise InputError(f"parameter override {k}: {held_back(k, changed[k], scenario.name)}")
    return values


def check_override(name: str, value: object, what: str) -> float:
    """One parameter override, checked; errors are named ``{what} {name}``.

    Raises:
        InputError: For an unknown parameter (with "did you mean") or a bad value.
    """
    try:
        return P.check_value(name, value)
    except KeyError:
        hint = did_you_mean(name, P.PARAM_NAMES, what="parameters")
        raise InputError(f"{what} {name}: unknown parameter{hint}") from None
    except ValueError as exc:
        raise InputError(f"{what} {name}: {exc}") from None


def run_arrays(
    comp: Compiled, param_sets: Sequence[Mapping[str, float]], seeds: Sequence[int]
) -> Trajectories:
    """Simulate a batch of runs of one compiled scenario.

    Args:
        comp: The compiled scenario.
        param_sets: One complete parameter dict per run.
        seeds: One seed per run.

    Returns:
        Trust ``(R, T, P)`` and chosen slots ``(R, T, K)``; run ``i`` is identical
        to the same seed and parameters run alone.
    """
    if len(param_sets) != len(seeds):
        raise ValueError("one parameter set per seed is required")
    noise = batch_noise([int(s) for s in seeds], comp)
    prm = P.param_arrays([dict(p) for p in param_sets])
    return simulate(comp, prm, noise)


def whole_number(value: object, what: str, low: int, most: str = "2**63-1") -> int:
    """``value`` as an int if it is a whole number from ``low`` to 2**63 - 1.

    numpy's integers count, and so does a float with a whole value below 2**53 (a
    seed read from a DataFrame row of mixed columns comes as one); a larger float
    may have lost digits already, so it is refused with the way out. ``most`` is
    the upper bound a message names (a later check enforces a lower one).
    """
    if isinstance(value, float | np.floating):
        if not (math.isfinite(value) and float(value).is_integer()):
            raise InputError(f"{what}: must be a whole number, got {value!r}")
        if abs(value) >= 2**53:
            raise InputError(
                f"{what}: got the float {value!r}, which may have lost digits: pass an int "
                "(a DataFrame row of mixed columns turns ints into floats: take the column)"
            )
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise InputError(f"{what}: must be a whole number, got {value!r}")
    if not low <= int(value) <= 2**63 - 1:
        raise InputError(f"{what}: must be from {low} to {most}, got {int(value)}")
    return int(value)


def run(
    scenario: str | Path | Scenario | dict,
    seed: SeedLike | None = None,
    replicates: int = 1,
    **overrides: float,
) -> RunResult:
    """Run a scenario: the model's one pure entry point.

    Args:
        scenario: A scenario file path, a name in ``scenarios/``, a dict or a
            :class:`~sim.model.scenario.Scenario`.
        seed: Seed of replicate 0 (default: the scenario's ``seed``).
        replicates: Number of Monte Carlo replicates.
        **overrides: Parameter values that replace the scenario's.

    Returns:
        A :class:`RunResult` with ``trajectory`` and ``events`` DataFrames.

    Raises:
        InputError: If the scenario or an override is invalid, the seed is not a
            whole number from 0 to 2**63 - 1, ``replicates`` not one from 1, or the
            run would not fit in memory (as ``natosim run`` checks).
    """
    replicates = whole_number(replicates, "replicates", 1, f"{MAX_RUN_REPLICATES:,}")
    s0 = None if seed is None else whole_number(seed, "seed", 0)
    sc = load_scenario(scenario)
    values = resolve_params(sc, overrides)
    comp = compile_scenario(sc)
    check_run_size(sc, replicates, option="replicates", comp=comp)
    s0 = sc.seed if s0 is None else s0
    seeds = replicate_seeds(s0, replicates)
    arrays = run_arrays(comp, [values] * replicates, seeds)
    return RunResult(sc, comp, seeds, values, arrays)
