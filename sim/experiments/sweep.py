"""Sweeps: Monte Carlo ensembles, parameter designs and sensitivity analysis.

A sweep expands an experiment into runs (design points × replicates), gives
each run a seed derived from the master seed, cuts the runs into chunks and
hands the chunks to an executor (serial, a local process pool, or a Dask
cluster). Each chunk is one vectorised batch through the same core as
``natosim run``; its rows are stored as Parquet parts as soon as it finishes,
so a killed sweep resumes where it stopped, and the final files are identical
whichever executor ran them.
"""

from __future__ import annotations

import contextlib
import json
import math
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments import outdir
from sim.experiments.chunks import ChunkTask, run_chunk
from sim.experiments.designs import sample
from sim.experiments.executors import make_executor
from sim.experiments.schema import SweepSpec
from sim.experiments.size import check_design
from sim.files.atomic import atomic_write_text
from sim.files.parts import PartStore
from sim.model.events import fixed_events
from sim.model.provenance import versions
from sim.model.runner import resolve_params
from sim.model.scenario import Scenario
from sim.model.seeds import derive_seed

TABLES = ("runs", "trajectories")


@dataclass
class Plan:
    """The expanded experiment: design points, runs, seeds and chunks."""

    experiment: SweepSpec
    scenario: Scenario
    points: pd.DataFrame
    base_params: dict[str, float]

    @property
    def n_runs(self) -> int:
        """Total number of runs."""
        return len(self.points) * self.experiment.replicates

    @property
    def n_chunks(self) -> int:
        """Number of chunks."""
        return math.ceil(self.n_runs / self.experiment.chunk_size)

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
        for c in range(self.n_chunks):
            if c in skip:
                continue
            lo, hi = c * exp.chunk_size, min((c + 1) * exp.chunk_size, self.n_runs)
            run_ids = np.arange(lo, hi, dtype=np.int64)
            point_ids = run_ids // reps
            yield ChunkTask(
                chunk_id=c,
                scenario=sc,
                scenario_digest=digest,
                run_ids=run_ids,
                point_ids=point_ids,
                seeds=np.array([self.run_seed(int(r)) for r in run_ids], dtype=np.int64),
                names=names,
                values=values[point_ids] if names else np.zeros((len(run_ids), 0)),
                base_params=self.base_params,
                outcomes=exp.outcomes,
                trajectories=exp.trajectories,
            )


def plan(exp: SweepSpec, scenario: Scenario) -> Plan:
    """Expand an experiment into its design points.

    Args:
        exp: A validated experiment.
        scenario: Its resolved base scenario.

    Returns:
        The plan (points table has one column per varied parameter).

    Raises:
        InputError: If the design has more runs than
            :data:`~sim.files.limits.MAX_SWEEP_RUNS` (checked before sampling).
    """
    check_design(exp)
    specs = exp.param_ranges()
    if specs:
        points = sample(
            exp.design,
            specs,
            n=exp.n,
            seed=exp.seed,
            levels=exp.levels,
            calc_second_order=exp.second_order,
            morris_levels=exp.morris_levels,
        ).astype(np.float64)
    else:
        points = pd.DataFrame(index=range(1))
    return Plan(exp, scenario, points.reset_index(drop=True), resolve_params(scenario))


def _manifest(pl: Plan, source: str) -> dict[str, Any]:
    exp = pl.experiment
    return {
        "experiment": exp.canonical(),
        "experiment_file": source,
        "experiment_sha256": exp.digest(),
        "scenario": pl.scenario.model_dump(mode="json", by_alias=True),
        "scenario_sha256": pl.scenario.digest(),
        "base_parameters": pl.base_params,
        "n_points": len(pl.points),
        "n_runs": pl.n_runs,
        "n_chunks": pl.n_chunks,
        "seed_rule": "run seed = sim.run.derive_seed(master seed, run_id) "
        "(SeedSequence([master, run_id])); re-run one with "
        "`natosim run SCENARIO --seed SEED --set NAME=VALUE ...`",
        "versions": versions(),
    }


def identity(pl: Plan) -> dict[str, str]:
    """What identifies a sweep's results: the digests of its experiment and scenario."""
    return {"experiment_sha256": pl.experiment.digest(), "scenario_sha256": pl.scenario.digest()}


def check_resumable(out: Path, pl: Plan) -> None:
    """Refuse to mix two different experiments in one output directory.

    See :func:`sim.experiments.outdir.check_resumable`: the identity recorded
    with the parts decides, else the manifest; parts of unknown origin are refused.
    """
    outdir.check_resumable(Path(out), identity(pl))


