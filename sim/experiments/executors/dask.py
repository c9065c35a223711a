"""The Dask executor: ``distributed.Client(address).get_executor()`` under the bounded map.

``distributed`` is imported only when a :class:`DaskExecutor` is made, so local
workers, which import this package, never load it.
"""

from __future__ import annotations

from concurrent.futures import Executor as PoolExecutor
from typing import TYPE_CHECKING

from sim.experiments.executors.interface import Executor

if TYPE_CHECKING:
    import distributed

__all__ = ["DaskExecutor"]


class DaskExecutor(Executor):
    """Run tasks on a ``dask.distributed`` cluster.

    Connects a private ``distributed.Client`` (not registered as the global
    default) to an existing scheduler and uses its ``concurrent.futures``
    executor (``Client.get_executor``) with ``pure=False``, so identical tasks
    are neither hashed nor de-duplicated. A consumed result is dropped at once,
    which releases its Dask future, so cluster memory stays bounded. Closing
    (or terminating) cancels the tasks still queued or running and closes the
    client; the cluster keeps running. (A failed task's key stays on the
    scheduler until then: ``distributed``'s executor keeps its Dask future
    alive through the exception's traceback.)

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
        try:
            threads = max(1, sum(self.client.nthreads().values()))
            super().__init__(
                self.client.get_executor(pure=False),
                parallelism=threads,
                max_in_flight=max_in_flight,
            )
        except BaseException:
            self.client.close()
            raise

    def _shutdown(self, pool: PoolExecutor, *, wait: bool) -> None:
        # Cancel rather than await: a Dask worker thread cannot be stopped
        # anyway, and nothing is left to consume the results.
        pool.shutdown(wait=False)
        if self.client is not None:
            self.client.close()
            self.client = None
