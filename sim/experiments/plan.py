"""A sweep's plan: its design points, scenarios, runs, seeds and chunks.

The points are the design over the levers and uncertainties
(:func:`sim.experiments.designs.sample`), or, with ``cross = true``, every
policy (a point of the levers' design) in every world (a point of the
uncertainties' design). With ``scenarios = [...]`` the points are run in every
scenario: the scenario is a categorical factor crossed with the design, so the
scenarios are compared on the same points. Point ``p`` is numeric point
``p % len(points)`` in scenario ``p // len(points)``; run ``r`` is replicate
``r % replicates`` of point ``r // replicates``, with the seed derived from the
master seed and ``r``. Each row of ``runs.parquet`` names its point, replicate
and (with ``cross``) policy and world.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.data import locate
from sim.experiments import outdir
from sim.experiments.chunks import ChunkTask
from sim.experiments.designs import sample
from sim.experiments.outcome_entries import held_by
from sim.experiments.schema import SweepExperiment, SweepSpec
from sim.experiments.size import check_design
from sim.files.errors import InputError
from sim.model.outcomes import Outcome, load_function
from sim.model.provenance import versions
from sim.model.resolve import load_scenario
from sim.model.runner import resolve_params
from sim.model.scenario import Scenario
from sim.model.seeds import derive_seed

__all__ = [
    "Plan",
    "check_resumable",
    "check_workers_can_import",
    "design_points",
    "identity",
    "manifest",
    "plan",
]


@dataclass
class Plan:
    """The expanded experiment: design points, scenarios, runs, seeds and chunks.

    Attributes:
        experiment: The experiment.
        scenario: The base scenario (the first of ``scenarios``).
        points: The numeric design, one row per point (the same in every scenario).
        base_params: The base scenario's parameters.
        scenarios: Every scenario of the sweep (default: the base alone).
        worlds: With ``cross = true``, the points of the uncertainties' design:
            numeric point ``q`` is policy ``q // worlds`` in world ``q % worlds``
            (0 without ``cross``).
    """

    experiment: SweepSpec
    scenario: Scenario
    points: pd.DataFrame
    base_params: dict[str, float]
    scenarios: tuple[Scenario, ...] = field(default_factory=tuple)
    worlds: int = 0

    def __post_init__(self) -> None:
        if not self.scenarios:
            self.scenarios = (self.scenario,)

    def __repr__(self) -> str:
        """One line: what the sweep will run (a notebook shows the whole plan otherwise)."""
        names = ", ".join(s.name for s in self.scenarios)
        return (
            f"<Plan {self.experiment.name!r}: {self.n_points} points x "
            f"{self.experiment.replicates} replicates = {self.n_runs} runs, "
            f"{self.experiment.design}, {names}>"
        )

    @property
    def multi(self) -> bool:
        """Whether the scenario is a factor (``scenarios = [...]``): runs get a ``scenario``."""
        return bool(self.experiment.scenarios)

    @property
    def n_points(self) -> int:
        """Design points over all scenarios."""
        return len(self.points) * len(self.scenarios)

    @property
    def n_runs(self) -> int:
        """Total number of runs."""
        return self.n_points * self.experiment.replicates

    @property
    def n_chunks(self) -> int:
        """Number of chunks."""
        return math.ceil(self.n_runs / self.experiment.chunk_size)

    def chunk_runs(self, chunks: Iterable[int]) -> int:
        """Runs in these chunks (the last one may be short)."""
        size = self.experiment.chunk_size
        return sum(min((c + 1) * size, self.n_runs) - c * size for c in chunks)

    def run_seed(self, run_id: int) -> int:
        """Seed of a run, derived from the master seed."""
        return derive_seed(self.experiment.seed, run_id)

    def tasks(self, skip: set[int]) -> Iterator[ChunkTask]:
        """Chunk tasks not yet completed, in chunk order (built lazily)."""
        exp = self.experiment
        reps = exp.replicates
        names = tuple(self.points.columns)
        values = self.points.to_numpy(dtype=np.float64)
        sc = self.scenario.model_dump(mode="json", by_alias=True)
        digest = self.scenario.digest()
        scenario_set: tuple[tuple[str, dict[str, Any], str, dict[str, float]], ...] = ()
        if self.multi:
            scenario_set = tuple(
                (s.name, s.model_dump(mode="json", by_alias=True), s.digest(), resolve_params(s))
                for s in self.scenarios
            )
        outcomes = exp.outcome_defs()
        n_numeric = len(self.points)
        for c in range(self.n_chunks):
            if c in skip:
                continue
            lo, hi = c * exp.chunk_size, min((c + 1) * exp.chunk_size, self.n_runs)
            run_ids = np.arange(lo, hi, dtype=np.int64)
            point_ids = run_ids // reps
            rows = point_ids % n_numeric
            yield ChunkTask(
                chunk_id=c,
                scenario=sc,
                scenario_digest=digest,
                run_ids=run_ids,
                point_ids=point_ids,
                seeds=np.array([self.run_seed(int(r)) for r in run_ids], dtype=np.int64),
                names=names,
                values=values[rows] if names else np.zeros((len(run_ids), 0)),
                base_params=self.base_params,
                outcomes=outcomes,
                trajectories=exp.trajectories,
                scenario_set=scenario_set,
                points_per_scenario=n_numeric,
                replicates=reps,
                worlds=self.worlds,
            )


def design_points(exp: SweepSpec) -> pd.DataFrame:
    """The numeric design: one column per varied parameter, levers first.

    With ``cross = true`` every policy (row of the levers' design, ``policies``
    points for LHS, default ``n``) is paired with every world (row of the
    uncertainties' design, ``n`` points, drawn with seed ``seed + 1``), the
    policy varying slowest.
    """
    return _design(exp)[0]


def _design(exp: SweepSpec) -> tuple[pd.DataFrame, int]:
    """The design points and, for ``cross = true``, the number of worlds (else 0)."""
    kw = {"levels": exp.levels, "calc_second_order": exp.second_order}
    kw["morris_levels"] = exp.morris_levels
    specs = exp.param_ranges()
    if not specs:
        return pd.DataFrame(index=range(1)), 0
    if not exp.cross:
        points = sample(exp.design, specs, n=exp.n, seed=exp.seed, **kw)
        return points.astype(np.float64).reset_index(drop=True), 0
    policies = sample(
        exp.design, list(exp.levers), n=exp.policies or exp.n, seed=exp.seed, **kw
    ).astype(np.float64)
    worlds = sample(
        exp.design, list(exp.uncertainties), n=exp.n, seed=(exp.seed + 1) % 2**63, **kw
    ).astype(np.float64)
    p = np.repeat(np.arange(len(policies)), len(worlds))
    w = np.tile(np.arange(len(worlds)), len(policies))
    points = pd.concat(
        [policies.iloc[p].reset_index(drop=True), worlds.iloc[w].reset_index(drop=True)], axis=1
    )
    return points, len(worlds)


def _check_functions(exp: SweepSpec) -> None:
    """An outcome function is imported here, before any run, as the workers will import it.

    Raises:
        InputError: If it cannot be imported.
    """
    for o in exp.outcome_defs():
        if isinstance(o, Outcome) and o.function is not None:
            try:
                load_function(o.function)
            except ValueError as exc:
                raise InputError(f"{exp.name}: outcome {o.name!r}: {exc}") from None


def check_workers_can_import(pl: Plan, workers: int | None, scheduler: str | None) -> None:
    """Refuse outcome functions that worker processes could not import.

    A function of ``__main__`` that no file holds (a notebook's cell, the
    interpreter's prompt) exists only in this process: a sweep in it
    (``workers = 1``) can call it, worker processes cannot. A script's
    ``__main__`` is imported again by the workers.

    Raises:
        InputError: For such a function with worker processes or a scheduler.
    """
    if workers == 1 and scheduler is None:
        return
    main = sys.modules.get("__main__")
    if main is not None and getattr(main, "__file__", None):
        return
    for o in pl.experiment.outcome_defs():
        if isinstance(o, Outcome) and (o.function or "").partition(":")[0] == "__main__":
            raise InputError(
                f"{pl.experiment.name}: outcome {o.name!r}: function {o.function!r} is "
                "defined in a notebook or at the prompt, which the sweep's worker processes "
                "cannot import; put it in a module of its own (a .py file on the path) and "
                "name it 'module:function', or sweep with workers=1"
            )


def plan(
    exp: SweepSpec | SweepExperiment,
    scenario: Scenario | None = None,
    *,
    scenarios: tuple[Scenario, ...] = (),
) -> Plan:
    """Expand an experiment into its design points.

    Args:
        exp: A validated experiment (or a loaded one, which brings its scenarios).
        scenario: Its resolved base scenario.
        scenarios: Every scenario, for an experiment with ``scenarios = [...]``
            (default: the others resolved as bundled names or paths from the
            working directory; ``plan(load_experiment(path))`` resolves them
            relative to the file).

    Returns:
        The plan (points table has one column per varied parameter).

    Raises:
        ValueError: If no base scenario is given.
        InputError: If the design has more runs than
            :data:`~sim.files.limits.MAX_SWEEP_RUNS` (checked before sampling).
    """
    if isinstance(exp, SweepExperiment):
        exp, scenario, scenarios = exp.spec, exp.scenario, exp.scenarios
    check_design(exp)
    _check_functions(exp)
    if scenario is None:
        raise ValueError("plan() needs the resolved base scenario")
    scenarios = tuple(scenarios) or (scenario,)
    if len(scenarios) != len(exp.scenario_names):
        rest = [load_scenario(locate.find_input(n, "scenario")) for n in exp.scenario_names[1:]]
        scenarios = (scenario, *rest)
    for sc in scenarios:  # as the file's loader checks (sweep_experiment, load_experiment)
        problem = held_by(exp, sc)
        if problem:
            raise InputError(f"{exp.name}: {problem}")
    points, worlds = _design(exp)
    return Plan(exp, scenario, points, resolve_params(scenario), scenarios, worlds)


def manifest(pl: Plan, source: str) -> dict[str, Any]:
    """The sweep's ``manifest.json``."""
    exp = pl.experiment
    out: dict[str, Any] = {
        "experiment": exp.canonical(),
        "experiment_file": source,
        "experiment_sha256": exp.digest(),
        "scenario": pl.scenario.model_dump(mode="json", by_alias=True),
        "scenario_sha256": pl.scenario.digest(),
        "base_parameters": pl.base_params,
        "n_points": pl.n_points,
        "n_runs": pl.n_runs,
        "n_chunks": pl.n_chunks,
        "seed_rule": "run seed = sim.model.seeds.derive_seed(master seed, run_id) "
        "(SeedSequence([master, run_id])); re-run one with "
        "`natosim run SCENARIO --seed SEED --set NAME=VALUE ...`",
        "versions": versions(),
    }
    if pl.multi:
        out["scenarios"] = [{"name": s.name, "sha256": s.digest()} for s in pl.scenarios]
    return out


def identity(pl: Plan) -> dict[str, Any]:
    """What identifies a sweep's results: the digests of its experiment and scenario(s).

    The same keys as its manifest: ``experiment_sha256``, ``scenario_sha256``
    and ``scenarios`` (names and digests, or None for a sweep of one scenario).
    """
    scenarios = [{"name": s.name, "sha256": s.digest()} for s in pl.scenarios] if pl.multi else None
    return {
        "experiment_sha256": pl.experiment.digest(),
        "scenario_sha256": pl.scenario.digest(),
        "scenarios": scenarios,
    }


def check_resumable(out: Path, pl: Plan) -> None:
    """Refuse to mix two different experiments in one output directory.

    See :func:`sim.experiments.outdir.check_resumable`: the identity recorded
    with the parts decides, else the manifest; parts of unknown origin are refused.
    """
    outdir.check_resumable(Path(out), identity(pl))
