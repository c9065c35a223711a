"""``calibrate()``: the whole calibration experiment, from fit to checks (no files written).

Fits the main window and, when the experiment has ``[split]``, the training window
(:func:`sim.experiments.calibration.windows.fit_windows`, in parallel when asked,
with the same result whatever the number of workers); runs the fitted scenario for
the report; maps it onto the data (:func:`series_stats`, :func:`fit_table`); reads
the posterior band; scores the held-out years; runs the member-level check and the
out-of-sample continuation. :mod:`sim.results.calibration_report` renders the
result and :mod:`sim.cli.calibrate` writes it.

**Data and mapping.** Each target pairs one yearly series of the ideal-point
summary (Bailey, Strezhnev & Voeten 2017; ``seeds/data``) with one directed trust
pair of the model, e.g. ``mean_dist_rus_nato_members_all`` with RUS→NATO trust and
``dist_rus_usa_all`` with RUS→USA trust. Larger distance means less alignment, so
each series gets its own *decreasing affine map* ``distance ≈ a + b · trust``,
``b ≤ 0`` (:mod:`sim.experiments.calibration.mapping`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments.calibration.experiment import CalibrationExperiment, continued_scenario
from sim.experiments.calibration.mapping import FitStats, monotone_fit, split_fit_check
from sim.experiments.calibration.member_check import member_level_check
from sim.experiments.calibration.population import weighted_quantile
from sim.experiments.calibration.simulator import TrustSimulator
from sim.experiments.calibration.spec import TargetSpec
from sim.experiments.calibration.windows import WindowFit, fit_windows
from sim.model.compile import compile_scenario
from sim.model.result import RunResult
from sim.model.runner import resolve_params, run
from sim.model.seeds import crn_seeds

__all__ = ["Calibration", "calibrate", "fit_table", "series_stats"]


def series_stats(
    result: RunResult, exp: CalibrationExperiment, years: tuple[int, int]
) -> list[tuple[TargetSpec, FitStats]]:
    """Map and goodness of fit of each target's median trust over ``years``.

    Args:
        result: A run of the (fitted) scenario.
        exp: The experiment.
        years: Inclusive span.

    Returns:
        One ``(target, FitStats)`` per target.
    """
    out = []
    for t in exp.spec.targets:
        med = result.median(t.observer, t.target).loc[years[0] : years[1]]
        obs = exp.data.loc[years[0] : years[1], t.series]
        out.append((t, monotone_fit(med.to_numpy(), obs.to_numpy())))
    return out


def fit_table(
    result: RunResult, exp: CalibrationExperiment, maps: Sequence[FitStats]
) -> pd.DataFrame:
    """Tidy table of data against the mapped model, for the figure and ``fit.csv``.

    Columns: ``series, observer, target, year, distance, model_median, model_q05,
    model_q95`` (model columns in distance units, after the series' map; the replicate
    band is the 5–95 % range of replicates at each year).
    """
    rows = []
    y0, y1 = exp.spec.years
    for t, fit in zip(exp.spec.targets, maps, strict=True):
        s = result.series(t.observer, t.target)
        yrs = result.years
        mask = (yrs >= y0) & (yrs <= y1)
        q05, q50, q95 = np.quantile(s[:, mask], [0.05, 0.5, 0.95], axis=0)
        for i, y in enumerate(yrs[mask]):
            # slope <= 0: the upper trust quantile maps to the lower distance.
            rows.append(
                {
                    "series": t.series,
                    "observer": t.observer,
                    "target": t.target,
                    "year": int(y),
                    "distance": float(exp.data.loc[int(y), t.series]),
                    "model_median": float(fit.predict(q50[i])),
                    "model_q05": float(fit.predict(q95[i])),
                    "model_q95": float(fit.predict(q05[i])),
                }
            )
    return pd.DataFrame(rows)


@dataclass
class Calibration:
    """Everything ``natosim calibrate`` reports.

    Attributes:
        experiment: The experiment.
        full: The fit over the whole window.
        point_run: Run of the fitted scenario (``report_replicates``, scenario seeds).
        stats: Per-target map and statistics over the whole window.
        table: Data against mapped model (see :func:`fit_table`).
        posterior_band: Per target and year, 5–95 % of the mapped posterior medians.
        split: Training fit and the held-out check per target, or None.
        member_level: See :func:`member_level_check`.
        out_of_sample: Medians of the continued run per year, or None.
        out_of_sample_run: The continued run, or None.
        seconds: Wall time.
    """

    experiment: CalibrationExperiment
    full: WindowFit
    point_run: RunResult
    stats: list[tuple[TargetSpec, FitStats]]
    table: pd.DataFrame
    posterior_band: pd.DataFrame
    split: dict[str, Any] | None
    member_level: dict[str, Any]
    out_of_sample: pd.DataFrame | None
    out_of_sample_run: RunResult | None
    seconds: float


def _posterior_band(
    sim: TrustSimulator, fit: WindowFit, exp: CalibrationExperiment
) -> pd.DataFrame:
    """Per target and year, weighted 5–95 % of the posterior's fitted median curves.

    Each posterior particle's median trajectory is mapped with its own best map (the
    map is refitted for every particle, as in the loss), so the band shows how much
    the fitted curve's *shape* varies across the posterior.
    """
    theta = fit.posterior[fit.names].to_numpy()
    w = fit.posterior["weight"].to_numpy()
    med = sim.medians(theta)  # (n, pairs, years)
    years = np.arange(sim.years[0], sim.years[1] + 1)
    rows = []
    for k, t in enumerate(exp.spec.targets):
        obs = exp.data.loc[sim.years[0] : sim.years[1], t.series].to_numpy(dtype=float)
        mapped = np.stack([monotone_fit(m, obs).predict(m) for m in med[:, k, :]])
        for j, y in enumerate(years):
            lo, hi = weighted_quantile(mapped[:, j], w, [0.05, 0.95])
            rows.append({"series": t.series, "year": int(y), "post_q05": lo, "post_q95": hi})
    return pd.DataFrame(rows)


def calibrate(
    exp: CalibrationExperiment, *, workers: int | None = 1, log: Any = None
) -> Calibration:
    """Run the whole calibration experiment (no files written).

    Args:
        exp: A loaded experiment.
        workers: Worker processes for the window fits (None: all CPUs). The result
            does not depend on it.
        log: Optional callable taking one string (progress messages).

    Returns:
        The fit, its checks and the continued run.
    """
    t0 = time.perf_counter()
    say = log or (lambda _msg: None)
    spec = exp.spec
    windows = [spec.years] + ([spec.split.train] if spec.split is not None else [])
    say(
        "ABC-SMC on "
        + " and ".join(f"{a}-{b}" for a, b in windows)
        + f" ({spec.abc.particles} particles, {spec.replicates} replicates each) ..."
    )
    fits = fit_windows(exp, windows, workers)
    full = fits[0]
    say(
        f"  {full.abc.n_simulations} particles simulated for {windows[0][0]}-{windows[0][1]}, "
        f"ε* = {full.epsilon:.4f}, {full.seconds:.1f} s"
    )
    point_run = run(exp.scenario, replicates=spec.report_replicates, **full.point)
    stats = series_stats(point_run, exp, spec.years)
    maps = [s for _, s in stats]
    table = fit_table(point_run, exp, maps)
    sim = TrustSimulator(
        compile_scenario(exp.scenario),
        resolve_params(exp.scenario),
        exp.names,
        exp.pairs,
        spec.years,
        crn_seeds(spec.seed, spec.replicates),
    )
    band = _posterior_band(sim, full, exp)
    rn_map = next((s for t, s in stats if (t.observer, t.target) == ("RUS", "NATO")), maps[0])
    member = member_level_check(point_run, rn_map)

    split = None
    if spec.split is not None:
        train = fits[1]
        run_tr = run(exp.scenario, replicates=spec.report_replicates, **train.point)
        checks = [
            (
                t,
                split_fit_check(
                    run_tr.median(t.observer, t.target),
                    exp.data[t.series],
                    train_years=spec.split.train,
                    test_years=spec.split.test,
                ),
            )
            for t in spec.targets
        ]
        split = {"fit": train, "checks": checks}

    oos = oos_run = None
    if spec.out_of_sample is not None:
        end = spec.out_of_sample.end
        sc = exp.continuation or continued_scenario(
            exp.scenario, end, f"{exp.scenario.name}_calibrated_to_{end}"
        )
        oos_run = run(sc, replicates=spec.report_replicates, **full.point)
        cols = {}
        for o, t in (("RUS", "NATO"), ("NATO", "RUS"), *exp.pairs):
            cols[f"{o}->{t}"] = oos_run.median(o, t)
        oos = pd.DataFrame(cols)
        oos.index.name = "year"
    return Calibration(
        experiment=exp,
        full=full,
        point_run=point_run,
        stats=stats,
        table=table,
        posterior_band=band,
        split=split,
        member_level=member,
        out_of_sample=oos,
        out_of_sample_run=oos_run,
        seconds=time.perf_counter() - t0,
    )
