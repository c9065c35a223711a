"""One executor interface for running sweep chunks serially, locally or on Dask.

Every executor offers :meth:`Executor.map_unordered`, which applies a
function to each task and yields results *as they complete* (so callers must
tag results, e.g. with a chunk id, if order matters), and is a context
manager that releases its workers on exit::

    with make_executor(workers=4, scheduler=None) as ex:
        for chunk_id, runs, trajectories in ex.map_unordered(run_chunk, chunks):
            store.write(chunk_id, tables)

Parallel executors keep only a bounded number of tasks in flight and pull
from the task iterable lazily, so a generator of millions of tasks costs
constant memory.  The task function must be a module-level (importable,
picklable) function, and tasks and results must be picklable.  If a task
raises, the exception propagates out of the iteration and queued tasks are
cancelled.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self, runtime_checkable

if TYPE_CHECKING:
    import distributed

__all__ = [
    "DaskExecutor",
    "Executor",
    "ProcessExecutor",
    "SerialExecutor",
    "default_workers",
    "make_executor",
]


@runtime_checkable
class Executor(Protocol):
    """Common interface of all executors."""

    @property
    def parallelism(self) -> int:
        """Number of tasks that can run at the same time."""
        ...

    def map_unordered[T, R](self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        """Apply ``fn`` to every task, yielding results in completion order."""
        ...

    def close(self) -> None:
        """Release workers and connections; idempotent."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class _ContextMixin:
    def close(self) -> None:  # pragma: no cover - overridden
        """Release resources."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def default_workers() -> int:
    """Number of CPUs this process may use (respects CPU affinity/cgroup pinning)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _check_in_flight(max_in_flight: int | None, parallelism: int) -> int:
    if max_in_flight is None:
        return 2 * parallelism
    if isinstance(max_in_flight, bool) or not isinstance(max_in_flight, int) or max_in_flight < 1:
        raise ValueError(f"max_in_flight must be a positive int, got {max_in_flight!r}")
    return max_in_flight


