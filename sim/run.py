"""One pure entry point: ``run(scenario, seed)`` and its batch form.

``run`` compiles the scenario, draws each replicate's random numbers from its
own seed, advances all replicates together through :func:`sim.core.simulate`,
and returns tidy pandas tables. It writes nothing; see :mod:`sim.output` for
files and :mod:`sim.plots` for figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim import params as P
from sim.compile import Compiled, compile_scenario
from sim.core import Trajectories, draw_noise, simulate
from sim.scenario import Scenario, ScenarioError, load_scenario

if TYPE_CHECKING:  # pandas is imported only when a table is asked for (keeps workers light)
    import pandas as pd

SeedLike = int | np.integer


def derive_seed(master: int, index: int) -> int:
    """A run seed derived from a master seed and an index (SeedSequence based).

    Args:
        master: The master seed.
        index: Which derived seed (0, 1, 2, ...).

    Returns:
        A non-negative integer below 2**53, usable as ``natosim run --seed``. (53
        bits, so the seed survives any float conversion, JSON or spreadsheet.)
    """
    ss = np.random.SeedSequence([int(master), int(index)])
    return int(ss.generate_state(1, np.uint64)[0] >> np.uint64(11))


def replicate_seeds(seed: int, replicates: int) -> list[int]:
    """Seeds of ``replicates`` runs: the first is ``seed`` itself, the rest derived.

    Replicate 0 of ``natosim run --seed N --replicates R`` is therefore the
    same run as ``natosim run --seed N``, and any replicate ``r`` can be re-run
    alone with ``--seed`` set to its recorded seed.
    """
    return [int(seed)] + [derive_seed(seed, r) for r in range(1, replicates)]


def resolve_params(scenario: Scenario, overrides: Mapping[str, Any] | None = None) -> dict:
    """Scenario parameters with validated overrides applied.

    Raises:
        ScenarioError: For an unknown parameter or a value out of range.
    """
    values = scenario.resolved_parameters()
    for k, v in (overrides or {}).items():
        try:
            values[k] = P.check_value(k, v)
        except KeyError:
            raise ScenarioError(
                "<parameters>", k, f"unknown parameter (known: {', '.join(P.PARAM_NAMES)})"
            ) from None
        except ValueError as exc:
            raise ScenarioError("<parameters>", k, str(exc)) from None
    return values


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
    noise = [draw_noise(int(s), comp) for s in seeds]
    u = np.stack([n[0] for n in noise])
    z = np.stack([n[1] for n in noise])
    prm = P.param_arrays([dict(p) for p in param_sets])
    return simulate(comp, prm, u, z)


@dataclass
class RunResult:
    """The outcome of :func:`run`: arrays plus tidy tables built on demand."""

    scenario: Scenario
    compiled: Compiled
    seeds: list[int]
    parameters: dict[str, float]
    arrays: Trajectories

    @property
    def years(self) -> np.ndarray:
        """Reported years."""
        return self.compiled.years[self._year_mask]

    @property
    def _year_mask(self) -> np.ndarray:
        return self.compiled.years >= self.compiled.report_from

    def series(self, observer: str, target: str) -> np.ndarray:
        """Trust of one pair, ``(replicates, years)`` over the reported years."""
        p = self.compiled.pair_index[(observer, target)]
        return self.arrays.trust[:, self._year_mask, p]

    def median(self, observer: str, target: str) -> pd.Series:
        """Median over replicates of one pair's trust, indexed by year."""
        import pandas as pd

        return pd.Series(
            np.median(self.series(observer, target), axis=0), index=self.years, name="trust"
        )

    @cached_property
    def trajectory(self) -> pd.DataFrame:
        """``replicate, seed, year, observer, target, trust``, one row per pair and year."""
        import pandas as pd

        comp = self.compiled
        trust = self.arrays.trust[:, self._year_mask]
        r, t, p = trust.shape
        obs = np.array([a for a, _ in comp.pairs])
        tgt = np.array([b for _, b in comp.pairs])
        return pd.DataFrame(
            {
                "replicate": np.repeat(np.arange(r), t * p),
                "seed": np.repeat(np.array(self.seeds, dtype=np.int64), t * p),
                "year": np.tile(np.repeat(self.years, p), r),
                "observer": np.tile(obs, r * t),
                "target": np.tile(tgt, r * t),
                "trust": trust.reshape(-1),
            }
        )

    @cached_property
    def events(self) -> pd.DataFrame:
        """``replicate, year, actor, action, target, origin`` (scheduled, chosen or shock)."""
        import pandas as pd

        comp = self.compiled
        rows: list[tuple] = []
        years = comp.years
        n_rep = self.arrays.trust.shape[0]
        shocks = sorted(self.scenario.shocks, key=lambda s: s.year)
        for rep in range(n_rep):
            chosen = self.arrays.chosen[rep]
            for ti, year in enumerate(years):
                if year < comp.report_from:
                    continue
                for sh in shocks:
                    if sh.year == year:
                        if sh.kind == "threat":
                            rows.append((rep, year, "WORLD", "threat_shock", sh.theme, "shock"))
                        else:
                            rows.append(
                                (rep, year, sh.actor, "leadership_change", sh.actor, "shock")
                            )
                for o in comp.sched[ti]:
                    rows.append((rep, year, o.actor, o.action, ";".join(o.targets), "scheduled"))
                for k in np.flatnonzero(chosen[ti]):
                    o = comp.slots[k]
                    rows.append((rep, year, o.actor, o.action, o.targets[0], "chosen"))
        return pd.DataFrame(
            rows, columns=["replicate", "year", "actor", "action", "target", "origin"]
        ).astype({"replicate": "int64", "year": "int64"})


def run(
    scenario: str | Path | Scenario | dict,
    seed: SeedLike | None = None,
    replicates: int = 1,
    **overrides: float,
) -> RunResult:
    """Run a scenario: the model's one pure entry point.

    Args:
        scenario: A scenario file path, a name in ``scenarios/``, a dict or a
            :class:`~sim.scenario.Scenario`.
        seed: Seed of replicate 0 (default: the scenario's ``seed``).
        replicates: Number of Monte Carlo replicates.
        **overrides: Parameter values that replace the scenario's.

    Returns:
        A :class:`RunResult` with ``trajectory`` and ``events`` DataFrames.

    Raises:
        ScenarioError: If the scenario or an override is invalid.
    """
    if replicates < 1:
        raise ValueError("replicates must be at least 1")
    sc = load_scenario(scenario)
    values = resolve_params(sc, overrides)
    comp = compile_scenario(sc)
    s0 = sc.seed if seed is None else int(seed)
    seeds = replicate_seeds(s0, replicates)
    arrays = run_arrays(comp, [values] * replicates, seeds)
    return RunResult(sc, comp, seeds, values, arrays)
