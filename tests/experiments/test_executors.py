import itertools
from collections.abc import Iterator

import numpy as np
import pytest

from sim.experiments.executors import (
    DaskExecutor,
    Executor,
    ProcessExecutor,
    SerialExecutor,
    default_workers,
    make_executor,
)

ENTROPY = 20240601
N_TASKS = 12


# Task functions must be module-level so worker processes can import them.
def toy_task(task: tuple[int, int]) -> tuple[int, float, list[int]]:
    index, entropy = task
    rng = np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(index,)))
    return index, float(rng.standard_normal(1000).mean()), rng.integers(0, 100, 5).tolist()


def failing_task(task: int) -> int:
    if task == 3:
        raise ValueError(f"task {task} failed")
    return task


def tasks() -> list[tuple[int, int]]:
    return [(i, ENTROPY) for i in range(N_TASKS)]


def expected() -> list[tuple[int, float, list[int]]]:
    return [toy_task(t) for t in tasks()]


class CountingTasks:
    """Infinite task iterator that records how many tasks were pulled."""

    def __init__(self) -> None:
        self.pulled = 0

    def __iter__(self) -> Iterator[tuple[int, int]]:
        for i in itertools.count():
            self.pulled += 1
            yield (i, ENTROPY)


def check_executor_contract(ex: Executor, max_in_flight: int) -> None:
    assert isinstance(ex, Executor)
    assert sorted(ex.map_unordered(toy_task, tasks())) == expected()
    # Generators are consumed lazily, with a bounded number of tasks in flight.
    counting = CountingTasks()
    results = ex.map_unordered(toy_task, iter(counting))
    first = list(itertools.islice(results, 5))
    results.close()
    assert len(first) == 5
    assert counting.pulled <= 5 + max_in_flight
    # Task exceptions propagate to the caller.
    with pytest.raises(ValueError, match="task 3 failed"):
        list(ex.map_unordered(failing_task, range(8)))
    # The executor stays usable after an abandoned or failed map.
    assert sorted(ex.map_unordered(toy_task, tasks()[:4])) == expected()[:4]


def test_serial_executor():
    with SerialExecutor() as ex:
        assert ex.parallelism == 1
        assert list(ex.map_unordered(toy_task, tasks())) == expected()
        check_executor_contract(ex, max_in_flight=1)


def test_process_executor():
    with ProcessExecutor(2, max_in_flight=3) as ex:
        assert ex.parallelism == 2
        assert ex.start_method in ("forkserver", "spawn")
        check_executor_contract(ex, max_in_flight=3)
    assert ex._pool is None
    ex.close()  # idempotent


def test_process_executor_default_in_flight_and_validation():
    ex = ProcessExecutor(3)
    assert ex.max_in_flight == 6
    ex.close()
    with pytest.raises(ValueError, match="workers must be a positive int"):
        ProcessExecutor(0)
    with pytest.raises(ValueError, match="max_in_flight"):
        ProcessExecutor(2, max_in_flight=0)


def test_make_executor_local_choices():
    assert isinstance(make_executor(1, None), SerialExecutor)
    ex = make_executor(2, None)
    assert isinstance(ex, ProcessExecutor)
    assert ex.workers == 2
    ex.close()
    default = make_executor(None, None)
    expected_type = SerialExecutor if default_workers() == 1 else ProcessExecutor
    assert isinstance(default, expected_type)
    assert default.parallelism == default_workers()
    default.close()
    with pytest.raises(ValueError, match="workers must be a positive int or None"):
        make_executor(0, None)


@pytest.mark.dask
def test_dask_executor():
    from distributed import LocalCluster

    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        make_executor(None, cluster.scheduler_address) as ex,
    ):
        assert isinstance(ex, DaskExecutor)
        assert ex.parallelism == 2
        assert ex.max_in_flight == 4
        check_executor_contract(ex, max_in_flight=ex.max_in_flight)
    assert ex.client is None
    with pytest.raises(RuntimeError, match="closed"):
        next(ex.map_unordered(toy_task, tasks()))
