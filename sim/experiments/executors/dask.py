"""The Dask executor: ``distributed.Client(address).get_executor()`` under the bounded map.

``distributed`` is imported only when a :class:`DaskExecutor` is made, so local
workers, which import this package, never load it. :func:`check_scheduler`
checks an address before anything is written: a malformed one is refused at
once, and one where nothing listens within :data:`CONNECT_TIMEOUT` seconds.
"""

from __future__ import annotations

import logging
import socket
import urllib.parse
from concurrent.futures import Executor as PoolExecutor
from typing import TYPE_CHECKING

from sim.experiments.executors.interface import Executor
from sim.files.errors import InputError, shown

if TYPE_CHECKING:
    import distributed

__all__ = [
    "CONNECT_TIMEOUT",
    "DEFAULT_PORT",
    "WORKER_TIMEOUT",
    "DaskExecutor",
    "check_scheduler",
    "parse_scheduler",
]

#: Seconds to wait for a scheduler to answer (a scheduler on a network answers in far less).
CONNECT_TIMEOUT = 5.0
#: Seconds to wait for a first worker when the scheduler has none (started beside the sweep).
WORKER_TIMEOUT = 60.0

log = logging.getLogger(__name__)
#: Port of a Dask scheduler when the address gives none.
DEFAULT_PORT = 8786
#: Address schemes of Dask's network transports.
SCHEMES = ("tcp", "tls", "ws", "wss")


def parse_scheduler(address: str) -> tuple[str, str, int]:
    """Split ``SCHEME://HOST[:PORT]`` into its parts, or refuse it.

    Args:
        address: What ``--scheduler`` was given.

    Returns:
        ``(scheme, host, port)``.

    Raises:
        InputError: Naming ``--scheduler`` and what is wrong with the address.
    """
    what = f"--scheduler {shown(address)}"
    want = "expected an address like tcp://HOST:PORT"
    if not isinstance(address, str) or "://" not in address:
        raise InputError(f"{what}: {want}")
    parts = urllib.parse.urlsplit(address)
    if parts.scheme not in SCHEMES:
        raise InputError(
            f"{what}: unknown protocol {shown(parts.scheme)} (use {', '.join(SCHEMES)}); {want}"
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise InputError(f"{what}: {want}")
    host = parts.hostname
    if not host:
        raise InputError(f"{what}: no host; {want}")
    try:
        port = parts.port
    except ValueError:
        raise InputError(f"{what}: the port must be a number within 1-65535; {want}") from None
    if port == 0:
        raise InputError(f"{what}: the port must be a number within 1-65535; {want}")
    return parts.scheme, host, port or DEFAULT_PORT


def check_scheduler(address: str, timeout: float = CONNECT_TIMEOUT) -> str:
    """Refuse a malformed scheduler address, or one where no scheduler answers.

    A TCP connection is tried within ``timeout``; on ``tcp://`` the first byte
    of the scheduler's handshake (a Dask scheduler speaks first) must arrive
    within ``timeout`` too, so a port where something else listens and keeps
    silent is refused instead of hanging ``distributed.Client``, which has no
    bound on the handshake. (Over ``tls://`` and ``ws://`` the client speaks
    first; there only the connection is checked.)

    Returns:
        The address.

    Raises:
        InputError: Naming ``--scheduler``, at once for a malformed address and
            within ``timeout`` for an unreachable one.
    """
    scheme, host, port = parse_scheduler(address)
    try:
        with socket.create_connection((host, port), timeout=timeout) as conn:
            first = conn.recv(1) if scheme == "tcp" else b"-"
    except socket.gaierror:
        raise InputError(f"--scheduler {shown(address)}: unknown host {shown(host)}") from None
    except TimeoutError:
        raise InputError(
            f"--scheduler {shown(address)}: no Dask scheduler answers there within "
            f"{timeout:g} s; is the scheduler running (dask scheduler) and the address right?"
        ) from None
    except OSError as exc:
        raise InputError(
            f"--scheduler {shown(address)}: cannot connect ({exc.strerror or exc}); is the "
            "scheduler running (dask scheduler) and the address right?"
        ) from None
    if not first:
        raise InputError(
            f"--scheduler {shown(address)}: no Dask scheduler answers there (the connection "
            "was closed at once)"
        )
    return address


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

    Raises:
        InputError: If the address is malformed or no scheduler answers there
            within ``timeout`` (checked with :func:`check_scheduler` first).
    """

    def __init__(
        self,
        address: str,
        *,
        max_in_flight: int | None = None,
        timeout: float = CONNECT_TIMEOUT,
        worker_timeout: float = WORKER_TIMEOUT,
    ) -> None:
        check_scheduler(address, timeout)
        from distributed import Client

        self.address = address
        try:
            self.client: distributed.Client | None = Client(
                address, set_as_default=False, timeout=timeout
            )
        except (OSError, TimeoutError) as exc:  # something listens, but not a scheduler
            raise InputError(
                f"--scheduler {shown(address)}: no Dask scheduler answers there ({exc})"
            ) from None
        try:
            if not self.client.nthreads():
                self._wait_for_a_worker(worker_timeout)
            threads = max(1, sum(self.client.nthreads().values()))
            super().__init__(
                self.client.get_executor(pure=False),
                parallelism=threads,
                max_in_flight=max_in_flight,
            )
        except BaseException:
            self.client.close()
            raise

    def _wait_for_a_worker(self, timeout: float) -> None:
        """Wait for the first worker of a scheduler that has none, or refuse the sweep.

        Without a worker the tasks would wait forever, with nothing said.

        Raises:
            InputError: If none joins within ``timeout`` seconds.
        """
        assert self.client is not None
        log.warning(
            "--scheduler %s: the scheduler has no workers yet; waiting up to %.0f s for one "
            "(dask worker %s)",
            self.address,
            timeout,
            self.address,
        )
        try:
            self.client.wait_for_workers(1, timeout=timeout)
        except TimeoutError:
            raise InputError(
                f"--scheduler {shown(self.address)}: no worker joined the scheduler within "
                f"{timeout:.0f} s; start one with: dask worker {self.address}"
            ) from None

    def _shutdown(self, pool: PoolExecutor, *, wait: bool) -> None:
        # Cancel rather than await: a Dask worker thread cannot be stopped
        # anyway, and nothing is left to consume the results.
        pool.shutdown(wait=False)
        if self.client is not None:
            self.client.close()
            self.client = None
