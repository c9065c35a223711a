"""The ``natosim`` command line.

Commands:
    run SCENARIO        run a scenario and write trajectory, events, manifest, plot
    validate SCENARIO   check a scenario file without running it

Bad input is reported as one line naming the file and field, with exit
status 2 and nothing written.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from sim.scenario import ScenarioError

EXIT_BAD_INPUT = 2


class InputError(Exception):
    """Bad command-line input (reported without a traceback, exit status 2)."""


def _parse_sets(items: Sequence[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise InputError(f"--set {item!r}: expected NAME=VALUE")
        try:
            out[key.strip()] = float(value)
        except ValueError:
            raise InputError(f"--set {key}: {value!r} is not a number") from None
    return out


def _out_dir(arg: str | None, default: Path) -> Path:
    out = Path(arg) if arg else default
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: exists and is not a directory")
    return out


def cmd_run(args: argparse.Namespace) -> int:
    """``natosim run``: run a scenario and write its results."""
    from sim.output import write_run
    from sim.run import run

    if args.replicates < 1:
        raise InputError(f"--replicates: must be at least 1, got {args.replicates}")
    if args.seed is not None and not 0 <= args.seed < 2**63:
        raise InputError(f"--seed: must be within [0, 2**63), got {args.seed}")
    overrides = _parse_sets(args.set or [])
    t0 = time.perf_counter()
    result = run(args.scenario, seed=args.seed, replicates=args.replicates, **overrides)
    out = _out_dir(args.out, Path("runs") / result.scenario.name)
    paths = write_run(result, out, plot=not args.no_plot)
    if not args.quiet:
        rn = result.median("RUS", "NATO")
        nr = result.median("NATO", "RUS")
        print(
            f"{result.scenario.name}: {len(result.seeds)} replicate(s), "
            f"{int(result.years[0])}-{int(result.years[-1])}, "
            f"{time.perf_counter() - t0:.2f} s"
        )
        print(
            f"  median trust at {int(rn.index[-1])}: RUS→NATO {rn.iloc[-1]:.3f}, "
            f"NATO→RUS {nr.iloc[-1]:.3f} (start {rn.iloc[0]:.3f} / {nr.iloc[0]:.3f})"
        )
        for p in paths:
            print(f"  wrote {p}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """``natosim validate``: check a scenario file without running it."""
    from sim.compile import compile_scenario
    from sim.scenario import load_scenario, scheduled_events

    sc = load_scenario(args.scenario)
    comp = compile_scenario(sc)
    print(
        f"{args.scenario}: valid scenario {sc.name!r}, {sc.time.start}-{sc.time.end}, "
        f"{len(scheduled_events(sc))} scheduled events, {len(sc.shocks)} shocks, "
        f"{len(comp.slots)} choice slots, {len(comp.actors)} actors"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``natosim`` (commands register themselves here)."""
    parser = argparse.ArgumentParser(
        prog="natosim",
        description="Agent-based simulation of NATO-Russia trust (after Kanet & Larivé 2012).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("run", help="run a scenario and write results and a plot")
    p.add_argument("scenario", help="scenario file (TOML or YAML) or a name in scenarios/")
    p.add_argument("--seed", type=int, default=None, help="seed of replicate 0")
    p.add_argument("--replicates", type=int, default=1, help="Monte Carlo replicates")
    p.add_argument("--out", default=None, help="output directory (default runs/<name>/)")
    p.add_argument(
        "--set", action="append", metavar="NAME=VALUE", help="override a parameter (repeatable)"
    )
    p.add_argument("--no-plot", action="store_true", help="skip trust.png")
    p.add_argument("--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("validate", help="check a scenario file without running it")
    p.add_argument("scenario")
    p.set_defaults(func=cmd_validate)

    for register in _extensions():
        register(sub)
    return parser


def _extensions() -> list[Callable[[argparse._SubParsersAction], None]]:
    """Commands defined beside the core (sweep, plot, calibrate, app), when present."""
    regs = []
    for mod in ("sim.sweep_cli", "sim.calibrate_cli", "sim.app_cli"):
        try:
            module = __import__(mod, fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != mod:
                raise
            continue
        regs.append(module.register)
    return regs


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``natosim``.

    Returns:
        The exit status: 0 on success, 2 on bad input.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ScenarioError as exc:
        print(f"natosim: error: {exc}", file=sys.stderr)
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
