"""The ``natosim`` command line.

Commands (one module each, in this package): ``run`` and ``validate``
(:mod:`sim.cli.run`), ``list`` (:mod:`sim.cli.listing`), ``sweep`` and
``plot`` (:mod:`sim.cli.sweep`), ``discover`` (:mod:`sim.cli.discover`),
``calibrate`` (:mod:`sim.cli.calibrate`),
``evaluate`` (:mod:`sim.cli.evaluate`), ``schema`` (:mod:`sim.cli.schema`),
``app`` (:mod:`sim.cli.app`). A command parses its options, calls the layer
below and prints; nothing else.

Bad input is reported as one line naming the file and field, with exit
status 2 and nothing written. Warnings of the package (logged under ``sim``,
e.g. the acts a scenario drops as inconsistent) are printed as one line each.
Ctrl-C prints ``natosim: interrupted`` and exits with status 130, SIGTERM (what
``timeout`` and service managers send) ``natosim: terminated`` and 143, both
without a traceback: the exception unwinds every ``with`` block on the way, so
worker processes are ended, temporary files removed and finished sweep chunks
kept for a resume.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from types import FrameType
from typing import NoReturn

from sim.cli import app, calibrate, discover, evaluate, listing, run, schema, sweep
from sim.files.errors import InputError

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_TERMINATED = 143  # 128 + SIGTERM

#: What to do about running out of memory, per command.
OUT_OF_MEMORY = {
    "run": "use fewer --replicates (or natosim sweep, which works in chunks)",
    "sweep": "make the design smaller (n, levels, replicates) or lower chunk_size",
    "calibrate": "lower replicates or abc.particles in the experiment file",
    "evaluate": "use fewer --replicates",
}


class Terminated(BaseException):
    """SIGTERM arrived: unwind like Ctrl-C (never caught as an ``Exception``)."""


def _terminate(signum: int, frame: FrameType | None) -> None:
    # Once: a second SIGTERM must not break the clean-up the first one started.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Terminated


@contextlib.contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    """Turn SIGTERM into :class:`Terminated` while a command runs (main thread only)."""
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose mistakes are one line, as every other input error."""

    def error(self, message: str) -> NoReturn:
        """Print ``PROG: error: MESSAGE (see PROG --help)`` and exit with status 2."""
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``natosim``: each command module adds its own commands."""
    parser = _Parser(
        prog="natosim",
        description="Agent-based simulation of NATO-Russia trust (after Kanet & Larivé 2012).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (run, listing, sweep, discover, calibrate, evaluate, schema, app):
        module.register(sub)
    return parser


class _Warnings(logging.Handler):
    """Prints the package's warnings as ``natosim: warning: ...`` on standard error."""

    def emit(self, record: logging.LogRecord) -> None:
        print(f"natosim: warning: {record.getMessage()}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``natosim``.

    Returns:
        The exit status: 0 on success, 2 on bad input.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = _Warnings(logging.WARNING)
    logger = logging.getLogger("sim")
    logger.addHandler(handler)
    try:
        with _sigterm_unwinds():
            return _call(args)
    except KeyboardInterrupt:  # Ctrl-C outside the command (e.g. while printing)
        print("natosim: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        print("natosim: terminated", file=sys.stderr)
        return EXIT_TERMINATED
    finally:
        logger.removeHandler(handler)


def _call(args: argparse.Namespace) -> int:
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # the reader stopped early (natosim list actions | head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("natosim: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        print("natosim: terminated", file=sys.stderr)
        return EXIT_TERMINATED
    except InputError as exc:
        print(f"natosim: error: {exc}", file=sys.stderr)
    except MemoryError:
        advice = OUT_OF_MEMORY.get(args.command, "use smaller inputs")
        print(f"natosim: error: out of memory; {advice}", file=sys.stderr)
    except OSError as exc:  # unwritable output, unreadable input: no traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"natosim: error: {where}{exc.strerror or exc}", file=sys.stderr)
    return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
