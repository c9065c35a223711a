"""One executor interface for running sweep chunks serially, locally or on Dask.

Every executor is a ``concurrent.futures`` executor underneath — an in-process
one (:class:`SerialExecutor`), a ``ProcessPoolExecutor``
(:class:`ProcessExecutor`) or Dask's ``Client.get_executor()``
(:class:`DaskExecutor`) — with one bounded, lazy map on top
(:func:`~sim.experiments.executors.bounded_map.bounded_map`):
:meth:`Executor.map_unordered` applies a function to each task and yields
results *as they complete* (so callers tag results, e.g. with a chunk id, if
order matters), keeping at most ``max_in_flight`` tasks in flight and pulling
the task iterable lazily, so a generator of millions of tasks costs constant
memory. Executors are context managers that release their workers on exit::

    with make_executor(workers=4, scheduler=None) as ex:
        for chunk_id, runs, trajectories in ex.map_unordered(run_chunk, chunks):
            store.write(chunk_id, tables)

The task function must be module-level (importable, picklable), and tasks and
results picklable. If a task raises, its exception propagates out of the
iteration and queued tasks are cancelled.

Files: ``bounded_map.py`` (the map), ``interface.py`` (:class:`Executor`),
``local.py`` (serial and process pool), ``dask.py`` (Dask).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence

from sim.experiments.executors.bounded_map import bounded_map
from sim.experiments.executors.dask import DaskExecutor, check_scheduler
from sim.experiments.executors.interface import Executor
from sim.experiments.executors.local import InlineExecutor, ProcessExecutor, SerialExecutor
from sim.files.errors import InputError

__all__ = [
    "DaskExecutor",
    "Executor",
    "InlineExecutor",
    "ProcessExecutor",
    "SerialExecutor",
    "bounded_map",
    "check_scheduler",
    "check_workers",
    "default_workers",
    "make_executor",
]

log = logging.getLogger(__name__)


def default_workers() -> int:
    """Number of CPUs this process may use (respects CPU affinity/cgroup pinning)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def check_workers(workers: int | None, option: str = "--workers") -> int | None:
    """A number of local worker processes, capped at the CPUs this process may use.

    More processes than CPUs only share them (results do not depend on the
    number), each costing memory; so a larger number is lowered to the CPU
    count, with a warning.

    Args:
        workers: Requested number, or None (all CPUs).
        option: The option it came from, for messages.

    Returns:
        ``workers``, capped.

    Raises:
        InputError: If ``workers`` is less than 1.
    """
    if workers is None:
        return None
    if workers < 1:
        raise InputError(f"{option}: must be at least 1, got {workers}")
    cpus = default_workers()
    if workers > cpus:
        log.warning("%s %d: this machine has %d CPU(s); using %d", option, workers, cpus, cpus)
        return cpus
    return workers


def make_executor(
    workers: int | None = None, scheduler: str | None = None, *, preload: Sequence[str] = ()
) -> Executor:
    """Pick an executor from CLI-style options.

    * ``scheduler`` given: :class:`DaskExecutor` connected to it
      (``workers`` is ignored; the cluster decides).
    * otherwise ``workers`` defaults to :func:`default_workers` (the CPUs
      available to this process, i.e. ``os.cpu_count()`` unless affinity
      restricts it); if that is 1 the result is a :class:`SerialExecutor`,
      else a :class:`ProcessExecutor` with that many workers.

    Args:
        workers: Number of local worker processes, or ``None`` for all CPUs.
        scheduler: Dask scheduler address, or ``None`` for local execution.
        preload: Modules local worker processes should import up front.

    Returns:
        An executor; use it as a context manager.

    Raises:
        ValueError: If ``workers`` is given and not a positive int.
    """
    if scheduler:
        return DaskExecutor(scheduler)
    if workers is None:
        workers = default_workers()
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a positive int or None, got {workers!r}")
    if workers == 1:
        return SerialExecutor()
    return ProcessExecutor(workers, preload=preload)