def sweep(
    pl: Plan,
    out: Path,
    *,
    source: str = "",
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = True,
) -> dict[str, Path]:
    """Run (or resume) a sweep and write its files.

    Args:
        pl: The plan.
        out: Output directory.
        source: Experiment file name, for the manifest.
        workers: Local worker processes (1 = serial; default: all cores).
        scheduler: Address of a Dask scheduler (``tcp://host:port``).
        progress: Show a progress bar (only on a terminal).

    Returns:
        Paths of ``runs.parquet``, ``trajectories.parquet``, ``events.csv`` (the
        base scenario's scheduled events and shocks), ``manifest.json`` and, for
        Sobol and Morris designs, ``sensitivity.csv``.

    Raises:
        InputError: If another sweep writes into ``out``, ``out`` holds another
            experiment, or the scheduler cannot be reached (then nothing is left
            in ``out``; see :class:`~sim.experiments.outdir.SweepFolder`).
    """
    from tqdm import tqdm

    out = Path(out)
    with outdir.SweepFolder(out, identity(pl)):  # a lock; tidied up if nothing is stored
        store = PartStore(out, TABLES)
        done = store.completed()
        chunk = pl.experiment.chunk_size
        remaining = sum(
            min((c + 1) * chunk, pl.n_runs) - c * chunk for c in range(pl.n_chunks) if c not in done
        )
        with contextlib.ExitStack() as running:
            if remaining:  # connect first: an unreachable scheduler leaves nothing behind
                ex = running.enter_context(
                    make_executor(workers, scheduler, preload=("sim.experiments.chunks",))
                )
            store.claim(identity(pl))
            manifest = json.dumps(_manifest(pl, source), indent=2) + "\n"
            atomic_write_text(out / "manifest.json", manifest)
            bar = running.enter_context(
                tqdm(
                    total=pl.n_runs,
                    initial=pl.n_runs - remaining,
                    unit="run",
                    desc=pl.experiment.name,
                    disable=not (progress and sys.stderr.isatty()),
                    smoothing=0.1,
                )
            )
            if remaining:
                for chunk_id, runs, traj in ex.map_unordered(run_chunk, pl.tasks(done)):
                    store.write(chunk_id, {"runs": runs, "trajectories": traj})
                    bar.update(runs.num_rows)
        paths = _finish(pl, store, out, workers)
    return paths


def _finish(pl: Plan, store: PartStore, out: Path, workers: int | None) -> dict[str, Path]:
    """Merge the parts and write the sweep's other files (every chunk is stored)."""
    paths = store.finalize()
    paths["events"] = write_events(pl, out / "events.csv")
    if pl.experiment.design in ("sobol", "morris"):
        paths["sensitivity"] = write_sensitivity(
            pl, paths["runs"], out / "sensitivity.csv", workers=workers
        )
    paths["manifest"] = out / "manifest.json"
    return paths


def write_events(pl: Plan, path: Path) -> Path:
    """Write the base scenario's scheduled events and shocks, as a run's ``events.csv``.

    They are the same in every run of the sweep (the chosen acts are not: they
    are left out), so figures can mark them without running the model again.
    """
    atomic_write_text(path, fixed_events(pl.scenario).to_csv(index=False))
    return path


def _analyze_one(job: tuple) -> tuple[int, pd.DataFrame]:
    from sim.experiments.sensitivity import analyze

    i, design, specs, points, outcome, y, kw = job
    return i, analyze(design, specs, points, {outcome: y}, **kw)


def write_sensitivity(pl: Plan, runs_path: Path, path: Path, *, workers: int | None = None) -> Path:
    """Sobol or Morris indices of every outcome (replicates averaged per point).

    Outcomes are analysed in parallel on local processes (SALib's bootstrap is
    the slow part); the table is written in the experiment's outcome order.
    """
    runs = pd.read_parquet(runs_path)
    exp = pl.experiment
    means = runs.groupby("point_id")[list(exp.outcomes)].mean().sort_index()
    kw = {
        "calc_second_order": exp.second_order,
        "seed": exp.seed,
        "morris_levels": exp.morris_levels,
        "num_resamples": exp.resamples,
    }
    jobs = [
        (i, exp.design, exp.param_ranges(), pl.points, o, means[o].to_numpy(), kw)
        for i, o in enumerate(exp.outcomes)
    ]
    with make_executor(workers, None) as ex:
        parts = dict(ex.map_unordered(_analyze_one, jobs))
    df = pd.concat([parts[i] for i in range(len(jobs))], ignore_index=True)
    atomic_write_text(path, df.to_csv(index=False))
    return path
