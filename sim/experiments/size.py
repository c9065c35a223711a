"""The size of a sweep before it starts: runs, memory and disk, refused up front when too big.

The number of design points follows from the experiment file alone (no
sampling): a grid has the product of its axes' lengths, an LHS ``n`` points,
a Sobol design ``n × (k + 2)`` (``n × (2k + 2)`` with second-order indices) and
a Morris design ``n × (k + 1)`` for ``k`` varied parameters; with ``cross =
true`` the policies' design times the worlds', and with ``scenarios = [...]``
all that once per scenario. Runs are points × replicates. :func:`check_design` refuses more than
:data:`~sim.files.limits.MAX_SWEEP_RUNS` runs, naming the field that sets the
size; :func:`check_sweep_size` also estimates the memory (the design table,
the chunks in flight in the driver and the workers, the runs table a Sobol or
Morris analysis reads) and the disk (parts plus the merged files) and refuses
what this machine cannot hold.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path

from sim.data.tables import HEADLINE
from sim.experiments.executors import default_workers
from sim.experiments.schema import SweepSpec
from sim.files.errors import InputError
from sim.files.limits import MAX_SWEEP_RUNS
from sim.files.resources import available_memory, free_disk, human_bytes
from sim.model.compile import compile_scenario
from sim.model.scenario import Scenario

log = logging.getLogger(__name__)

__all__ = ["SweepSize", "check_design", "check_sweep_size", "count_points", "sweep_size"]

#: Bytes per value of the design table, counting the copies made while sampling.
DESIGN_BYTES_PER_VALUE = 32
#: Bytes per trajectory row in memory (Arrow table in the driver and the worker).
TRAJECTORY_ROW_MEMORY = 48
#: Bytes per trajectory row on disk (zstd Parquet), with a margin; parts and
#: merged file both stay, so it counts twice.
TRAJECTORY_ROW_DISK = 12
#: Bytes per value of the runs table (float64, in memory and, uncompressed, on disk).
RUN_VALUE_BYTES = 8
#: Memory of a worker per run of its chunk besides the trajectory rows (trust,
#: choices and noise arrays, float64, for every year and pair or slot).
WORKER_BYTES_PER_CELL = 24
#: Memory of a local worker process before its first chunk (interpreter, numpy,
#: pyarrow and the model; the driver's own is already in use when it checks).
WORKER_BASE_MEMORY = 200 << 20


def count_points(exp: SweepSpec) -> int:
    """Number of design points of an experiment, all scenarios (without drawing them)."""
    if exp.cross:
        points = _count(exp, list(exp.levers), exp.policies or exp.n) * _count(
            exp, list(exp.uncertainties), exp.n
        )
    else:
        points = _count(exp, exp.param_ranges(), exp.n)
    return points * len(exp.scenario_names)


def _count(exp: SweepSpec, ranges: list, n: int) -> int:
    """Points of the experiment's design over ``ranges`` with ``n`` samples."""
    k = len(ranges)
    if k == 0:
        return 1
    if exp.design == "grid":
        sizes = []
        for r in ranges:
            if r.values is not None:
                sizes.append(len(r.values))
            elif r.integer:
                sizes.append(min(exp.levels, int(r.high - r.low) + 1))
            else:
                sizes.append(exp.levels)
        return math.prod(sizes)
    if exp.design == "lhs":
        return n
    if exp.design == "sobol":
        return n * (2 * k + 2 if exp.second_order else k + 2)
    return n * (k + 1)  # morris


def _size_field(exp: SweepSpec) -> str:
    """The field of the file that sets the number of points."""
    if exp.design == "grid":
        return "levels" if any(r.values is None for r in exp.param_ranges()) else "levers"
    return "n"


def check_design(exp: SweepSpec, path: Path | None = None) -> int:
    """Refuse a design of more than :data:`MAX_SWEEP_RUNS` runs.

    Args:
        exp: The experiment.
        path: Its file, for the message.

    Returns:
        The number of runs.

    Raises:
        InputError: Naming the file and the field that sets the size.
    """
    points = count_points(exp)
    runs = points * exp.replicates
    if runs > MAX_SWEEP_RUNS:
        field = _size_field(exp) if points > MAX_SWEEP_RUNS else "replicates"
        raise InputError(
            path,
            field,
            f"the design has {_figure(runs)} runs ({_figure(points)} {exp.design} points × "
            f"{exp.replicates} replicates), more than the limit of {MAX_SWEEP_RUNS:,}; "
            f"lower {_size_field(exp)} or replicates",
        )
    return runs


