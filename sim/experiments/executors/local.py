"""Executors on this machine: serial (in the calling thread) and a process pool.

:class:`SerialExecutor` wraps :class:`InlineExecutor`, a ``concurrent.futures``
executor that runs each call when it is submitted, so serial runs go through
the same bounded map as parallel ones. :class:`ProcessExecutor` wraps
``concurrent.futures.ProcessPoolExecutor``.
"""

from __future__ import annotations

import importlib.util
import multiprocessing
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import Executor as PoolExecutor
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import forkserver

from sim.experiments.executors.bounded_map import check_in_flight
from sim.experiments.executors.interface import Executor

__all__ = ["InlineExecutor", "ProcessExecutor", "SerialExecutor"]


class InlineExecutor(PoolExecutor):
    """A ``concurrent.futures`` executor that runs each call in ``submit``, in this thread.

    The returned future is already done; an exception of the call is stored in
    it (and re-raised, unchanged, by ``result()``), except ``KeyboardInterrupt``
    and other non-``Exception`` errors, which propagate from ``submit`` at once.
    """

    def __init__(self) -> None:
        self._shut = False

    def submit[R](self, fn: Callable[..., R], /, *args: object, **kwargs: object) -> Future[R]:
        """Run ``fn(*args, **kwargs)`` now; return its (done) future.

        Raises:
            RuntimeError: After :meth:`shutdown`.
        """
        if self._shut:
            raise RuntimeError("cannot schedule new futures after shutdown")
        fut: Future[R] = Future()
        fut.set_running_or_notify_cancel()
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:
            fut.set_exception(exc)
        else:
            fut.set_result(result)
        return fut

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Refuse further calls (nothing runs in the background)."""
        self._shut = True


class SerialExecutor(Executor):
    """Run tasks one after another in the calling process, lazily and in task order.

    Useful for debugging, profiling and ``workers=1``.
    """

    def __init__(self) -> None:
        super().__init__(InlineExecutor(), parallelism=1, max_in_flight=1)


def _init_worker() -> None:
    """Start-up of each pool worker: one BLAS thread, and Ctrl-C left to the parent.

    The parent (which gets the ``KeyboardInterrupt``) terminates the workers;
    ignoring SIGINT here keeps a terminal's Ctrl-C, sent to the whole process
    group, from also breaking the pool with a traceback from every worker.
    Importing this module imported numpy (through :mod:`sim`), so the limit
    reaches its BLAS library.
    """
    from threadpoolctl import threadpool_limits

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threadpool_limits(limits=1, user_api="blas")


def _positive_int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{what} must be a positive int, got {value!r}")
    return value


class ProcessExecutor(Executor):
    """Run tasks in a local ``concurrent.futures.ProcessPoolExecutor``.

    Workers start with the ``"forkserver"`` method where available (Linux,
    macOS), else ``"spawn"``. Plain ``fork`` is avoided because it copies the
    parent while other threads (Dask/tornado loops, BLAS or Arrow pools, tqdm
    monitors) may hold locks, which can deadlock the child; CPython 3.12 warns
    about forking multi-threaded processes for this reason. ``forkserver``
    forks workers from a small single-threaded server started from a fresh
    interpreter, which imports the ``preload`` modules once (say the light
    worker module :mod:`sim.experiments.chunks`), so every worker starts with
    them already imported. The server starts with the first pool (so its
    imports overlap the caller's own work before the first task), is shared by
    all pools of this process and only the first pool's ``preload`` takes
    effect; it exits with the process. Functions and tasks are pickled, so
    ``fn`` must be importable by module path and a main script import-safe
    (``if __name__ == "__main__":``).
    Each worker runs BLAS on one thread and ignores SIGINT: on Ctrl-C or a
    failed task the parent's :meth:`terminate` (leaving the ``with`` block on
    an exception) kills the workers at once instead of awaiting running tasks,
    whose results would be thrown away anyway (a resumed sweep recomputes
    those chunks), and returns when they have exited.

    Args:
        workers: Number of worker processes (>= 1).
        max_in_flight: Maximum number of submitted but unconsumed tasks;
            defaults to ``2 * workers``.
        max_tasks_per_child: If set, recycle each worker after this many
            tasks (guards against slow memory leaks).
        preload: Modules the fork server imports once before forking workers.

    Raises:
        ValueError: For non-positive ``workers`` or ``max_in_flight``, or a
            ``preload`` name that is not an importable module.
    """

    def __init__(
        self,
        workers: int,
        *,
        max_in_flight: int | None = None,
        max_tasks_per_child: int | None = None,
        preload: Sequence[str] = (),
    ) -> None:
        self.workers = _positive_int(workers, "workers")
        check_in_flight(max_in_flight, self.workers)  # before any pool resource exists
        self.preload = tuple(preload)
        for name in self.preload:
            # A misspelt name would be skipped silently by the fork server.
            if importlib.util.find_spec(name) is None:
                raise ValueError(f"preload: no module named {name!r}")
        methods = multiprocessing.get_all_start_methods()
        self.start_method = "forkserver" if "forkserver" in methods else "spawn"
        ctx = multiprocessing.get_context(self.start_method)
        if self.start_method == "forkserver":
            if self.preload:
                ctx.set_forkserver_preload(list(self.preload))
            # The server starts now and imports the preload modules while the
            # caller gets its tasks ready; the first worker is forked from it
            # when the first task is submitted.
            forkserver.ensure_running()
        super().__init__(
            # No worker starts before the first task is submitted.
            ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=ctx,
                initializer=_init_worker,
                max_tasks_per_child=max_tasks_per_child,
            ),
            parallelism=self.workers,
            max_in_flight=max_in_flight,
        )

    def _shutdown(self, pool: PoolExecutor, *, wait: bool) -> None:
        if wait:
            pool.shutdown(wait=True, cancel_futures=True)
            return
        manager = getattr(pool, "_executor_manager_thread", None)
        terminate_workers = getattr(pool, "terminate_workers", None)
        if terminate_workers is not None:  # Python >= 3.14
            terminate_workers()
        else:  # what 3.14's terminate_workers does
            processes = list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for proc in processes:
                try:
                    if proc.is_alive():
                        proc.terminate()
                except (ValueError, ProcessLookupError):  # already gone
                    continue
        if manager is not None:
            # It sees the workers die, reaps them and exits; bounded in case a
            # worker died in the middle of sending a result.
            manager.join(timeout=30)
