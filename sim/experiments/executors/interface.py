"""The executor interface: a ``concurrent.futures`` pool plus the bounded map.

Every executor (serial, local processes, Dask) is this class around a
different ``concurrent.futures.Executor``; only the pool and how it is shut
down differ.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor as PoolExecutor
from types import TracebackType
from typing import Self

from sim.experiments.executors.bounded_map import bounded_map, check_in_flight

__all__ = ["Executor"]


class Executor:
    """Apply a function to many tasks on a pool, boundedly, lazily, in completion order.

    A context manager: leaving the ``with`` block normally calls :meth:`close`
    (finish running tasks, then release the workers); leaving it on an
    exception (a failed task, Ctrl-C) calls :meth:`terminate` (release them
    now, without waiting for running tasks).

    Args:
        pool: The ``concurrent.futures`` executor that runs the tasks.
        parallelism: Number of tasks the pool runs at the same time.
        max_in_flight: Maximum number of submitted but unconsumed tasks;
            defaults to ``2 * parallelism``.

    Raises:
        ValueError: If ``max_in_flight`` is not a positive int.
    """

    def __init__(
        self, pool: PoolExecutor, *, parallelism: int, max_in_flight: int | None = None
    ) -> None:
        self.max_in_flight = check_in_flight(max_in_flight, parallelism)
        self._parallelism = parallelism
        self._pool: PoolExecutor | None = pool

    @property
    def parallelism(self) -> int:
        """Number of tasks that can run at the same time."""
        return self._parallelism

    def map_unordered[T, R](self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        """Apply ``fn`` to every task, yielding results as they complete.

        See :func:`~sim.experiments.executors.bounded_map.bounded_map`; callers
        tag results (e.g. with a chunk id) when order matters.

        Args:
            fn: Module-level (importable, picklable) function.
            tasks: Task iterable (picklable items), consumed lazily.

        Returns:
            An iterator of results, in completion order.

        Raises:
            RuntimeError: If the executor has been closed.
        """
        if self._pool is None:
            raise RuntimeError(f"{type(self).__name__} is closed")
        return bounded_map(self._pool, fn, tasks, max_in_flight=self.max_in_flight)

    def close(self) -> None:
        """Cancel queued tasks, wait for running ones, release the workers; idempotent."""
        pool, self._pool = self._pool, None
        if pool is not None:
            self._shutdown(pool, wait=True)

    def terminate(self) -> None:
        """Cancel queued tasks and release the workers at once; idempotent."""
        pool, self._pool = self._pool, None
        if pool is not None:
            self._shutdown(pool, wait=False)

    def _shutdown(self, pool: PoolExecutor, *, wait: bool) -> None:
        pool.shutdown(wait=wait, cancel_futures=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.terminate()
