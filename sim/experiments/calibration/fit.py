"""Fit model parameters to the UN General Assembly ideal-point distances.

This module ties the model (:func:`sim.run.run_arrays`) to the model-agnostic engine in
:mod:`sim.calibrate`. It holds the calibration *experiment* schema
(``experiments/calibration.toml``), the vectorised simulator handed to ABC-SMC, the
choice of the final ABC tolerance, and the checks reported with a fit. It writes no
files; :mod:`sim.calibrate_cli` does.

**Data and mapping.** Each target pairs one yearly series of the ideal-point summary
(Bailey, Strezhnev & Voeten 2017; ``seeds/data``) with one directed trust pair of the
model, e.g. ``mean_dist_rus_nato_members_all`` with RUS→NATO trust and
``dist_rus_usa_all`` with RUS→USA trust. Larger distance means less alignment, so
each series gets its own *decreasing affine map*, fitted by least squares at every
evaluation::

    distance ≈ a + b · trust,   b ≤ 0

(:func:`sim.calibrate.monotone_fit`). The map absorbs the arbitrary level and scale
of model trust; the data inform the *shape* of the trajectories.

**Simulated summary.** For a parameter vector θ the model is run with ``replicates``
Monte Carlo replicates whose seeds are fixed for the whole experiment
(``derive_seed(seed, r)``, *common random numbers*), and the per-year median over
replicates of each target pair is the summary. One ABC batch (particles × replicates)
is one call of :func:`sim.run.run_arrays` (chunked to bound memory). With common
random numbers the loss is a deterministic function of θ, so particles are compared
on the same random draws.

**Loss.** ``L(θ)`` = root mean square over the series of the normalised RMSE after the
map, ``sqrt(1 − r²)`` per series (:func:`sim.calibrate.monotone_loss`).

**Method.** ABC-SMC (Toni et al. 2009; Beaumont et al. 2009) with uniform priors on the
experiment's bounds (:func:`sim.calibrate.abc_smc`). The tolerance schedule shrinks
by the ``quantile`` rule; the *final* tolerance is not left to the number of
generations but set from the data: ``ε* = L̂ · sqrt(1 + d/(n_eff − p) · F_{c}(d,
n_eff − p))``, Beale's (1960) F-criterion for a nonlinear least-squares confidence
region at level ``c`` (default 0.90), where ``L̂`` is the smallest loss found, ``d``
the number of fitted parameters, ``p = d + 2·(number of series)`` (two map
coefficients per series) and ``n_eff = n (1 − ρ)/(1 + ρ)`` the number of data points
deflated by the lag-1 autocorrelation ρ of the normalised residuals at the best fit.
The weighted population of the last generation whose tolerance is at least ε*,
restricted to particles with loss ≤ ε* (still a valid importance sample of the ABC
posterior at ε*), is the reported posterior; its weighted 5 % and 95 % marginal
quantiles are the reported 90 % intervals.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from scipy.stats import f as f_dist

from sim.data import locate
from sim.data.unga import IDEALPOINT_SUMMARY_FILE, load_idealpoint_members, load_idealpoint_summary
from sim.experiments.calibration.abc import (
    AbcResult,
    Bounds,
    FitStats,
    Generation,
    abc_smc,
    monotone_fit,
    monotone_loss,
    split_fit_check,
    weighted_quantile,
)
from sim.files.documents import error_location, read_document
from sim.files.errors import InputError
from sim.model import params as P
from sim.model.compile import Compiled, compile_scenario
from sim.model.resolve import load_scenario
from sim.model.result import RunResult
from sim.model.runner import resolve_params, run, run_arrays
from sim.model.scenario import Scenario
from sim.model.seeds import crn_seeds

__all__ = [
    "EU_ACCESSION",
    "Calibration",
    "Experiment",
    "ExperimentError",
    "ExperimentSpec",
    "TrustSimulator",
    "WindowFit",
    "calibrate",
    "fit_window",
    "fit_windows",
    "load_experiment",
    "member_level_check",
    "scenario_toml",
    "series_stats",
    "tolerance_floor",
]

#: Runs per call of :func:`sim.run.run_arrays` (bounds memory: trust is (runs, T, P)).
CHUNK_RUNS = 4000

#: EU accession year of the NATO members in the ideal-point data (public record; the UK
#: left on 31 January 2020). Used only to show that EU members vote together in the UN.
EU_ACCESSION: dict[str, int] = {
    "BEL": 1958,
    "FRA": 1958,
    "DEU": 1958,
    "ITA": 1958,
    "LUX": 1958,
    "NLD": 1958,
    "DNK": 1973,
    "GBR": 1973,
    "GRC": 1981,
    "ESP": 1986,
    "PRT": 1986,
    "FIN": 1995,
    "SWE": 1995,
    "CZE": 2004,
    "EST": 2004,
    "HUN": 2004,
    "LVA": 2004,
    "LTU": 2004,
    "POL": 2004,
    "SVK": 2004,
    "SVN": 2004,
    "BGR": 2007,
    "ROU": 2007,
    "HRV": 2013,
}


# ----------------------------------------------------------------------------- schema


class ExperimentError(InputError):
    """A calibration experiment file that cannot be used (names the file and field)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ParamPrior(_Strict):
    """A fitted parameter with a uniform prior on ``[low, high]``."""

    name: str
    low: float
    high: float

    @model_validator(mode="after")
    def _check(self) -> ParamPrior:
        if self.name not in P.BY_NAME:
            raise ValueError(f"unknown parameter {self.name!r} (known: {', '.join(P.PARAM_NAMES)})")
        spec = P.BY_NAME[self.name]
        if not spec.low <= self.low < self.high <= spec.high:
            raise ValueError(
                f"prior bounds [{self.low}, {self.high}] of {self.name} must satisfy "
                f"{spec.low} <= low < high <= {spec.high}"
            )
        return self


