"""Serving the interactive page: ``solara run`` in a child process, stopped cleanly.

The page (:mod:`sim.web.page`) is Mesa's SolaraViz. The server listens where
it is told (the command line defaults to 127.0.0.1, this machine only), works
offline (front-end files come from the installed ``solara-assets``; no
telemetry, no version check) and stops cleanly on Ctrl-C or SIGTERM. It never
outlives ``natosim app``: on Linux the server is started with
``PR_SET_PDEATHSIG``, so the kernel sends it SIGTERM when its parent dies in any
way, ``kill -9`` included.
"""

from __future__ import annotations

import contextlib
import ctypes
import ipaddress
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import FrameType

#: Module served by ``solara run``.
APP_MODULE = "sim.web.page"
#: Environment variable through which the page learns its first scenario.
SCENARIO_ENV = "NATOSIM_APP_SCENARIO"

#: Environment for a server that never reaches outside this machine.
OFFLINE_ENV: dict[str, str] = {
    # /_solara/cdn is served from solara-assets' files only while the proxy is on
    "SOLARA_ASSETS_PROXY": "True",
    # a missing front-end file fails locally instead of being fetched from a CDN
    "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/npm/",
    # no mixpanel / ipify calls at start
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    # no "runs on Solara" banner over the chart's corner and the event log
    "SOLARA_THEME_SHOW_BANNER": "False",
    "PYTHONUNBUFFERED": "1",
}

#: Server warnings that are noise here: on plain http (loopback) Solara warns, at
#: every page load, that it falls back from SameSite=None to SameSite=Lax cookies.
QUIET_WARNINGS = ("ignore:Cookies with samesite=none require https:UserWarning",)

#: Seconds to wait for the server's graceful shutdown before killing it.
STOP_GRACE = 5.0


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only."""
    if host == "localhost":
        return True
    return ipaddress.ip_address(host).is_loopback


def build_command(host: str, port: int, python: str | None = None) -> list[str]:
    """The ``solara run`` command line of the server.

    Args:
        host: Address to listen on.
        port: TCP port.
        python: Interpreter (default: this one).

    Returns:
        The argument list for :class:`subprocess.Popen`.
    """
    return [
        python or sys.executable,
        "-m",
        "solara",
        "run",
        APP_MODULE,
        "--host",
        host,
        "--port",
        str(port),
        "--production",
        "--no-open",
        "--no-check-version",
    ]


def server_env(scenario: Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment of the server: offline settings and the first scenario.

    Args:
        scenario: The validated scenario file shown first.
        base: Environment to start from (default: this process's).

    Returns:
        The child's environment (``HOST`` removed: the address is always passed).
    """
    env = {**(os.environ if base is None else base), **OFFLINE_ENV}
    env[SCENARIO_ENV] = str(scenario)
    env.pop("HOST", None)
    quiet = ",".join(QUIET_WARNINGS)
    env["PYTHONWARNINGS"] = (
        f"{env['PYTHONWARNINGS']},{quiet}" if env.get("PYTHONWARNINGS") else quiet
    )
    return env


#: ``prctl`` option: the signal a process gets when its parent dies (linux/prctl.h).
PR_SET_PDEATHSIG = 1


def die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes the child get SIGTERM when this process dies (Linux).

    The C library is loaded here, in the parent; the child only calls
    ``prctl`` and then checks that its parent is still the one that started it
    (if the parent died before ``prctl``, the child exits at once).

    Returns:
        The function, or None where ``prctl`` does not exist.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)

    return preexec


def serve(cmd: Sequence[str], env: Mapping[str, str]) -> int:
    """Run the server until it exits, or stop it cleanly on Ctrl-C or SIGTERM.

    The server runs in its own session, so Ctrl-C in the terminal reaches only
    this process, which then asks the server to shut down (SIGTERM: uvicorn's
    graceful shutdown) and waits for it. SIGTERM and SIGHUP sent to this
    process are passed on the same way, and a Ctrl-C that arrives while the
    server starts stops it too. If this process is killed outright, the
    server gets SIGTERM from the kernel (:func:`die_with_parent`).

    Args:
        cmd: Server command line.
        env: Server environment.

    Returns:
        0 when stopped by Ctrl-C or a signal, else the server's exit status.
    """
    proc: subprocess.Popen | None = None
    stopping = False

    def forward(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        del signum, frame
        stopping = True
        if proc is not None:
            with contextlib.suppress(ProcessLookupError):
                proc.terminate()

    # Handlers first, so a signal that arrives while the server starts is not lost.
    previous = {s: signal.signal(s, forward) for s in (signal.SIGTERM, signal.SIGHUP)}
    rc = 0
    try:
        try:  # Ctrl-C at any moment from here on stops the server cleanly
            proc = subprocess.Popen(
                list(cmd), env=dict(env), start_new_session=True, preexec_fn=die_with_parent()
            )
            if stopping:
                with contextlib.suppress(ProcessLookupError):
                    proc.terminate()
            rc = proc.wait()
        except KeyboardInterrupt:  # while the server starts or runs
            stopping = True
            rc = _stop(proc) if proc is not None else 0
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if proc is not None and proc.poll() is None:  # never leave the server behind
            _stop(proc)
    if stopping:
        print("natosim app: server stopped", file=sys.stderr)
        return 0
    return rc


def _stop(proc: subprocess.Popen) -> int:
    """Ask the server to shut down; kill it if it has not within STOP_GRACE."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(sig)
        try:
            return proc.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            continue
        except KeyboardInterrupt:  # a second Ctrl-C: stop at once
            proc.kill()
            return proc.wait()
    return proc.wait()
