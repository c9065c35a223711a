"""``natosim sweep`` and ``natosim plot`` (registered by :mod:`sim.cli`)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sim.cli.formats import figure_format
from sim.files.errors import InputError


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run or resume a sweep."""
    from sim.experiments.executors import check_workers
    from sim.experiments.executors.dask import parse_scheduler
    from sim.experiments.schema import load_experiment
    from sim.experiments.size import check_sweep_size
    from sim.experiments.sweep import check_resumable, plan, stored_runs, sweep

    workers = check_workers(args.workers)
    if args.scheduler is not None:
        parse_scheduler(args.scheduler)  # a malformed address: one line, at once
        if args.workers is not None:
            raise InputError(
                "--workers: goes with a sweep on this machine; with --scheduler the "
                "cluster's workers run it (start as many as you want with dask worker)"
            )
    loaded = load_experiment(args.experiment, "sweep")
    exp = loaded.spec
    out = Path(args.out) if args.out else Path("sweeps") / exp.name
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: exists and is not a directory")
    check_sweep_size(exp, loaded.scenario, loaded.path, out, workers, args.scheduler is None)
    pl = plan(loaded)
    check_resumable(out, pl)
    stored = stored_runs(out, pl) if out.is_dir() else 0
    t0 = time.perf_counter()
    paths = sweep(
        pl,
        out,
        source=str(args.experiment),
        workers=workers,
        scheduler=args.scheduler,
        progress=not args.quiet,
    )
    dt = time.perf_counter() - t0
    if not args.quiet:
        size = f"{pl.n_runs} runs ({pl.n_points} points x {exp.replicates} replicates)"
        computed = pl.n_runs - stored
        rate = f"in {dt:.1f} s ({computed / max(dt, 1e-9):.0f} runs/s)"
        if not stored:
            print(f"{exp.name}: {size} {rate}")
        elif not computed:
            print(f"{exp.name}: {size}, all already in {out}: none computed")
        else:
            print(f"{exp.name}: {size}: {stored} resumed from {out}, {computed} computed {rate}")
        for key, p in paths.items():
            print(
                f"  {'kept' if key in ('runs', 'trajectories') and not computed else 'wrote'} {p}"
            )
    return 0


def cmd_plot(args: argparse.Namespace) -> int:
    """Draw the figures of one or more run or sweep directories."""
    from sim.results.plot_dirs import plot_dirs

    dirs = [Path(d) for d in args.dirs]
    seen: dict[Path, Path] = {}
    for d in dirs:
        if not d.is_dir():
            raise InputError(f"{d}: not a directory")
        same = seen.setdefault(d.resolve(), d)
        if same is not d:
            also = "" if str(same) == str(d) else f", also as {same}"
            raise InputError(f"{d}: given twice{also}; a comparison needs each folder once")
    from sim.results.plot_dirs import parse_pair

    fmt = figure_format(args.format, args.out)
    pair = parse_pair(args.pair) if args.pair else None
    if args.year and not args.map:
        raise InputError("--year: goes with --map (a map of Europe in that year)")
    years = None
    if args.map:
        years = [int(y) for text in (args.year or []) for y in _years(text)]
    notes: list[str] = []
    written = plot_dirs(
        dirs,
        fmt=fmt,
        outcome=args.outcome,
        out=args.out,
        notes=notes,
        pair=pair,
        map_years=years,
    )
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    if not args.quiet:
        for p in written:
            print(f"wrote {p}")
    return 0


def _years(text: str) -> list[int]:
    """``"2008"`` or ``"1995,2000,2008"`` as years.

    Raises:
        InputError: If a year is not a whole number.
    """
    try:
        return [int(y) for y in text.split(",") if y.strip()]
    except ValueError:
        raise InputError(f"--year {text!r}: expected a year such as 2008 (or 1995,2008)") from None


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``sweep`` and ``plot`` to the ``natosim`` parser."""
    p = sub.add_parser("sweep", help="run an experiment (ensemble, grid, LHS, Sobol, Morris)")
    p.add_argument("experiment", help="sweep experiment file (TOML or YAML) or a bundled name")
    p.add_argument("--out", default=None, help="output directory (default sweeps/<name>/)")
    p.add_argument("--workers", type=int, default=None, help="local processes (1 = serial)")
    p.add_argument("--scheduler", default=None, help="Dask scheduler address tcp://HOST:PORT")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser("plot", help="draw figures from run or sweep directories")
    p.add_argument("dirs", nargs="+", help="directories written by natosim run or sweep")
    p.add_argument(
        "--format", default=None, help="png, svg or pdf (default: --out's extension, else png)"
    )
    p.add_argument(
        "--outcome",
        default=None,
        help="outcome of a sweep's figures, and of the comparison of several directories",
    )
    p.add_argument(
        "--out",
        default=None,
        help="the figure's file: several directories' comparison (default compare.png) or one "
        "run directory's figure; a name without an extension gets the format's",
    )
    p.add_argument("--pair", default=None, help="draw OBSERVER:TARGET trust, e.g. RUS:POL")
    p.add_argument(
        "--map",
        action="store_true",
        help="maps of Europe: each state's trust in Russia and Russia's in it",
    )
    p.add_argument(
        "--year",
        action="append",
        default=None,
        help="with --map: the year (repeat or 1995,2008 for small multiples)",
    )
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_plot)
