"""The size of a run before it starts: refuse what cannot fit, naming the figure and the limit.

``natosim run`` holds every replicate in memory (arrays, the trajectory table,
its CSV text) and writes ``trajectory.csv`` with one row per replicate, year and
directed pair. :func:`check_run_size` estimates both from the compiled scenario
and refuses, before anything runs, a number of replicates above
:data:`~sim.files.limits.MAX_RUN_REPLICATES` or one whose memory or disk would
exceed what this machine has (:mod:`sim.files.resources`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sim.files.errors import InputError
from sim.files.limits import MAX_RUN_REPLICATES
from sim.files.resources import available_memory, free_disk, human_bytes
from sim.model.compile import Compiled, compile_scenario
from sim.model.scenario import Scenario

__all__ = ["RunSize", "check_run_size", "run_size"]

#: Memory per trajectory row (arrays, DataFrame, CSV text; measured 330 B on the
#: historical scenario), with a margin.
MEMORY_PER_ROW = 400
#: Disk per row of ``trajectory.csv`` (measured 53 B), with a margin.
DISK_PER_ROW = 64
#: Memory of the interpreter and libraries before the first replicate.
BASE_MEMORY = 300 << 20


@dataclass(frozen=True)
class RunSize:
    """Estimated size of a run.

    Attributes:
        replicates: Number of replicates.
        rows_per_replicate: Trajectory rows of one replicate (years × pairs).
        memory: Bytes of memory at the peak.
        disk: Bytes written.
    """

    replicates: int
    rows_per_replicate: int
    memory: int
    disk: int


def run_size(scenario: Scenario, replicates: int, comp: Compiled | None = None) -> RunSize:
    """Estimate the memory and disk of ``replicates`` replicates of a scenario.

    ``comp`` is the scenario compiled, if it is at hand (else it is compiled here).
    """
    comp = comp or compile_scenario(scenario)
    rows = len(comp.years) * len(comp.pairs)
    total = rows * replicates
    return RunSize(replicates, rows, BASE_MEMORY + total * MEMORY_PER_ROW, total * DISK_PER_ROW)


def check_run_size(
    scenario: Scenario,
    replicates: int,
    out: Path | None = None,
    option: str = "--replicates",
    comp: Compiled | None = None,
) -> RunSize:
    """Refuse a run that exceeds the replicate limit, the memory or the disk.

    Args:
        scenario: The resolved scenario.
        replicates: Number of replicates asked for.
        out: Folder the results go to (for the disk check), if any.
        option: The option that set ``replicates``, for messages.
        comp: The scenario compiled, if it is at hand.

    Returns:
        The estimate.

    Raises:
        InputError: Naming ``option``, the figure and the limit.
    """
    what = f"{option} {replicates}"
    more = "natosim sweep works in chunks and takes more"
    if replicates > MAX_RUN_REPLICATES:
        raise InputError(
            f"{what}: more than the limit of {MAX_RUN_REPLICATES:,} replicates; {more}"
        )
    size = run_size(scenario, replicates, comp)
    memory = available_memory()
    if memory is not None and size.memory > memory:
        raise InputError(
            f"{what}: needs about {human_bytes(size.memory)} of memory "
            f"({size.rows_per_replicate:,} trajectory rows per replicate), more than the "
            f"{human_bytes(memory)} available; use fewer replicates ({more})"
        )
    disk = free_disk(out) if out is not None else None
    if disk is not None and size.disk > disk:
        raise InputError(
            f"{what}: writes about {human_bytes(size.disk)}, more than the "
            f"{human_bytes(disk)} free at {out}; use fewer replicates or another --out"
        )
    return size