class TargetSpec(_Strict):
    """One observed series and the directed trust pair it is compared with."""

    series: str
    observer: str
    target: str


class AbcSpec(_Strict):
    """Settings of ABC-SMC (see :func:`sim.calibrate.abc_smc`)."""

    particles: int = Field(default=200, ge=10, le=100_000)
    generations: int = Field(default=8, ge=1, le=50)
    quantile: float = Field(default=0.5, gt=0.0, lt=1.0)
    max_simulations_per_generation: int | None = Field(default=None, ge=10)


class SplitSpec(_Strict):
    """Fit on ``train`` years only, check on ``test`` years."""

    train: tuple[int, int]
    test: tuple[int, int]


class OutOfSampleSpec(_Strict):
    """Continue the fitted scenario to ``end`` (no data after the fit window are used)."""

    end: int = Field(ge=1949, le=2100)


class ExperimentSpec(_Strict):
    """A calibration experiment file (``experiments/calibration.toml``)."""

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    description: str = ""
    scenario: str = Field(min_length=1)
    scenario_out: str | None = None
    seed: int = Field(default=0, ge=0, le=2**63 - 1)
    replicates: int = Field(default=20, ge=1, le=10_000)
    report_replicates: int = Field(default=40, ge=1, le=10_000)
    years: tuple[int, int] = (1991, 2012)
    confidence: float = Field(default=0.90, gt=0.0, lt=1.0)
    targets: tuple[TargetSpec, ...] = Field(min_length=1)
    parameters: tuple[ParamPrior, ...] = Field(min_length=1)
    abc: AbcSpec = AbcSpec()
    split: SplitSpec | None = None
    out_of_sample: OutOfSampleSpec | None = None


