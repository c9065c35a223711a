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
import logging
from pathlib import Path

import pandas as pd

from sim.experiments import outdir
from sim.experiments.chunks import run_chunk
from sim.experiments.executors import make_executor
from sim.experiments.plan import Plan, check_resumable, check_workers_can_import, identity, plan
from sim.experiments.plan import manifest as _manifest
from sim.experiments.progress import progress_bar
from sim.files.atomic import atomic_write_text
from sim.files.parts import PartStore
from sim.model.events import fixed_events

TABLES = ("runs", "trajectories")

log = logging.getLogger(__name__)

__all__ = [
    "Plan",
    "check_resumable",
    "identity",
    "merged",
    "plan",
    "run_chunk",
    "stored_runs",
    "sweep",
]


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
        progress: Show a progress bar (on a terminal, or as a widget in a notebook).

    Returns:
        Paths of ``runs.parquet``, ``trajectories.parquet``, ``events.csv`` (the
        base scenario's scheduled events and shocks), ``manifest.json`` and, for
        Sobol, Morris and Latin-hypercube designs, ``sensitivity.csv``.

    Raises:
        InputError: If another sweep writes into ``out``, ``out`` holds another
            experiment, or the scheduler cannot be reached (then nothing is left
            in ``out``; see :class:`~sim.experiments.outdir.SweepFolder`).
    """
    out = Path(out)
    check_workers_can_import(pl, workers, scheduler)
    with outdir.SweepFolder(out, identity(pl)):  # a lock; tidied up if nothing is stored
        store = PartStore(out, TABLES)
        if merged(out):  # finished before: the merged files hold every run, parts dropped
            store.compact(pl.n_chunks)  # what a kill while dropping them left
            store.claim(identity(pl))  # kept, or written again if it was deleted
            manifest = json.dumps(_manifest(pl, source), indent=2) + "\n"
            atomic_write_text(out / "manifest.json", manifest)
            return _finish(pl, store, out, workers, events_table(pl), merge=False)
        store.reopen()  # a merge whose files were deleted since: compute again
        done = _current(out, store.completed())
        remaining = pl.chunk_runs(c for c in range(pl.n_chunks) if c not in done)
        with contextlib.ExitStack() as running:
            if remaining:  # connect first: an unreachable scheduler leaves nothing behind
                ex = running.enter_context(
                    make_executor(workers, scheduler, preload=("sim.experiments.chunks",))
                )
            store.claim(identity(pl))
            manifest = json.dumps(_manifest(pl, source), indent=2) + "\n"
            atomic_write_text(out / "manifest.json", manifest)
            # Ready before the chunks (written after them): made while workers start.
            events = events_table(pl)
            bar = running.enter_context(
                progress_bar(
                    progress,
                    total=pl.n_runs,
                    initial=pl.n_runs - remaining,
                    unit="run",
                    desc=pl.experiment.name,
                    smoothing=0.1,
                )
            )
            if remaining:
                for chunk_id, runs, traj in ex.map_unordered(run_chunk, pl.tasks(done)):
                    store.write(chunk_id, {"runs": runs, "trajectories": traj})
                    bar.update(runs.num_rows)
        return _finish(pl, store, out, workers, events)


def merged(out: Path) -> bool:
    """Whether a sweep folder was finished: its parts merged into files still there."""
    return PartStore.is_finished(out) and all(
        (Path(out) / f"{t}.parquet").is_file() for t in TABLES
    )


def stored_runs(out: Path, pl: Plan) -> int:
    """How many of the plan's runs a folder holds already (resumed, not computed again)."""
    if merged(out):
        return pl.n_runs
    done = _current(out, PartStore.completed_in(out, TABLES))
    return pl.chunk_runs(c for c in range(pl.n_chunks) if c in done)


#: A column of ``runs.parquet`` that parts written before it existed lack.
NEWEST_COLUMN = "replicate"


def _current(out: Path, chunks: set[int]) -> set[int]:
    """The chunks whose runs part has this version's columns.

    A part an earlier version wrote lacks the newer columns (``replicate``,
    ``policy_id``, ``world_id``): its chunk is computed again, so the merged
    files equal a fresh sweep's rather than hold empty cells.
    """
    import pyarrow.parquet as pq

    return {
        c
        for c in chunks
        if NEWEST_COLUMN in pq.read_schema(PartStore.part_in(out, "runs", c)).names
    }


def _finish(
    pl: Plan,
    store: PartStore,
    out: Path,
    workers: int | None,
    events: pd.DataFrame,
    *,
    merge: bool = True,
) -> dict[str, Path]:
    """Merge the parts, write the sweep's other files, then drop the parts.

    The merged files hold every row, so the parts would only double the disk a
    sweep takes; the folder's identity and lock stay for a later run of the same
    command (which finds the sweep finished and computes nothing).
    """
    paths = store.finalize() if merge else {t: out / f"{t}.parquet" for t in TABLES}
    atomic_write_text(out / "events.csv", events.to_csv(index=False))
    paths["events"] = out / "events.csv"
    if pl.experiment.design in ("sobol", "morris", "lhs"):
        paths["sensitivity"] = write_sensitivity(
            pl, paths["runs"], out / "sensitivity.csv", workers=workers
        )
    paths["manifest"] = out / "manifest.json"
    store.compact(pl.n_chunks)
    return paths


def events_table(pl: Plan) -> pd.DataFrame:
    """The base scenario's scheduled events and shocks, as in a run's ``events.csv``.

    They are the same in every run of the sweep (the chosen acts are not: they
    are left out), so figures can mark them without running the model again.
    With ``scenarios = [...]`` each scenario's are listed, in a first column
    ``scenario``.
    """
    if pl.multi:
        table = pd.concat(
            [fixed_events(s).assign(scenario=s.name) for s in pl.scenarios], ignore_index=True
        )
        table = table[["scenario", *(c for c in table.columns if c != "scenario")]]
    else:
        table = fixed_events(pl.scenario)
    return table


def _analyze_one(job: tuple) -> tuple[int, pd.DataFrame]:
    from sim.experiments.sensitivity import analyze

    i, design, specs, points, outcome, y, kw = job
    return i, analyze(design, specs, points, {outcome: y}, **kw)


def write_sensitivity(pl: Plan, runs_path: Path, path: Path, *, workers: int | None = None) -> Path:
    """Sobol, Morris or PRCC indices of every outcome (replicates averaged per point).

    Outcomes are analysed in parallel on local processes (SALib's bootstrap is
    the slow part); the table is written in the experiment's outcome order.
    With ``scenarios = [...]`` each scenario is analysed on its own, and the
    table has a first column ``scenario``.
    """
    runs = pd.read_parquet(runs_path)
    exp = pl.experiment
    names = [o.name for o in exp.outcome_defs()]
    means = runs.groupby("point_id")[names].mean().sort_index()
    for name in names:  # an index needs a value at every point (first_year: NaN without)
        empty = int(means[name].isna().sum())
        if empty:
            log.warning(
                "%s: sensitivity of %s left empty: %d of %d design points have no value "
                "(no run there gave one)",
                exp.name,
                name,
                empty,
                len(means),
            )
    kw = {
        "calc_second_order": exp.second_order,
        "seed": exp.seed,
        "morris_levels": exp.morris_levels,
        "num_resamples": exp.resamples,
    }
    k = len(pl.points)
    blocks = [means.iloc[s * k : (s + 1) * k] for s in range(len(pl.scenarios))]
    jobs = [
        (i, exp.design, exp.param_ranges(), pl.points, o, block[o].to_numpy(), kw)
        for i, (block, o) in enumerate((b, o) for b in blocks for o in names)
    ]
    with make_executor(workers, None) as ex:
        parts = dict(ex.map_unordered(_analyze_one, jobs))
    if pl.multi:
        for i in parts:
            parts[i].insert(0, "scenario", pl.scenarios[i // len(names)].name)
    df = pd.concat([parts[i] for i in range(len(jobs))], ignore_index=True)
    atomic_write_text(path, df.to_csv(index=False))
    return path