class SerialExecutor(_ContextMixin):
    """Run tasks one after another in the calling process.

    Results are produced lazily, in task order.  Useful for debugging,
    profiling and ``workers=1``.
    """

    @property
    def parallelism(self) -> int:
        """Always 1."""
        return 1

    def map_unordered[T, R](self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        """Yield ``fn(task)`` for each task, in order.

        Args:
            fn: Function applied to each task.
            tasks: Task iterable, consumed lazily.

        Yields:
            One result per task.
        """
        for task in tasks:
            yield fn(task)

    def close(self) -> None:
        """Nothing to release."""


class ProcessExecutor(_ContextMixin):
    """Run tasks in a local pool of worker processes.

    Uses ``concurrent.futures.ProcessPoolExecutor`` with the ``"forkserver"``
    start method where available (Linux, macOS), else ``"spawn"``.  Plain
    ``fork`` is avoided because it copies the parent process while other
    threads (Dask/tornado loops, BLAS or Arrow thread pools, tqdm monitors)
    may hold locks, which can deadlock the child; CPython 3.12 warns about
    forking multi-threaded processes for this reason.  ``forkserver`` forks
    workers from a small single-threaded server process started from a fresh
    interpreter, so it is thread-safe like ``spawn`` but starts workers more
    cheaply.  Consequently ``fn`` and the tasks are pickled and ``fn`` must be
    importable by module path; the main script must be import-safe (guard
    with ``if __name__ == "__main__":``).

    The pool is created on first use and shut down by :meth:`close` (or on
    leaving the ``with`` block).

    Args:
        workers: Number of worker processes (>= 1).
        max_in_flight: Maximum number of submitted but unconsumed tasks;
            defaults to ``2 * workers``.
        max_tasks_per_child: If set, recycle each worker after this many
            tasks (guards against slow memory leaks).
        preload: Modules the fork server imports once before forking workers.

    Raises:
        ValueError: For non-positive ``workers`` or ``max_in_flight``.
    """

    def __init__(
        self,
        workers: int,
        *,
        max_in_flight: int | None = None,
        max_tasks_per_child: int | None = None,
        preload: Sequence[str] = (),
    ) -> None:
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ValueError(f"workers must be a positive int, got {workers!r}")
        self.workers = workers
        self.preload = tuple(preload)
        self.max_in_flight = _check_in_flight(max_in_flight, workers)
        self.max_tasks_per_child = max_tasks_per_child
        methods = multiprocessing.get_all_start_methods()
        self.start_method = "forkserver" if "forkserver" in methods else "spawn"
        self._pool: ProcessPoolExecutor | None = None

    @property
    def parallelism(self) -> int:
        """Number of worker processes."""
        return self.workers

    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            ctx = multiprocessing.get_context(self.start_method)
            if self.preload and self.start_method == "forkserver":
                # Import heavy modules once in the fork server, not in every worker.
                ctx.set_forkserver_preload(list(self.preload))
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=ctx,
                max_tasks_per_child=self.max_tasks_per_child,
            )
        return self._pool

    def map_unordered[T, R](self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        """Yield ``fn(task)`` for each task as the workers finish them.

        At most ``max_in_flight`` tasks are submitted but not yet consumed at
        any time; the task iterable is advanced by one task each time the
        caller consumes a result.  Abandoning the iterator
        (``close()``, ``break``) or an exception cancels queued tasks.

        Args:
            fn: Picklable module-level function.
            tasks: Task iterable (items must be picklable).

        Yields:
            One result per task, in completion order.
        """
        pool = self._ensure_pool()
        it = iter(tasks)
        pending: set[Future[R]] = set()
        try:
            for task in itertools.islice(it, self.max_in_flight):
                pending.add(pool.submit(fn, task))
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    yield fut.result()
                    # Replace the consumed task only now, so that submitted but
                    # unconsumed results never exceed max_in_flight; the other
                    # pending tasks keep the workers busy meanwhile.
                    for task in itertools.islice(it, 1):
                        pending.add(pool.submit(fn, task))
        finally:
            for fut in pending:
                fut.cancel()

    def close(self) -> None:
        """Shut the pool down, cancelling queued tasks; idempotent."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskExecutor(_ContextMixin):
    """Run tasks on a ``dask.distributed`` cluster.

    Connects a private ``distributed.Client`` (not registered as the global
    default) to an existing scheduler; closing the executor closes the client
    but leaves the cluster running.  Tasks are submitted with ``pure=False``
    (identical tasks are not de-duplicated) and results are collected with
    ``distributed.as_completed``; finished futures are released immediately so
    cluster memory stays bounded.

    Args:
        address: Scheduler address, e.g. ``"tcp://10.0.0.5:8786"``.
        max_in_flight: Maximum number of submitted but unconsumed tasks;
            defaults to twice the cluster's thread count at connection time.
        timeout: Seconds to wait for the scheduler connection.
    """

    def __init__(
        self, address: str, *, max_in_flight: int | None = None, timeout: float = 30
    ) -> None:
        from distributed import Client

        self.address = address
        self.client: distributed.Client | None = Client(
            address, set_as_default=False, timeout=timeout
        )
        threads = sum(self.client.nthreads().values())
        self._parallelism = max(1, threads)
        self.max_in_flight = _check_in_flight(max_in_flight, self._parallelism)

    @property
    def parallelism(self) -> int:
        """Total worker threads when the client connected (at least 1)."""
        return self._parallelism

    def map_unordered[T, R](self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        """Yield ``fn(task)`` for each task as the cluster finishes them.

        Args:
            fn: Picklable module-level function (importable on the workers).
            tasks: Task iterable (items must be picklable).

        Yields:
            One result per task, in completion order.

        Raises:
            RuntimeError: If the executor has been closed.
        """
        from distributed import as_completed

        client = self.client
        if client is None:
            raise RuntimeError("DaskExecutor is closed")
        it = iter(tasks)
        pending: set[Any] = set()

        def submit(task: T) -> Any:
            fut = client.submit(fn, task, pure=False)
            pending.add(fut)
            return fut

        try:
            initial = [submit(t) for t in itertools.islice(it, self.max_in_flight)]
            # The client is private (not the global default), so pass its loop.
            ac = as_completed(initial, loop=client.loop)
            for fut in ac:
                result = fut.result()
                pending.discard(fut)
                fut.release()
                yield result
                for task in itertools.islice(it, 1):
                    ac.add(submit(task))
        finally:
            if pending:
                client.cancel(list(pending))
                pending.clear()

    def close(self) -> None:
        """Close the client connection; idempotent."""
        if self.client is not None:
            self.client.close()
            self.client = None


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
