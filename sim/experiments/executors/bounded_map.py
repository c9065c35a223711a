"""The one bounded, lazy, completion-order map, on top of any ``concurrent.futures`` executor.

``concurrent.futures.Executor.map`` submits every task before it yields the first
result and yields in submission order; a sweep of millions of chunks needs the
opposite: a few tasks in flight, the task iterable advanced only as results are
consumed, and each result handed over as soon as it is ready. That is all this
module adds; running the tasks is the executor's job (an in-process one, a
``ProcessPoolExecutor`` or Dask's ``Client.get_executor()``).
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait

__all__ = ["bounded_map", "check_in_flight"]


def check_in_flight(max_in_flight: int | None, parallelism: int) -> int:
    """The in-flight bound: ``max_in_flight`` checked, or twice ``parallelism``.

    Args:
        max_in_flight: Requested bound, or ``None`` for the default.
        parallelism: Number of tasks the executor runs at once.

    Returns:
        A positive bound.

    Raises:
        ValueError: If ``max_in_flight`` is given and not a positive int.
    """
    if max_in_flight is None:
        return 2 * parallelism
    if isinstance(max_in_flight, bool) or not isinstance(max_in_flight, int) or max_in_flight < 1:
        raise ValueError(f"max_in_flight must be a positive int, got {max_in_flight!r}")
    return max_in_flight


def bounded_map[T, R](
    executor: Executor, fn: Callable[[T], R], tasks: Iterable[T], *, max_in_flight: int
) -> Iterator[R]:
    """Yield ``fn(task)`` for every task, in completion order, with few tasks in flight.

    At most ``max_in_flight`` tasks are submitted but not yet consumed at any
    time: ``max_in_flight`` are submitted at the first ``next()``, then one more
    each time the caller has consumed a result (the others keep the workers busy
    meanwhile). The task iterable is pulled only at those moments, so a generator
    of millions of tasks costs nothing up front. Nothing is submitted before the
    first ``next()``.

    If a task raises, its exception propagates out of the iteration unchanged
    (the executor re-raises the original exception). On any exit before the end
    (an exception, ``break``, ``close()``) the tasks not yet started are
    cancelled; running ones are left to the executor's ``shutdown``.

    Args:
        executor: Any ``concurrent.futures.Executor``.
        fn: Function applied to each task (picklable for process and Dask executors).
        tasks: Task iterable, consumed lazily.
        max_in_flight: Maximum number of submitted but unconsumed tasks (>= 1).

    Returns:
        An iterator of the results, in completion order.

    Raises:
        ValueError: If ``max_in_flight`` is not a positive int (at the call).
    """
    bound = check_in_flight(max_in_flight, 1)
    return _bounded_map(executor, fn, tasks, bound)


def _bounded_map[T, R](
    executor: Executor, fn: Callable[[T], R], tasks: Iterable[T], max_in_flight: int
) -> Iterator[R]:
    it = iter(tasks)
    number = itertools.count()
    running: dict[Future[R], int] = {}  # submitted, not finished -> submission number
    ready: deque[Future[R]] = deque()  # finished, not yet consumed

    def submit(task: T) -> None:
        running[executor.submit(fn, task)] = next(number)

    try:
        for task in itertools.islice(it, max_in_flight):
            submit(task)
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            # Futures that finished together are handed over in submission order.
            ready.extend(sorted(finished, key=running.__getitem__))
            for fut in finished:
                del running[fut]
            del finished
            while ready:
                yield ready.popleft().result()
                # Refill only now, so submitted-but-unconsumed stays within the bound.
                for task in itertools.islice(it, 1):
                    submit(task)
    finally:
        for fut in running:
            fut.cancel()
        # A task's exception keeps this frame alive in its traceback; drop the
        # futures so that they do not keep their results (or Dask keys) alive.
        running.clear()
        ready.clear()