@dataclass
class Experiment:
    """A loaded, validated experiment with everything it refers to resolved.

    Attributes:
        spec: The parsed file.
        path: The experiment file.
        scenario: The resolved base scenario.
        scenario_path: The base scenario file.
        scenario_out: Where the calibrated scenario is written.
        data: The ideal-point summary, indexed by year.
    """

    spec: ExperimentSpec
    path: Path
    scenario: Scenario
    scenario_path: Path
    scenario_out: Path
    data: pd.DataFrame

    @property
    def names(self) -> list[str]:
        """Fitted parameter names, in order."""
        return [p.name for p in self.spec.parameters]

    @property
    def bounds(self) -> list[Bounds]:
        """Uniform priors, in parameter order."""
        return [Bounds(p.name, p.low, p.high) for p in self.spec.parameters]

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """Directed trust pairs of the targets."""
        return [(t.observer, t.target) for t in self.spec.targets]

    def observed(self, years: tuple[int, int]) -> np.ndarray:
        """Observed series over ``years`` (inclusive), concatenated target by target."""
        rows = self.data.loc[years[0] : years[1]]
        return np.concatenate([rows[t.series].to_numpy(dtype=float) for t in self.spec.targets])


def _read_toml(path: Path) -> dict[str, Any]:
    if path.suffix.lower() != ".toml":
        raise ExperimentError(path, None, "an experiment file must be TOML (.toml)")
    try:
        return read_document(path, "experiment")
    except InputError as exc:
        raise ExperimentError(exc.path, exc.field, exc.message) from None


def load_experiment(path: str | Path, scenario_out: str | Path | None = None) -> Experiment:
    """Load and validate a calibration experiment file.

    Every check that can fail is done here, before anything is simulated or written.

    Args:
        path: The experiment TOML file.
        scenario_out: Override of the file's ``scenario_out`` (relative to the working
            directory, not to the experiment file).

    Returns:
        The resolved experiment.

    Raises:
        ExperimentError: Naming the experiment file and the field at fault.
        InputError: If the base scenario itself is invalid (names that file).
    """
    path = locate.find_input(path, "experiment")
    raw = _read_toml(path)
    try:
        spec = ExperimentSpec.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        msg = str(err["msg"]).removeprefix("Value error, ")
        raise ExperimentError(path, error_location(err), msg) from None

    def fail(fld: str, msg: str) -> None:
        raise ExperimentError(path, fld, msg)

    try:
        scen_path = locate.find_input(spec.scenario, "scenario", path.parent)
    except InputError as exc:
        fail("scenario", f"scenario {spec.scenario!r}: {exc.message}")
    scenario = load_scenario(scen_path)

    seen: set[str] = set()
    for i, p in enumerate(spec.parameters):
        if p.name in seen:
            fail(f"parameters[{i}].name", f"{p.name!r} is listed twice")
        seen.add(p.name)

    try:
        data = load_idealpoint_summary()
    except FileNotFoundError as exc:
        raise ExperimentError(path, None, str(exc)) from None
    comp = compile_scenario(scenario)
    y0, y1 = spec.years
    if y1 - y0 < 3:
        fail("years", f"need at least 4 years, got {y0}-{y1}")
    lo, hi = int(data.index.min()), int(data.index.max())
    if not (lo <= y0 and y1 <= hi):
        fail("years", f"{y0}-{y1} is outside the data ({lo}-{hi}, {IDEALPOINT_SUMMARY_FILE})")
    if not (scenario.time.start <= y0 and y1 <= scenario.time.end):
        fail(
            "years",
            f"{y0}-{y1} is outside the scenario's span {scenario.time.start}-{scenario.time.end}",
        )
    pairs_seen: set[tuple[str, str]] = set()
    for i, t in enumerate(spec.targets):
        if t.series not in data.columns:
            numeric = [c for c in data.columns if c.startswith(("dist", "mean_dist"))]
            fail(
                f"targets[{i}].series",
                f"unknown series {t.series!r} (distance columns: {', '.join(numeric)})",
            )
        if (t.observer, t.target) not in comp.pair_index:
            fail(
                f"targets[{i}]",
                f"the model has no trust pair {t.observer}→{t.target} in this scenario",
            )
        if (t.observer, t.target) in pairs_seen:
            fail(f"targets[{i}]", f"pair {t.observer}→{t.target} is used twice")
        pairs_seen.add((t.observer, t.target))
        if data.loc[y0:y1, t.series].isna().any():
            fail(f"targets[{i}].series", f"{t.series} has missing values in {y0}-{y1}")
    if spec.split is not None:
        for key in ("train", "test"):
            a, b = getattr(spec.split, key)
            if not (y0 <= a < b <= y1):
                fail(f"split.{key}", f"{a}-{b} must be an ordered span within years {y0}-{y1}")
        n_train = spec.split.train[1] - spec.split.train[0] + 1
        if n_train * len(spec.targets) <= len(spec.parameters) + 2 * len(spec.targets) + 1:
            fail(
                "split.train", f"{n_train} years are too few for {len(spec.parameters)} parameters"
            )
        if spec.split.train[1] >= spec.split.test[0]:
            fail("split", "the training years must end before the test years start")
    if spec.out_of_sample is not None:
        end = spec.out_of_sample.end
        if end <= y1:
            fail("out_of_sample.end", f"{end} must be after the fit window ({y1})")
        # Validate the continued scenario now, so a bad one fails before any output.
        continued_scenario(scenario, end, f"{scenario.name}_calibrated_to_{end}")
    if scenario_out is not None:
        out = Path(scenario_out)
    elif spec.scenario_out is not None:
        out = (path.parent / spec.scenario_out).resolve()
    else:
        out = scen_path.with_name(f"{scen_path.stem}_calibrated.toml")
    if out.suffix.lower() != ".toml":
        fld = "scenario_out" if scenario_out is None else "--scenario-out"
        fail(fld, f"{out} must be a .toml file")
    if out.resolve() == scen_path:
        fail("scenario_out", "would overwrite the base scenario")
    return Experiment(spec, path, scenario, scen_path, out, data)


