"""``natosim app``: check the arguments, then serve the page (:mod:`sim.web.server`).

The page listens on 127.0.0.1 (this machine only) unless ``--host`` says otherwise.
"""

from __future__ import annotations

import argparse
import ipaddress
import socket
import sys
from pathlib import Path

from sim.files.errors import InputError
from sim.model.resolve import find_scenario, load_scenario
from sim.web.server import build_command, is_loopback, serve, server_env

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


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


def validate_scenario(source: str) -> Path:
    """Load SCENARIO (an InputError names the file and field) and return its file."""
    load_scenario(source)
    return find_scenario(source)


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
