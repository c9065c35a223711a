"""Fitting one window of years: ABC-SMC, the posterior at ε*, and the point estimate.

**Loss.** ``L(θ)`` = root mean square over the series of the normalised RMSE
after the map, ``sqrt(1 − r²)`` per series
(:func:`sim.experiments.calibration.mapping.monotone_loss`), of the per-year
median trust of :class:`~sim.experiments.calibration.simulator.TrustSimulator`.

**Posterior.** ABC-SMC (:func:`sim.experiments.calibration.abc_smc.abc_smc`) with
uniform priors on the experiment's ranges. The final tolerance ε* is Beale's
criterion (:mod:`sim.experiments.calibration.tolerance`). The weighted population
of the last generation whose tolerance is at least ε*, restricted to particles
with loss ≤ ε* (still a valid importance sample of the ABC posterior at ε*), is
the reported posterior; its weighted 5 % and 95 % marginal quantiles are the
reported 90 % intervals.

**Point estimate.** The rounded marginal medians if they lie inside the region,
else the best posterior particle (rounded); it is what the calibrated scenario
sets.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments.calibration.abc_smc import abc_smc
from sim.experiments.calibration.experiment import CalibrationExperiment
from sim.experiments.calibration.mapping import monotone_loss
from sim.experiments.calibration.population import AbcResult, Generation
from sim.experiments.calibration.simulator import TrustSimulator
from sim.experiments.calibration.tolerance import normalised_residuals, tolerance_floor
from sim.model import params as P
from sim.model.compile import compile_scenario
from sim.model.runner import resolve_params
from sim.model.seeds import crn_seeds

__all__ = ["WindowFit", "fit_window", "fit_windows", "posterior_population"]


@dataclass
class WindowFit:
    """ABC-SMC fit over one window of years.

    Attributes:
        years: Fit window (inclusive).
        names: Fitted parameter names.
        abc: The full ABC-SMC run.
        best: Best parameter vector found (smallest loss over all generations).
        best_loss: Its loss ``L̂``.
        epsilon: Final tolerance ``ε*`` (Beale criterion).
        tolerance: Tolerance of the reported posterior (``ε*`` unless ``note`` says
            otherwise).
        n_eff: Effective number of data points used for ``ε*``.
        rho: Lag-1 autocorrelation of residuals at the best fit.
        generation: Index of the generation the posterior is drawn from.
        posterior: Posterior particles (``names``, ``weight``, ``distance``).
        summary: ``parameter, median, mean, q05, q95, prior_low, prior_high, ci_frac_of_prior``.
        point: Parameter values written to the calibrated scenario.
        point_rule: How ``point`` was chosen.
        point_loss: Loss of ``point`` (common random numbers).
        note: Warnings about the fit (empty when none).
        n_runs: Model runs simulated.
        seconds: Wall time.
    """

    years: tuple[int, int]
    names: list[str]
    abc: AbcResult
    best: np.ndarray
    best_loss: float
    epsilon: float
    tolerance: float
    n_eff: float
    rho: float
    generation: int
    posterior: pd.DataFrame
    summary: pd.DataFrame
    point: dict[str, float]
    point_rule: str
    point_loss: float
    note: str
    n_runs: int
    seconds: float

    @property
    def ess(self) -> float:
        """Kish effective sample size of the posterior."""
        w = self.posterior["weight"].to_numpy()
        return float(1.0 / np.sum(w**2))


def posterior_population(
    res: AbcResult, eps: float, *, min_size: int
) -> tuple[Generation, int, str]:
    """The ABC posterior at tolerance ``eps`` from an ABC-SMC run's populations.

    Takes the last generation whose tolerance is at least ``eps`` and keeps its
    particles with distance ≤ ``eps`` (weights renormalised): an importance sample of
    prior × 1[distance ≤ eps] stays one when restricted to a subset of its support.

    Args:
        res: The ABC-SMC run.
        eps: Target tolerance.
        min_size: Fewest particles acceptable after the restriction.

    Returns:
        ``(population, generation index, note)``; the note is empty unless the
        posterior had to be taken at another tolerance.
    """
    gens = res.generations
    eligible = [i for i, g in enumerate(gens) if g.epsilon >= eps]
    note = ""
    if not math.isfinite(eps):
        g_idx = 0
        note = "too few effective data points for the F-criterion (ε* = ∞)"
    elif eligible:
        g_idx = eligible[-1]
    else:
        g_idx = 0
        note = (
            f"ε* = {eps:.4f} exceeds generation 0's tolerance {gens[0].epsilon:.4f}, so the "
            "posterior is truncated to the best prior draws and understates the "
            "uncertainty (use a larger quantile)"
        )
    g = gens[g_idx]
    keep = g.distances <= eps
    tol = min(eps, g.epsilon)
    if keep.sum() < min_size:
        note = (
            f"only {int(keep.sum())} particles within ε* = {eps:.4f}; the posterior is "
            f"generation {g_idx} at its tolerance {g.epsilon:.4f} (wider than ε*; "
            "run more generations)"
        )
        keep = np.ones_like(keep)
        tol = g.epsilon
    elif g_idx == len(gens) - 1 and g.epsilon > eps:
        shown_eps, shown_star = _apart(g.epsilon, eps)
        note = note or (
            f"ABC stopped at tolerance {shown_eps} above ε* = {shown_star}; the last "
            "population was restricted to ε* (more generations would refine it)"
        )
    w = g.weights[keep] / g.weights[keep].sum()
    pop = Generation(
        epsilon=float(tol),
        particles=g.particles[keep],
        weights=w,
        distances=g.distances[keep],
        n_simulations=g.n_simulations,
    )
    return pop, g_idx, note


def fit_window(
    exp: CalibrationExperiment,
    years: tuple[int, int],
    seed: int | np.random.SeedSequence,
    *,
    simulator: TrustSimulator | None = None,
) -> WindowFit:
    """Run ABC-SMC on one window of years and derive the posterior and point estimate.

    Args:
        exp: The experiment.
        years: Fit window (inclusive), within ``exp.spec.years``.
        seed: Seed of the ABC-SMC run.
        simulator: Simulator to use (default: one over ``years`` with the experiment's
            common random numbers).

    Returns:
        The fit.
    """
    t0 = time.perf_counter()
    spec = exp.spec
    sim = simulator or TrustSimulator(
        compile_scenario(exp.scenario),
        resolve_params(exp.scenario),
        exp.names,
        exp.pairs,
        years,
        crn_seeds(spec.seed, spec.replicates),
    )
    observed = exp.observed(years)
    segs = sim.segments()

    def loss(simulated: np.ndarray, obs: np.ndarray) -> np.ndarray:
        return monotone_loss(simulated, obs, segments=segs)

    ranges = exp.ranges
    res = abc_smc(
        sim,
        observed,
        loss,
        ranges,
        n_particles=spec.abc.particles,
        n_generations=spec.abc.generations,
        quantile=spec.abc.quantile,
        seed=seed,
        max_simulations_per_generation=spec.abc.max_simulations_per_generation,
    )
    # Best particle over all generations.
    best_g = min(range(len(res.generations)), key=lambda g: res.generations[g].distances.min())
    gen = res.generations[best_g]
    best = gen.particles[int(np.argmin(gen.distances))]
    best_loss = float(gen.distances.min())
    resid = normalised_residuals(sim(best[None], np.random.SeedSequence(0))[0], observed, segs)
    eps, n_eff, rho = tolerance_floor(resid, best_loss, len(ranges), spec.confidence)

    post_gen, g_idx, note = posterior_population(res, eps, min_size=max(10, len(ranges) + 2))
    post = AbcResult(ranges=res.ranges, generations=(post_gen,), stop_reason=res.stop_reason)
    summary = post.summary(ci=0.90)
    posterior = post.to_frame()

    # Point estimate: rounded marginal medians, if they lie inside the region.
    med = np.array([_round_param(n, v) for n, v in zip(exp.names, summary["median"], strict=True)])
    med_loss = float(loss(sim(med[None], np.random.SeedSequence(0)), observed)[0])
    if med_loss <= post_gen.epsilon:
        point_vec, rule, point_loss = med, "posterior medians (rounded)", med_loss
    else:
        best_post = post_gen.particles[int(np.argmin(post_gen.distances))]
        point_vec = np.array(
            [_round_param(n, v) for n, v in zip(exp.names, best_post, strict=True)]
        )
        point_loss = float(loss(sim(point_vec[None], np.random.SeedSequence(0)), observed)[0])
        rule = (
            f"best posterior particle (rounded): the marginal medians have loss "
            f"{med_loss:.4f} > ε* = {post_gen.epsilon:.4f}"
        )
    point = {n: float(v) for n, v in zip(exp.names, point_vec, strict=True)}
    return WindowFit(
        years=years,
        names=exp.names,
        abc=res,
        best=best,
        best_loss=best_loss,
        epsilon=eps,
        tolerance=float(post_gen.epsilon),
        n_eff=n_eff,
        rho=rho,
        generation=g_idx,
        posterior=posterior,
        summary=summary,
        point=point,
        point_rule=rule,
        point_loss=point_loss,
        note=note,
        n_runs=sim.n_runs,
        seconds=time.perf_counter() - t0,
    )


def _round_param(name: str, value: float) -> float:
    spec = P.BY_NAME[name]
    return float(np.clip(round(float(value), 4), spec.low, spec.high))


_Task = tuple[int, CalibrationExperiment, tuple[int, int], np.random.SeedSequence]


def _fit_task(task: _Task) -> Any:
    """Executor task: fit one window (module level, so it pickles)."""
    idx, exp, years, seq = task
    return idx, fit_window(exp, years, seq)


def fit_windows(
    exp: CalibrationExperiment, windows: Sequence[tuple[int, int]], workers: int | None = 1
) -> list[WindowFit]:
    """Fit several windows, in parallel worker processes when ``workers`` > 1.

    The ABC seed of window ``i`` is child ``i`` of ``SeedSequence(seed)``, and the
    replicate seeds are the experiment's common random numbers, so the fits are the
    same whatever ``workers`` is.

    Args:
        exp: The experiment.
        windows: Inclusive year spans; the first is the main fit.
        workers: Worker processes (None: all CPUs, capped at the number of windows).

    Returns:
        One fit per window, in the order given.
    """
    from sim.experiments.executors import default_workers, make_executor

    seqs = np.random.SeedSequence(exp.spec.seed).spawn(len(windows))
    n = default_workers() if workers is None else workers
    n = max(1, min(n, len(windows)))
    tasks = [(i, exp, tuple(w), seqs[i]) for i, w in enumerate(windows)]
    out: dict[int, WindowFit] = {}
    with make_executor(workers=n, preload=(__name__,)) as ex:
        for idx, fit in ex.map_unordered(_fit_task, tasks):
            out[idx] = fit
    return [out[i] for i in range(len(windows))]


def _apart(a: float, b: float) -> tuple[str, str]:
    """``a`` and ``b`` with 4 decimals, or as many more (up to 10) as tell them apart."""
    for digits in range(4, 11):
        x, y = f"{a:.{digits}f}", f"{b:.{digits}f}"
        if x != y:
            break
    return x, y
