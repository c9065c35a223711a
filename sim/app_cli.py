"""``natosim app``: serve the interactive page (registered by :mod:`sim.cli`).

The page (:mod:`sim.app`) is Mesa's SolaraViz, served by ``solara run`` in a
child process. It listens on 127.0.0.1 (this machine only) unless ``--host``
says otherwise, works offline (front-end files come from the installed
``solara-assets``; no telemetry, no version check) and stops cleanly on Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import FrameType

from sim.cli import InputError

#: Module served by ``solara run``.
APP_MODULE = "sim.app"
#: Environment variable through which the page learns its first scenario.
SCENARIO_ENV = "NATOSIM_APP_SCENARIO"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765

#: Environment for a server that never reaches outside this machine.
OFFLINE_ENV: dict[str, str] = {
    # /_solara/cdn is served from solara-assets' files only while the proxy is on
    "SOLARA_ASSETS_PROXY": "True",
    # a missing front-end file fails locally instead of being fetched from a CDN
    "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/npm/",
    # no mixpanel / ipify calls at start
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "PYTHONUNBUFFERED": "1",
}

#: Server warnings that are noise here: on plain http (loopback) Solara warns, at
#: every page load, that it falls back from SameSite=None to SameSite=Lax cookies.
QUIET_WARNINGS = ("ignore:Cookies with samesite=none require https:UserWarning",)

#: Seconds to wait for the server's graceful shutdown before killing it.
STOP_GRACE = 5.0


def check_port(port: int) -> int:
    """Validate a TCP port number.

    Raises:
        InputError: If the port is not within 1-65535.
    """
    if not 1 <= port <= 65535:
        raise InputError(f"--port: must be within 1-65535, got {port}")
    return port


def check_host(host: str) -> str:
    """Validate the listening address (an IP address or ``localhost``).

    Raises:
        InputError: If the address is neither.
    """
    if host == "localhost":
        return host
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise InputError(
            f"--host {host!r}: expected an IP address such as 127.0.0.1 or 0.0.0.0"
        ) from None
    return host


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only."""
    if host == "localhost":
        return True
    return ipaddress.ip_address(host).is_loopback


def check_port_free(host: str, port: int) -> None:
    """Fail early, with a clear message, when the port is taken.

    Raises:
        InputError: If nothing can listen on ``host:port``.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            raise InputError(f"--port {port}: cannot listen on {host}: {exc.strerror}") from None


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


def resolve_scenario_path(source: str | Path) -> Path:
    """The file a scenario argument names (a path, or a name in ``scenarios/``).

    Args:
        source: What the user typed: a file path or a scenario name.

    Returns:
        The absolute path of the file (which may not exist).
    """
    from sim.scenario import SCENARIO_DIR

    path = Path(source)
    if not path.is_file() and not path.suffix and (SCENARIO_DIR / f"{path}.toml").is_file():
        path = SCENARIO_DIR / f"{path}.toml"
    return path.resolve()


def validate_scenario(source: str) -> Path:
    """Load SCENARIO (a ScenarioError names the file and field) and return its file."""
    from sim.scenario import load_scenario

    load_scenario(source)
    return resolve_scenario_path(source)


def serve(cmd: Sequence[str], env: Mapping[str, str]) -> int:
    """Run the server until it exits, or stop it cleanly on Ctrl-C or SIGTERM.

    The server runs in its own session, so Ctrl-C in the terminal reaches only
    this process, which then asks the server to shut down (SIGTERM: uvicorn's
    graceful shutdown) and waits for it. SIGTERM and SIGHUP sent to this
    process are passed on the same way.

    Args:
        cmd: Server command line.
        env: Server environment.

    Returns:
        0 when stopped by Ctrl-C or a signal, else the server's exit status.
    """
    proc = subprocess.Popen(list(cmd), env=dict(env), start_new_session=True)
    stopping = False

    def forward(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        del signum, frame
        stopping = True
        with contextlib.suppress(ProcessLookupError):
            proc.terminate()

    previous = {s: signal.signal(s, forward) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        try:
            rc = proc.wait()
        except KeyboardInterrupt:
            stopping = True
            rc = _stop(proc)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if proc.poll() is None:  # an unexpected error here: never leave the server behind
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


def cmd_app(args: argparse.Namespace) -> int:
    """``natosim app``: validate the arguments, then serve the page."""
    scenario = validate_scenario(args.scenario)
    port = check_port(args.port)
    host = check_host(args.host)
    check_port_free(host, port)
    shown = f"[{host}]" if ":" in host else host
    print(f"natosim app: {scenario.name} at http://{shown}:{port}/ (Ctrl-C to stop)")
    if not is_loopback(host):
        print(
            f"natosim app: warning: listening on {host}, reachable from other machines",
            file=sys.stderr,
        )
    sys.stdout.flush()
    return serve(build_command(host, port), server_env(scenario))


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``app`` to the ``natosim`` parser."""
    p = sub.add_parser("app", help="serve the interactive page (Mesa SolaraViz) on this machine")
    p.add_argument(
        "scenario",
        nargs="?",
        default="historical",
        help="scenario shown first: a file or a name in scenarios/ (default historical)",
    )
    p.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"TCP port (default {DEFAULT_PORT})"
    )
    p.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}: this machine only; "
        "0.0.0.0 opens the page to the network)",
    )
    p.set_defaults(func=cmd_app)
