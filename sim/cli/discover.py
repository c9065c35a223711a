"""``natosim discover``: scenario discovery (PRIM) on a sweep folder (registered by :mod:`sim.cli`).

``natosim discover SWEEP_DIR --outcome NAME --where "> 0.5"`` prints the boxes
(which ranges of which factors give the outcome, with coverage and density) and
writes ``discover_NAME_gt_0.5.csv`` and ``discover_NAME_gt_0.5.FORMAT`` into the
folder (named by the question, so another condition does not replace them).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.files.errors import InputError


def cmd_discover(args: argparse.Namespace) -> int:
    """Find the boxes of a sweep where an outcome meets a condition."""
    from sim.cli.formats import figure_format
    from sim.experiments.discovery import discover, parse_where
    from sim.files.atomic import atomic_write_text
    from sim.results import readers
    from sim.results.figures.discovery import discovery_plot
    from sim.results.plot_sweep import choose_outcome, varied

    d = Path(args.sweep)
    if not d.is_dir():
        raise InputError(f"{d}: not a directory")
    runs = readers.runs(d)
    man = readers.manifest(d)
    if runs is None or man is None or "experiment" not in man:
        raise InputError(f"{d}: no runs.parquet and manifest.json of a finished sweep")
    fmt = figure_format(args.format, None)
    if args.boxes < 1:
        raise InputError(f"--boxes: must be at least 1, got {args.boxes}")
    if not 0 <= args.coverage <= 1:
        raise InputError(f"--coverage: must be between 0 and 1, got {args.coverage}")
    try:
        parse_where(args.where)
    except ValueError as exc:
        raise InputError(f"--where {exc}") from None
    exp = readers.experiment(d)  # its shape checked: a damaged manifest is one line
    oc = choose_outcome(d, exp, args.outcome)
    factors = [f for f in varied(exp) if f in runs.columns and runs[f].nunique() > 1]
    try:
        found = discover(
            runs, factors, oc, args.where, boxes=args.boxes, min_coverage=args.coverage
        )
    except ValueError as exc:
        raise InputError(f"{d}: {exc}") from None
    table = d / f"{found.stem()}.csv"
    figure = d / f"{found.stem()}.{fmt}"
    atomic_write_text(table, found.table().to_csv(index=False))
    discovery_plot(found, figure, fmt=fmt)
    share = found.n_interest / found.n_runs
    print(
        f"{exp.get('name', d.name)}: {oc} {found.where} in {found.n_interest} of "
        f"{found.n_runs} runs ({share:.0%})"
    )
    for i, b in enumerate(found.boxes, 1):
        print(
            f"box {i}: coverage {b.coverage:.2f}, density {b.density:.2f}, "
            f"{b.runs} runs ({b.mass:.0%} of all)"
        )
        for r in b.restrictions:
            print(f"  {r.text()}   (quasi-p {r.qp:.2g})")
        if not b.restrictions:
            print("  (no restriction: the whole sweep)")
    if not args.quiet:
        print(f"wrote {table}\nwrote {figure}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``discover`` to the ``natosim`` parser."""
    p = sub.add_parser(
        "discover", help="scenario discovery (PRIM): which factor ranges give an outcome"
    )
    p.add_argument("sweep", help="directory written by natosim sweep")
    p.add_argument("--outcome", default=None, help="outcome column (default: the first)")
    p.add_argument(
        "--where",
        required=True,
        help='condition of the cases of interest, e.g. "> 0.5", or a band, "> 0.3 and < 0.6"',
    )
    p.add_argument("--boxes", type=int, default=1, help="boxes to find, one after another")
    p.add_argument(
        "--coverage",
        type=float,
        default=0.5,
        help="report the densest box holding at least this share of the cases (default 0.5)",
    )
    p.add_argument("--format", default=None, help="figure format: png (default), svg or pdf")
    p.add_argument("--quiet", action="store_true", help="do not list the files written")
    p.set_defaults(func=cmd_discover)
