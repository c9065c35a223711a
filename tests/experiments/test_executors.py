import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import numpy as np
import psutil
import pytest

from sim.experiments.executors import (
    DaskExecutor,
    Executor,
    ProcessExecutor,
    SerialExecutor,
    default_workers,
    make_executor,
)
from tests.paths import ROOT

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


def sleepy_task(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def worker_state(module: str) -> tuple[str, bool, list[int]]:
    """Whether ``module`` is imported in this worker, and its BLAS thread counts."""
    from threadpoolctl import threadpool_info

    blas = [info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"]
    return module, module in sys.modules, blas


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
    # Task exceptions propagate to the caller, as the task's own exception type.
    with pytest.raises(ValueError, match="task 3 failed") as caught:
        list(ex.map_unordered(failing_task, range(8)))
    assert caught.type is ValueError
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
            dashboard_address=":0",
        ) as cluster,
        make_executor(None, cluster.scheduler_address) as ex,
    ):
        assert isinstance(ex, DaskExecutor)
        assert ex.parallelism == 2
        assert ex.max_in_flight == 4
        check_executor_contract(ex, max_in_flight=ex.max_in_flight)
        # Ctrl-C while the cluster is busy: the tasks are cancelled, the client closed.
        # (Dask cannot stop a running task's thread: keep them short.)
        busy = DaskExecutor(cluster.scheduler_address)
        with pytest.raises(KeyboardInterrupt):
            _interrupt_busy(busy, [], seconds=1)
        assert busy.client is None

        def sleepy_keys() -> list[str]:
            return [k for k in list(cluster.scheduler.tasks) if str(k).startswith("sleepy_task")]

        deadline = time.monotonic() + 30
        while sleepy_keys() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not sleepy_keys()
    assert ex.client is None
    with pytest.raises(RuntimeError, match="closed"):
        next(ex.map_unordered(toy_task, tasks()))


@pytest.mark.dask
def test_a_scheduler_without_workers_is_waited_for_then_refused(caplog):
    """Tasks sent to a scheduler with no worker would wait forever, with nothing said."""
    from distributed import LocalCluster

    from sim.files.errors import InputError

    with LocalCluster(n_workers=0, host="127.0.0.1", dashboard_address=":0") as cluster:
        addr = cluster.scheduler_address
        t0 = time.monotonic()
        with pytest.raises(InputError, match=r"no worker joined the scheduler within 1 s"):
            DaskExecutor(addr, worker_timeout=1.0)
        assert time.monotonic() - t0 < 30
        assert "the scheduler has no workers yet; waiting up to 1 s" in caplog.text
        cluster.scale(1)
        cluster.wait_for_workers(1, timeout=30)
        with DaskExecutor(addr, worker_timeout=1.0) as ex:  # a worker: no wait
            assert ex.parallelism >= 1
            assert sorted(r[0] for r in ex.map_unordered(toy_task, [(i, 1) for i in range(3)])) == [
                0,
                1,
                2,
            ]


def test_preload_must_name_a_module():
    with pytest.raises(ValueError, match=r"no module named 'sim\.chunk'"):
        ProcessExecutor(2, preload=("sim.chunk",))


def test_workers_start_preloaded_with_one_blas_thread():
    # In a fresh interpreter: the fork server (and its preload) is one per process.
    code = (
        "from sim.experiments.executors import ProcessExecutor\n"
        "from tests.experiments.test_executors import worker_state\n"
        "names = ['sim.experiments.chunks', 'sim.experiments.sweep'] * 2\n"
        "with ProcessExecutor(2, preload=('sim.experiments.chunks',)) as ex:\n"
        "    print(sorted(set((m, s, tuple(b)) for m, s, b in ex.map_unordered(worker_state, names))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == (
        "[('sim.experiments.chunks', True, (1,)), ('sim.experiments.sweep', False, (1,))]"
    )


def _descendants() -> set[int]:
    return {p.pid for p in psutil.Process().children(recursive=True)}


def _interrupt_busy(
    ex: Executor, workers: list[psutil.Process], *, seconds: float = 600, sigint: bool = False
) -> None:
    """Keep the workers busy with long tasks, then Ctrl-C (leaving the ``with``)."""
    with ex:
        results = ex.map_unordered(sleepy_task, itertools.chain([0], itertools.repeat(seconds)))
        assert next(results) == 0
        if isinstance(ex, ProcessExecutor):
            workers.extend(psutil.Process(pid) for pid in ex._pool._processes)
        if sigint:  # what Ctrl-C does
            os.kill(os.getpid(), signal.SIGINT)
            next(results)
        raise KeyboardInterrupt


@pytest.mark.timeout(120)
@pytest.mark.parametrize("how", ["close", "exception", "sigint"])
def test_close_and_ctrl_c_leave_no_worker_processes(how: str):
    me = os.getpid()
    before = _descendants()
    workers: list[psutil.Process] = []
    if how == "close":
        with ProcessExecutor(2) as ex:
            assert sorted(ex.map_unordered(toy_task, tasks())) == expected()
            workers.extend(psutil.Process(pid) for pid in ex._pool._processes)
    else:
        with pytest.raises(KeyboardInterrupt):
            _interrupt_busy(ProcessExecutor(2), workers, sigint=how == "sigint")
    assert len(workers) == 2
    _, alive = psutil.wait_procs(workers, timeout=30)
    assert not alive
    # What remains is at most the fork server and the resource tracker, which
    # serve every pool of this process (direct children; workers are the fork
    # server's children).
    for pid in _descendants() - before:
        assert psutil.Process(pid).ppid() == me
