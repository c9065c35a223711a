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
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from sim.cli import app, calibrate, discover, evaluate, listing, run, schema, sweep
from sim.files.errors import InputError

EXIT_BAD_INPUT = 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``natosim``: each command module adds its own commands."""
    parser = argparse.ArgumentParser(
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
        return _call(args)
    finally:
        logger.removeHandler(handler)


def _call(args: argparse.Namespace) -> int:
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # the reader stopped early (natosim list actions | head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except InputError as exc:
        print(f"natosim: error: {exc}", file=sys.stderr)
    except MemoryError:
        print(
            "natosim: error: out of memory; use fewer --replicates (or natosim sweep, "
            "which works in chunks)",
            file=sys.stderr,
        )
    except OSError as exc:  # unwritable output, unreadable input: no traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"natosim: error: {where}{exc.strerror or exc}", file=sys.stderr)
    return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
