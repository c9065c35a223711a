"""``natosim calibrate EXPERIMENT``: fit parameters to the UNGA ideal-point data.

Reads a calibration experiment (``experiments/calibration.toml``, ``kind =
"calibration"``; schema in :mod:`sim.experiments.calibration.spec`), runs ABC-SMC
(and the split check and the out-of-sample run it asks for;
:func:`sim.experiments.calibration.calibrate.calibrate`) and writes, into ``--out``
(default ``runs/<experiment name>/``):

* ``posterior.csv`` — posterior particles (parameters, ``weight``, ``distance``);
* ``summary.csv`` — ``parameter, median, q05, q95`` (+ mean, prior bounds);
* ``fit.csv`` and ``fit.png`` — data against the mapped model (median and replicate
  band, both series; ``--format svg`` or ``pdf`` writes ``fit.svg`` or ``fit.pdf``);
* ``report.json`` and ``report.md`` — method, figures, checks;
* ``out_of_sample.csv`` and ``out_of_sample.png`` — the fitted history continued
  past the data (if the experiment has ``[out_of_sample]``);

and the calibrated scenario: at ``--scenario-out`` if given (anywhere), else at
the experiment's ``scenario_out`` (relative to the experiment file, and only inside
its project folder), else into ``--out`` (see
:mod:`sim.experiments.calibration.experiment`). Everything is rendered before the
first file is moved into place, each file atomically. A bad experiment file is one
line naming the file and field, exit status 2, and nothing written.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from sim.cli.formats import figure_format
from sim.files.errors import InputError
from sim.results.calibration_report import render

__all__ = ["cmd_calibrate", "register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``calibrate`` command to the ``natosim`` parser.

    Args:
        subparsers: The parser's sub-command registry.
    """
    p = subparsers.add_parser(
        "calibrate",
        help="fit model parameters to UNGA ideal-point distances (ABC-SMC)",
        description=(
            "Fit model parameters so that median simulated trust tracks Russia's UNGA "
            "ideal-point distance to NATO and the USA, and report posterior intervals."
        ),
    )
    p.add_argument("experiment", help="calibration experiment file (TOML) or a bundled name")
    p.add_argument("--out", default=None, help="output directory (default runs/<name>/)")
    p.add_argument(
        "--scenario-out",
        default=None,
        help="where to write the calibrated scenario (default: the experiment's "
        "scenario_out, which must stay inside its project folder, else the --out folder)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help="worker processes for the fits (default: all CPUs, at most 2); "
        "results do not depend on it",
    )
    p.add_argument("--format", default=None, help="figures: png (default), svg or pdf")
    p.add_argument("--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(func=cmd_calibrate)


def _check_writable(directory: Path) -> None:
    """Fail before a long fit if results could not be written there."""
    probe = directory
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK):
        raise InputError(f"{directory}: cannot write there")


def _wrote_out_of_sample(out: Path) -> bool:
    """Whether the folder's report says natosim wrote its ``out_of_sample`` files."""
    from sim.files.documents import read_json

    try:
        report = read_json(out / "report.json", "report") if (out / "report.json").is_file() else {}
    except InputError:
        return False
    return isinstance(report, dict) and "out_of_sample" in report


def cmd_calibrate(args: argparse.Namespace) -> int:
    """``natosim calibrate``: fit, then write results and the calibrated scenario."""
    from sim.experiments.calibration.calibrate import calibrate
    from sim.experiments.schema import load_experiment
    from sim.files.atomic import atomic_write_many

    t0 = time.perf_counter()
    from sim.experiments.executors import check_workers

    workers = check_workers(args.workers)
    if args.scenario_out is not None and Path(args.scenario_out).is_dir():
        raise InputError(f"--scenario-out {args.scenario_out}: is a directory")
    exp = load_experiment(args.experiment, "calibration", scenario_out=args.scenario_out)
    out = Path(args.out) if args.out else Path("runs") / exp.spec.name
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: exists and is not a directory")
    scenario_out = exp.scenario_target(out)
    if scenario_out.is_dir():
        raise InputError(f"{scenario_out}: is a directory, not a scenario file")
    _check_writable(out)
    _check_writable(scenario_out.parent)
    say = (lambda _m: None) if args.quiet else print
    fmt = figure_format(args.format, None)
    cal = calibrate(exp, workers=workers, log=say)
    files = render(cal, scenario_out, fmt)
    scen_text = files.pop("__scenario__")
    targets = {out / name: data for name, data in files.items()}
    targets[scenario_out] = scen_text
    ours = _wrote_out_of_sample(out)  # before report.json is replaced
    atomic_write_many(targets)  # all or nothing
    if f"out_of_sample.{fmt}" not in files and ours:  # our stale figures of an earlier fit
        for stale in (f"out_of_sample.{fmt}", "out_of_sample.csv"):
            (out / stale).unlink(missing_ok=True)
    written = list(targets)
    fits = [("", cal.full)] + ([("training fit: ", cal.split["fit"])] if cal.split else [])
    for what, fit in fits:  # the fit's own warnings, also in report.md
        if fit.note:
            print(f"natosim: warning: {exp.spec.name}: {what}{fit.note}", file=sys.stderr)
    if not args.quiet:
        print(f"{exp.spec.name}: posterior (median [5 %, 95 %])")
        for row in cal.full.summary.itertuples():
            print(f"  {row.parameter:18s} {row.median:.4f} [{row.q05:.4f}, {row.q95:.4f}]")
        for t, s in cal.stats:
            print(
                f"  {t.series} ~ {t.observer}→{t.target}: r = {s.pearson_r:.3f}, "
                f"ρ = {s.spearman_rho:.3f}, RMSE = {s.rmse:.3f}"
            )
        if cal.split is not None:
            for t, c in cal.split["checks"]:
                print(
                    f"  split {t.series}: test r = {c.test_pearson_r:.3f}, "
                    f"RMSE = {c.test_rmse:.3f}, skill vs the training mean = {c.skill:.2f}"
                )
        print(f"  {time.perf_counter() - t0:.1f} s")
        for p in written:
            print(f"  wrote {p}")
    return 0