def warn_sobol_n(exp: SweepSpec, path: Path | None) -> None:
    """Warn of a Sobol ``n`` that is not a power of two (the design works, less balanced)."""
    if exp.design == "sobol" and exp.n & (exp.n - 1):
        low = 1 << (exp.n.bit_length() - 1)
        log.warning(
            "%s: n = %d: a Sobol design keeps its sequence balanced with a power of two "
            "(%d or %d); the indices are estimated all the same",
            path,
            exp.n,
            low,
            2 * low,
        )


def _figure(n: int) -> str:
    return f"{n:,}" if n < 10**12 else f"{n:.2e}"


@dataclass(frozen=True)
class SweepSize:
    """Estimated size of a sweep.

    Attributes:
        points: Design points.
        runs: Runs (points × replicates).
        memory: Peak bytes of memory, driver and local workers together.
        disk: Bytes written (parts and merged files).
        memory_field: The field of the file that drives the memory most.
    """

    points: int
    runs: int
    memory: int
    disk: int
    memory_field: str


def sweep_size(
    exp: SweepSpec, scenario: Scenario, workers: int | None = None, local: bool = True
) -> SweepSize:
    """Estimate the runs, memory and disk of a sweep (see the module docstring).

    Args:
        exp: The experiment.
        scenario: Its resolved base scenario.
        workers: Local worker processes (None: all CPUs).
        local: Whether the chunks run on this machine (False: on a Dask cluster,
            whose workers' memory is not this machine's).
    """
    points = count_points(exp)
    runs = points * exp.replicates
    comp = compile_scenario(scenario)
    years = int((comp.years >= comp.report_from).sum())
    pairs = {"none": 0, "headline": len(HEADLINE), "all": len(comp.pairs)}[exp.trajectories]
    k = len(exp.param_ranges())
    run_values = 3 + k + len(exp.outcomes)
    n_workers = workers or default_workers()
    local_workers = n_workers if local and n_workers > 1 else 0
    chunk = min(exp.chunk_size, runs)
    chunk_rows = chunk * years * pairs
    in_flight = 2 * n_workers * chunk * (run_values * RUN_VALUE_BYTES) + (
        2 * n_workers * chunk_rows * TRAJECTORY_ROW_MEMORY
    )
    cells = len(comp.years) * (len(comp.pairs) + len(comp.slots))
    per_worker = chunk * cells * WORKER_BYTES_PER_CELL + chunk_rows * TRAJECTORY_ROW_MEMORY
    design = points * max(k, 1) * DESIGN_BYTES_PER_VALUE
    analysis = (
        3 * runs * run_values * RUN_VALUE_BYTES if exp.design in ("sobol", "morris", "lhs") else 0
    )
    parts = {
        "n" if exp.design != "grid" else _size_field(exp): design + analysis,
        "chunk_size": in_flight + (local_workers or 1) * per_worker,
    }
    memory = WORKER_BASE_MEMORY * local_workers + sum(parts.values())
    disk = 2 * runs * (years * pairs * TRAJECTORY_ROW_DISK + run_values * RUN_VALUE_BYTES)
    return SweepSize(points, runs, memory, disk, max(parts, key=parts.__getitem__))


def check_sweep_size(
    exp: SweepSpec,
    scenario: Scenario,
    path: Path | None,
    out: Path,
    workers: int | None = None,
    local: bool = True,
) -> SweepSize:
    """Refuse a sweep that exceeds the run limit, the memory or the free disk.

    Args:
        exp: The experiment.
        scenario: Its resolved base scenario.
        path: The experiment file, for messages.
        out: The output folder (for the disk check).
        workers: Local worker processes (None: all CPUs).
        local: Whether the chunks run on this machine (not on a Dask cluster).

    Returns:
        The estimate.

    Raises:
        InputError: Naming the file, the field to change, the figure and the limit.
    """
    warn_sobol_n(exp, path)
    check_design(exp, path)
    size = sweep_size(exp, scenario, workers, local)
    memory = available_memory()
    if memory is not None and size.memory > memory:
        raise InputError(
            path,
            size.memory_field,
            f"the sweep needs about {human_bytes(size.memory)} of memory ({_figure(size.runs)} "
            f"runs), more than the {human_bytes(memory)} available; lower {size.memory_field}",
        )
    disk = free_disk(out)
    if disk is not None and size.disk > disk:
        raise InputError(
            path,
            _size_field(exp),
            f"the sweep writes about {human_bytes(size.disk)} ({_figure(size.runs)} runs, "
            f"trajectories = {exp.trajectories!r}), more than the {human_bytes(disk)} free at "
            f"{out}; lower {_size_field(exp)} or replicates, record fewer trajectories, "
            "or choose another --out",
        )
    return size
