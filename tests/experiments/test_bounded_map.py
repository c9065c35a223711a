"""The one bounded map, on plain concurrent.futures executors: bound, laziness, order, errors."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.experiments.executors import InlineExecutor, bounded_map


class TaskError(Exception):
    """A task's own error type."""


class Counted:
    """A task generator that records how many tasks were pulled from it."""

    def __init__(self, n: int | None = None) -> None:
        self.n = n
        self.pulled = 0

    def __iter__(self) -> Iterator[int]:
        for i in itertools.count() if self.n is None else range(self.n):
            self.pulled += 1
            yield i


class Recording(Executor):
    """Wraps an executor; records submitted-but-unconsumed tasks at every submit."""

    def __init__(self, pool: Executor) -> None:
        self.pool = pool
        self.submitted = 0
        self.consumed = 0
        self.peak = 0

    def submit[R](self, fn: Callable[..., R], /, *args: object, **kwargs: object) -> Future[R]:
        self.submitted += 1
        self.peak = max(self.peak, self.submitted - self.consumed)
        return self.pool.submit(fn, *args, **kwargs)


class Manual(Executor):
    """Futures that only the test completes (nothing ever runs)."""

    def __init__(self) -> None:
        self.futures: list[Future] = []
        self.changed = threading.Condition()

    def submit(self, fn: Callable, /, *args: object, **kwargs: object) -> Future:
        fut: Future = Future()
        with self.changed:
            self.futures.append(fut)
            self.changed.notify_all()
        return fut

    def complete_when(
        self, n: int, index: int, *, error: Exception | None = None
    ) -> threading.Thread:
        """In a thread: once ``n`` futures exist, finish future ``index``."""

        def run() -> None:
            with self.changed:
                assert self.changed.wait_for(lambda: len(self.futures) >= n, timeout=30)
            fut = self.futures[index]
            fut.set_running_or_notify_cancel()
            if error is None:
                fut.set_result(index)
            else:
                fut.set_exception(error)

        t = threading.Thread(target=run)
        t.start()
        return t


def square(i: int) -> int:
    return i * i


def test_nothing_is_pulled_or_submitted_before_the_first_result_is_asked_for():
    tasks, pool = Counted(), Recording(InlineExecutor())
    results = bounded_map(pool, square, iter(tasks), max_in_flight=3)
    assert (tasks.pulled, pool.submitted) == (0, 0)
    assert next(results) == 0
    assert (tasks.pulled, pool.submitted) == (3, 3)
    results.close()


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 40),
    bound=st.integers(1, 6),
    take=st.integers(0, 45),
    threads=st.sampled_from([0, 1, 3]),
)
def test_bound_holds_and_the_generator_is_pulled_lazily(n, bound, take, threads):
    tasks = Counted(n)
    inner = InlineExecutor() if threads == 0 else ThreadPoolExecutor(threads)
    pool = Recording(inner)
    with inner:
        results = bounded_map(pool, square, iter(tasks), max_in_flight=bound)
        got = []
        for value in itertools.islice(results, take):
            pool.consumed += 1
            got.append(value)
            # Up to the bound ahead of what was consumed, never more.
            assert tasks.pulled == min(n, bound + len(got) - 1)
        results.close()
    assert pool.peak <= bound
    assert pool.peak == min(n, bound) or take == 0
    assert len(got) == min(n, take)
    if take >= n:
        assert sorted(got) == [square(i) for i in range(n)]


def test_an_endless_generator_costs_nothing_up_front():
    tasks = Counted()  # itertools.count(): never ends
    with ThreadPoolExecutor(2) as pool:
        first = list(itertools.islice(bounded_map(pool, square, iter(tasks), max_in_flight=4), 10))
    assert len(first) == 10 and set(first) <= {square(i) for i in range(13)}
    assert tasks.pulled == 13  # the 4 in flight, plus one per result consumed after the first


def test_results_come_in_completion_order():
    second_seen = threading.Event()

    def task(i: int) -> int:
        if i == 0:  # finishes only after the caller has received task 1
            assert second_seen.wait(timeout=30), "results were held back in task order"
        return i

    got = []
    with ThreadPoolExecutor(2) as pool:
        for value in bounded_map(pool, task, range(2), max_in_flight=2):
            got.append(value)
            if value == 1:
                second_seen.set()
    assert got == [1, 0]


def test_a_task_error_propagates_unchanged_and_queued_tasks_are_cancelled():
    pool = Manual()
    error = TaskError("chunk 0 failed")
    finisher = pool.complete_when(3, 0, error=error)
    with pytest.raises(TaskError) as caught:
        list(bounded_map(pool, square, range(10), max_in_flight=3))
    finisher.join()
    assert caught.value is error
    assert len(pool.futures) == 3  # no task pulled after the failure
    assert [f.cancelled() for f in pool.futures[1:]] == [True, True]


def test_abandoning_the_iteration_cancels_queued_tasks():
    pool = Manual()
    finisher = pool.complete_when(2, 1)
    results = bounded_map(pool, square, range(10), max_in_flight=2)
    assert next(results) == 1
    finisher.join()
    results.close()
    assert len(pool.futures) == 2
    assert pool.futures[0].cancelled()


def test_errors_from_threads_keep_their_type():
    def task(i: int) -> int:
        if i == 5:
            raise TaskError(f"task {i}")
        return i

    with ThreadPoolExecutor(2) as pool, pytest.raises(TaskError, match="task 5"):
        list(bounded_map(pool, task, range(20), max_in_flight=3))


@pytest.mark.parametrize("bad", [0, -1, True, 2.0])
def test_bound_must_be_a_positive_int(bad):
    with pytest.raises(ValueError, match="max_in_flight"):
        bounded_map(InlineExecutor(), square, range(3), max_in_flight=bad)