def continued_scenario(base: Scenario, end: int, name: str) -> Scenario:
    """The base scenario continued (or cut) to ``end``, validated like a file.

    Args:
        base: A resolved scenario.
        end: New last year.
        name: Name of the new scenario.

    Returns:
        The resolved scenario with ``time.end = end``.
    """
    data = base.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    data["time"] = {"start": base.time.start, "end": end}
    data["name"] = name
    return load_scenario(data)


# -------------------------------------------------------------------------- simulator


@dataclass
class TrustSimulator:
    """Vectorised model simulator for ABC: parameters → per-year median trust.

    All particles are run on the same replicate seeds (common random numbers), in
    batches of at most :data:`CHUNK_RUNS` runs through :func:`sim.run.run_arrays`.

    Attributes:
        comp: The compiled scenario.
        base: Complete parameter dict (the scenario's values); fitted ones replace these.
        names: Fitted parameter names (columns of ``theta``).
        pairs: Directed trust pairs summarised, in order.
        years: Years summarised (inclusive span).
        seeds: The replicate seeds (one run per seed and particle).
    """

    comp: Compiled
    base: dict[str, float]
    names: list[str]
    pairs: list[tuple[str, str]]
    years: tuple[int, int]
    seeds: list[int]
    n_runs: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self._pair_idx = np.array([self.comp.pair_index[p] for p in self.pairs], dtype=np.intp)
        yrs = self.comp.years
        self._year_idx = np.flatnonzero((yrs >= self.years[0]) & (yrs <= self.years[1]))

    @property
    def n_years(self) -> int:
        """Number of years in the summary."""
        return int(self._year_idx.size)

    def param_sets(self, theta: np.ndarray) -> list[dict[str, float]]:
        """Complete parameter dicts, one per row of ``theta``."""
        return [
            {**self.base, **{n: float(v) for n, v in zip(self.names, row, strict=True)}}
            for row in np.atleast_2d(theta)
        ]

    def trust(self, theta: np.ndarray) -> np.ndarray:
        """Trust of the summarised pairs and years, ``(n, replicates, pairs, years)``."""
        sets = self.param_sets(theta)
        r = len(self.seeds)
        per_chunk = max(1, CHUNK_RUNS // r)
        out = np.empty((len(sets), r, len(self.pairs), self.n_years))
        for i in range(0, len(sets), per_chunk):
            chunk = sets[i : i + per_chunk]
            runs = [p for p in chunk for _ in range(r)]
            arr = run_arrays(self.comp, runs, self.seeds * len(chunk)).trust
            sel = arr[:, self._year_idx][:, :, self._pair_idx]  # (runs, years, pairs)
            out[i : i + len(chunk)] = sel.reshape(len(chunk), r, self.n_years, -1).transpose(
                0, 1, 3, 2
            )
            self.n_runs += len(runs)
        return out

    def medians(self, theta: np.ndarray) -> np.ndarray:
        """Median over replicates, ``(n, pairs, years)``."""
        return np.median(self.trust(theta), axis=1)

    def __call__(self, theta: np.ndarray, seed_seq: np.random.SeedSequence) -> np.ndarray:
        """The :data:`sim.calibrate.SimulateFn` interface: ``(n, pairs · years)``.

        ``seed_seq`` is not used: the replicate seeds are fixed (common random numbers).
        """
        del seed_seq
        med = self.medians(theta)
        return med.reshape(med.shape[0], -1)

    def segments(self) -> list[slice]:
        """Column slices of each pair in the flattened summary."""
        n = self.n_years
        return [slice(i * n, (i + 1) * n) for i in range(len(self.pairs))]


# ------------------------------------------------------------------------------ fitting


def tolerance_floor(
    residuals: Sequence[np.ndarray],
    best_loss: float,
    n_params: int,
    confidence: float,
) -> tuple[float, float, float]:
    """Final ABC tolerance from Beale's F-criterion at the best fit.

    Args:
        residuals: Per series, the residuals of the map at the best fit divided by the
            series' standard deviation.
        best_loss: The smallest loss found, ``L̂``.
        n_params: Number of fitted model parameters ``d``.
        confidence: Level ``c`` of the region.

    Returns:
        ``(epsilon, n_eff, rho)``: the tolerance ``L̂·sqrt(1 + d/(n_eff−p)·F_c(d, n_eff−p))``
        (``inf`` if fewer than one degree of freedom remains), the effective number of
        data points and the pooled lag-1 autocorrelation of the residuals.
    """
    num = sum(float(e[:-1] @ e[1:]) for e in residuals)
    den = sum(float(e @ e) for e in residuals)
    rho = num / den if den > 0 else 0.0
    n = sum(e.size for e in residuals)
    n_eff = n * (1.0 - rho) / (1.0 + rho) if rho > 0 else float(n)
    p = n_params + 2 * len(residuals)
    dof = n_eff - p
    if dof < 1.0:
        return math.inf, n_eff, rho
    factor = 1.0 + n_params / dof * float(f_dist.ppf(confidence, n_params, dof))
    return best_loss * math.sqrt(factor), n_eff, rho


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


def _residuals(sim_row: np.ndarray, observed: np.ndarray, segs: list[slice]) -> list[np.ndarray]:
    out = []
    for s in segs:
        fit = monotone_fit(sim_row[s], observed[s])
        e = observed[s] - fit.predict(sim_row[s])
        out.append(e / float(np.std(observed[s])))
    return out


def _posterior_population(
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
        note = note or (
            f"ABC stopped at tolerance {g.epsilon:.4f} above ε* = {eps:.4f}; the last "
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
    exp: Experiment,
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

    bounds = exp.bounds
    res = abc_smc(
        sim,
        observed,
        loss,
        bounds,
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
    resid = _residuals(sim(best[None], np.random.SeedSequence(0))[0], observed, segs)
    eps, n_eff, rho = tolerance_floor(resid, best_loss, len(bounds), spec.confidence)

    post_gen, g_idx, note = _posterior_population(res, eps, min_size=max(10, len(bounds) + 2))
    post = AbcResult(bounds=res.bounds, generations=(post_gen,), stop_reason=res.stop_reason)
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


# --------------------------------------------------------------------------- evaluation


def series_stats(
    result: RunResult, exp: Experiment, years: tuple[int, int]
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


def fit_table(result: RunResult, exp: Experiment, maps: Sequence[FitStats]) -> pd.DataFrame:
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


#: NATO members with a permanent UN Security Council seat: their UN votes follow P5
#: politics, so they are left out of the EU panel of :func:`member_level_check`.
P5_MEMBERS = ("FRA", "GBR", "USA")


def _two_way(x: np.ndarray) -> tuple[float, float, float]:
    """Shares of variance from row (year) and column (country) effects, within-row sd."""
    grand = x.mean()
    year_eff = x.mean(axis=1, keepdims=True) - grand
    ctry_eff = x.mean(axis=0, keepdims=True) - grand
    ss_tot = float(((x - grand) ** 2).sum())
    ss_year = float((year_eff**2).sum() * x.shape[1])
    ss_ctry = float((ctry_eff**2).sum() * x.shape[0])
    return ss_year / ss_tot, ss_ctry / ss_tot, float(np.mean(x.std(axis=1)))


def member_level_check(
    result: RunResult, rus_nato_map: FitStats, years: tuple[int, int] = (2004, 2012)
) -> dict[str, Any]:
    """Why the member-level ideal-point file is not used as a calibration target.

    EU members coordinate their UN votes, so Russia's distance to one EU member barely
    differs from its distance to another in the same year, and what does differ across
    members is largely UN bloc politics (P5 seats, Turkey's agenda), not NATO's two
    tiers. In ``years`` (default 2004–2012, when the central and eastern members were
    in both NATO and the EU) this returns:

    * ``pol_minus_deu``: mean and largest absolute dist(RUS, POL) − dist(RUS, DEU);
    * ``rus_idealpoint_halfwidth``: mean half-width of the 90 % posterior interval of
      Russia's own ideal point (the measurement error of one ideal point);
    * ``eu_panel``: for the non-P5 NATO members in the EU in all those years, the shares
      of the variance of Russia's distance due to year and to country effects
      (balanced two-way decomposition) and the mean within-year cross-member sd, also
      with France and the UK included;
    * ``series_sd``: sd over the calibration years of the NATO-mean distance (the
      variation the fit does use);
    * ``tier_gap``: new-minus-old mean distance in that panel, against the model's
      new-minus-old gap in median trust (both directions) converted to distance units
      with the RUS→NATO map slope.

    Args:
        result: A run of the fitted historical scenario (member pairs included).
        rus_nato_map: The fitted RUS→NATO trust→distance map.
        years: Inclusive span of the comparison.

    Returns:
        A JSON-ready dict (``fitted`` is False: nothing is fitted to this file).
    """
    from sim.data.tables import states

    y0, y1 = years
    m = load_idealpoint_members()
    piv = m.pivot(index="year", columns="iso3c", values="abs_dist_all").loc[y0:y1]
    pol_deu = piv["POL"] - piv["DEU"]
    summary = load_idealpoint_summary()
    rus = summary.loc[y0:y1]
    halfwidth = float(((rus["rus_idealpointall_q95"] - rus["rus_idealpointall_q5"]) / 2).mean())
    tier = {s.code: s.tier for s in states()}
    nato_acc = m.groupby("iso3c")["nato_accession_year"].first()
    both = [
        c
        for c in piv.columns
        if EU_ACCESSION.get(c, 9999) <= y0
        and nato_acc.get(c, 9999) <= y0
        and c in tier
        and piv[c].notna().all()
    ]
    panel = [c for c in both if c not in P5_MEMBERS]
    share_year, share_ctry, within_sd = _two_way(piv[panel].to_numpy())
    share_year_p5, share_ctry_p5, within_sd_p5 = _two_way(piv[both].to_numpy())
    series_sd = float(summary["mean_dist_rus_nato_members_all"].std(ddof=0))
    new = [c for c in panel if tier[c] == "new"]
    old = [c for c in panel if tier[c] == "old"]
    data_gap = float((piv[new].mean(axis=1) - piv[old].mean(axis=1)).mean())
    yrs = result.years
    mask = (yrs >= y0) & (yrs <= y1)

    def model_gap(direction: str) -> float:
        def trust(codes: list[str]) -> np.ndarray:
            pairs = [("RUS", c) if direction == "rus_to_member" else (c, "RUS") for c in codes]
            return np.mean([np.median(result.series(*p)[:, mask], axis=0) for p in pairs], axis=0)

        return float(np.mean(trust(new) - trust(old)))

    gaps = {d: model_gap(d) for d in ("rus_to_member", "member_to_rus")}
    return {
        "fitted": False,
        "years": [y0, y1],
        "pol_minus_deu": {"mean": float(pol_deu.mean()), "max_abs": float(pol_deu.abs().max())},
        "rus_idealpoint_halfwidth": halfwidth,
        "eu_panel": {
            "members": panel,
            "share_year_effects": share_year,
            "share_country_effects": share_ctry,
            "mean_within_year_sd": within_sd,
            "with_fra_gbr": {
                "share_year_effects": share_year_p5,
                "share_country_effects": share_ctry_p5,
                "mean_within_year_sd": within_sd_p5,
            },
        },
        "series_sd": series_sd,
        "tier_gap": {
            "new_members": new,
            "old_members": old,
            "data_distance_new_minus_old": data_gap,
            "model_trust_new_minus_old": gaps,
            "model_implied_distance_new_minus_old": {
                d: rus_nato_map.slope * g for d, g in gaps.items()
            },
        },
    }


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

    experiment: Experiment
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


def _posterior_band(sim: TrustSimulator, fit: WindowFit, exp: Experiment) -> pd.DataFrame:
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


def _fit_task(task: tuple[int, Experiment, tuple[int, int], np.random.SeedSequence]) -> Any:
    """Executor task: fit one window (module level, so it pickles)."""
    idx, exp, years, seq = task
    return idx, fit_window(exp, years, seq)


def fit_windows(
    exp: Experiment, windows: Sequence[tuple[int, int]], workers: int | None = 1
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
    with make_executor(workers=n, preload=("sim.experiments.calibration.fit",)) as ex:
        for idx, fit in ex.map_unordered(_fit_task, tasks):
            out[idx] = fit
    return [out[i] for i in range(len(windows))]


def calibrate(exp: Experiment, *, workers: int | None = 1, log: Any = None) -> Calibration:
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
        sc = continued_scenario(exp.scenario, end, f"{exp.scenario.name}_calibrated_to_{end}")
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


def scenario_toml(exp: Experiment, fit: WindowFit, out_path: Path) -> str:
    """Text of the calibrated scenario: ``extends`` the base and sets ``[parameters]``.

    Args:
        exp: The experiment.
        fit: The fit whose point estimate is written.
        out_path: Where the file will live (``extends`` is written relative to it).

    Returns:
        TOML text (deterministic: no timestamps).
    """
    import os

    rel = os.path.relpath(exp.scenario_path, Path(out_path).resolve().parent)
    rel = Path(rel).as_posix()
    lines = [
        f"# Generated by `natosim calibrate {exp.path.name}` (experiment {exp.spec.name!r},",
        f"# seed {exp.spec.seed}): {exp.scenario.name} with parameters fitted by ABC-SMC to",
        "# UNGA ideal-point distances (Bailey, Strezhnev & Voeten 2017)",
        f"# over {fit.years[0]}-{fit.years[1]}: "
        + ", ".join(f"{t.series} ~ {t.observer}->{t.target}" for t in exp.spec.targets)
        + ".",
        f"# Point values: {fit.point_rule}. Do not edit by hand; re-run the calibration.",
        "# Posterior (weighted median [5 %, 95 %]):",
    ]
    for row in fit.summary.itertuples():
        lines.append(f"#   {row.parameter} = {row.median:.4f} [{row.q05:.4f}, {row.q95:.4f}]")
    name = out_path.stem if _valid_name(out_path.stem) else f"{exp.scenario.name}_calibrated"
    lines += [
        f'name = "{name}"',
        f'extends = "{rel}"',
        f'description = "{exp.scenario.name} with parameters calibrated to UNGA ideal points '
        f'{fit.years[0]}-{fit.years[1]}"',
        "",
        "[parameters]",
    ]
    for n, v in fit.point.items():
        lines.append(f"{n} = {v!r}")
    return "\n".join(lines) + "\n"


def _valid_name(s: str) -> bool:
    import re

    return bool(re.fullmatch(r"[A-Za-z0-9_.-]+", s))
