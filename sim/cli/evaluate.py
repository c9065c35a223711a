"""``natosim evaluate [SCENARIO]``: the evidence for each claim, against null models."""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from sim.cli.formats import figure_format
from sim.files.atomic import atomic_write_many
from sim.files.errors import InputError

__all__ = ["EVALUATION_DEFAULTS", "cmd_evaluate", "register"]

#: The options of an evaluation, at their defaults (``--compare`` takes none of them).
EVALUATION_DEFAULTS = {
    "replicates": 200,
    "seed": None,
    "draws": 100,
    "resamples": 100,
    "no_calibration": False,
    "calibration": None,
    "workers": None,
    "format": None,
}


def _positive(name: str, value: int, limit: int) -> int:
    if not 1 <= value <= limit:
        raise InputError(None, name, f"must be within 1-{limit}, got {value}")
    return value


def _compare(args: argparse.Namespace) -> int:
    """``--compare BEFORE AFTER``: two evaluations' scorecards side by side; nothing is run."""
    from sim.results.evaluation_compare import compare_markdown, read_evaluation

    if args.scenario is not None:
        raise InputError(
            None,
            "--compare",
            f"compares two evaluations already written and runs nothing: drop the scenario "
            f"{args.scenario!r}, or evaluate it first (natosim evaluate {args.scenario} --out DIR)",
        )
    given = [k for k, v in EVALUATION_DEFAULTS.items() if getattr(args, k) != v]
    if given:
        option = "--" + given[0].replace("_", "-")
        raise InputError(
            None,
            "--compare",
            f"runs nothing, so {option} does not apply: it reads the two evaluations as written",
        )
    out = Path(args.out) / "comparison.md" if args.out else None
    if out is not None and out.parent.exists() and not out.parent.is_dir():
        raise InputError(None, "--out", f"{out.parent} exists and is not a directory")
    before, after = (read_evaluation(d) for d in args.compare)
    text = compare_markdown(before, after, (args.compare[0], args.compare[1]))
    if out is not None:
        atomic_write_many({out: text.encode("utf-8")})
    if not args.quiet:
        print(text, end="")
        if out is not None:
            print(f"  wrote {out}", file=sys.stderr)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Evaluate a scenario and write the report (or, with --compare, compare two)."""
    if args.compare is not None:
        return _compare(args)
    args.scenario = args.scenario or "historical_calibrated"
    # imported here: the whole evaluation would otherwise load with every command
    from sim.experiments.evaluation.evaluate import evaluate
    from sim.results.evaluation_report import render

    reps = _positive("--replicates", args.replicates, 100_000)
    draws = _positive("--draws", args.draws, 100_000)
    if not 0 <= args.resamples <= 100_000:
        raise InputError(None, "--resamples", f"must be within 0-100000, got {args.resamples}")
    if args.seed is not None and not 0 <= args.seed < 2**63:
        raise InputError(None, "--seed", f"must be within [0, 2**63), got {args.seed}")
    from sim.experiments.executors import check_workers

    if args.workers is not None:
        _positive("--workers", args.workers, 1024)
    workers = check_workers(args.workers)
    if args.calibration is not None and args.no_calibration:
        raise InputError(None, "--calibration", "goes with the refits that --no-calibration skips")
    out = Path(args.out) if args.out else Path("runs") / "evaluate"
    if out.exists() and not out.is_dir():
        raise InputError(None, "--out", f"{out} exists and is not a directory")

    def log(msg: str) -> None:
        if not args.quiet:
            print(msg, file=sys.stderr, flush=True)

    fmt = figure_format(args.format, None)
    t0 = time.perf_counter()
    ev, timings = evaluate(
        args.scenario,
        replicates=reps,
        seed=args.seed,
        robustness_draws=draws,
        calibrate=not args.no_calibration,
        calibration=args.calibration or "calibration",
        workers=workers,
        resamples=args.resamples,
        log=log,
    )
    files = render(ev, timings, fmt)
    created = not out.exists()
    # our figures of an earlier evaluation in another format would no longer match
    from sim.results.rundir import FIGURE_SUFFIXES

    stems = {Path(n).stem for n in files if Path(n).suffix in FIGURE_SUFFIXES}
    stale = sorted(
        p.name
        for p in (out.iterdir() if out.is_dir() else ())
        if p.stem in stems and p.suffix in FIGURE_SUFFIXES and p.name not in files
    )
    replaced = (out / "evaluation.json").is_file()
    try:
        atomic_write_many({out / name: data for name, data in files.items()})
    except OSError:
        if created:
            shutil.rmtree(out, ignore_errors=True)
        raise
    if not args.quiet:
        n = sum(1 for c in ev["narrative"] if c["median_holds"])
        cs = ev["emergence"]["chosen_share"]
        print(
            f"{ev['meta']['scenario']}: {n}/{len(ev['narrative'])} narrative checks on the "
            f"median; chosen share RUS→NATO {cs['rus_nato']['share']:.3f}, NATO→RUS "
            f"{cs['nato_rus']['share']:.3f}; {time.perf_counter() - t0:.1f} s"
        )
        for name in files:
            print(f"  wrote {out / name}")
        if replaced:
            print(f"  replaced the earlier evaluation in {out}")
    if stale:  # said even with --quiet: files that disagree with the report beside them
        print(
            f"natosim: warning: {out}: {', '.join(stale)} drawn by an earlier evaluation "
            "(another --format) are out of date",
            file=sys.stderr,
        )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``evaluate`` to the ``natosim`` parser."""
    p = sub.add_parser(
        "evaluate",
        help="measure the model: narrative, emergence, data vs null models, robustness",
    )
    p.add_argument(
        "scenario",
        nargs="?",
        default=None,
        help="scenario file or bundled name (default historical_calibrated)",
    )
    p.add_argument(
        "--replicates",
        type=int,
        default=EVALUATION_DEFAULTS["replicates"],
        help="replicates per variant (default 200)",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=None,
        help="seed of replicate 0 (default: the scenario's seed, 1991 for the bundled ones)",
    )
    p.add_argument(
        "--draws",
        type=int,
        default=EVALUATION_DEFAULTS["draws"],
        help="draws of the hand-set tables (default 100)",
    )
    p.add_argument(
        "--resamples",
        type=int,
        default=EVALUATION_DEFAULTS["resamples"],
        help="bootstrap resamples of the replicates for the scorecard's Monte Carlo error "
        "(default 100; 0: none)",
    )
    p.add_argument("--out", default=None, help="output directory (default runs/evaluate/)")
    p.add_argument(
        "--no-calibration",
        action="store_true",
        help="skip the refits of experiments/calibration.toml on the scenario (most of the "
        "time: no held-out data check, posterior draws or identification)",
    )
    p.add_argument(
        "--calibration",
        default=None,
        metavar="FILE",
        help="the calibration experiment refitted on the scenario (default: the bundled "
        "calibration, experiments/calibration.toml)",
    )
    p.add_argument(
        "--workers", type=int, default=None, help="processes for the fits (default: all CPUs)"
    )
    p.add_argument("--format", default=None, help="figures: png (default), svg or pdf")
    p.add_argument(
        "--compare",
        nargs=2,
        default=None,
        metavar=("BEFORE", "AFTER"),
        help="run nothing: set the scorecards of two evaluation folders side by side (each "
        "figure, its change, the verdicts, the change against the resamples' ranges), printed "
        "as Markdown and, with --out DIR, written to DIR/comparison.md",
    )
    p.add_argument("--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(func=cmd_evaluate)
