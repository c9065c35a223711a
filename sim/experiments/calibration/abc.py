"""Model-agnostic calibration: ABC-SMC and the trust ↔ ideal-point-distance mapping.

Two pieces, independent of the model:

1. **Comparison with data.** Simulated trust is in model units; the calibration target
   (UNGA ideal-point distance, Bailey, Strezhnev & Voeten 2017) is in ideal-point units and
   runs the other way (larger distance = less alignment). They are linked by a per-series
   *decreasing affine map* fitted by least squares,

       distance ≈ intercept + slope · trust,   slope ≤ 0,

   which is re-fitted at every evaluation. The loss is the RMSE of the residuals after that
   best map divided by the (population) standard deviation of the observed distances::

       loss = RMSE_after_map / sd(distance) = sqrt(1 − max(r, 0)²),

   where ``r`` is the Pearson correlation of trust with −distance. ``loss`` is 0 for a
   perfect decreasing-affine relationship and 1 when trust explains nothing *or* moves in
   the wrong direction (the slope is then clamped to 0 and the map predicts the mean). The
   map absorbs trust's arbitrary level and scale, so the data inform the *shape* of the
   trust trajectory (timing, turning points, relative sizes of swings), not its absolute
   level; parameters that only shift or rescale trust are not identified by this loss.
   :func:`monotone_fit` returns the map and statistics for one series, :func:`monotone_loss`
   is the vectorised loss usable directly as the ABC ``distance``, and
   :func:`split_fit_check` fits the map on 1991–2005 and scores it on 2006–2012.

2. **ABC-SMC** (:func:`abc_smc`): approximate Bayesian computation by sequential Monte
   Carlo / population Monte Carlo (Toni et al. 2009, *J. R. Soc. Interface* 6:187–202;
   Beaumont, Cornuet, Marin & Robert 2009, *Biometrika* 96(4):983–90). It needs only
   forward simulation, so it copes with a stochastic model, and it returns a weighted
   sample from the approximate posterior, from which medians and credible intervals are
   read. Uniform priors on box bounds; the first population is the best ``quantile``
   fraction of ``n_particles / quantile`` prior draws; each later tolerance is the
   weighted ``quantile`` of the previous population's distances; proposals are drawn from
   the previous weighted population and perturbed by a Gaussian kernel with twice the
   weighted covariance; importance weights are ``prior / Σ_j w_j K(θ | θ_j)``.

Plugging in a model: ``simulate(theta, seed_seq)`` receives an ``(n, d)`` array of
parameter vectors (columns in the order of ``bounds``) and a
:class:`numpy.random.SeedSequence`, and returns an ``(n, k)`` array of summaries, e.g.
the median trust over Monte Carlo replicates for each of the k = 22 years 1991–2012. All
replicate randomness must come from ``seed_seq`` (spawn children from it); then the whole
calibration is reproducible from ``seed``. A per-particle model function can be wrapped
with :func:`vectorize_simulator`. Example::

    obs = load_idealpoint_summary()["mean_dist_rus_nato_members_all"].to_numpy()
    res = abc_smc(simulate, obs, monotone_loss, [Bounds("alpha", 0, 1), ...], seed=1)
    res.summary()  # parameter, median, mean, q05, q95
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.special import logsumexp
from scipy.stats import rankdata

__all__ = [
    "AbcResult",
    "Bounds",
    "DistanceFn",
    "FitStats",
    "Generation",
    "SimulateFn",
    "SplitCheck",
    "abc_smc",
    "monotone_fit",
    "monotone_loss",
    "rmse_distance",
    "split_fit_check",
    "vectorize_simulator",
    "weighted_quantile",
]

#: ``simulate(theta (n, d), seed_seq) -> summaries (n, k)``.
SimulateFn = Callable[[np.ndarray, np.random.SeedSequence], np.ndarray]
#: ``distance(simulated (n, k), observed (k,)) -> (n,)``.
DistanceFn = Callable[[np.ndarray, np.ndarray], np.ndarray]


# --------------------------------------------------------------------------------------
# Monotone (decreasing affine) map between trust and ideal-point distance
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FitStats:
    """Least-squares decreasing affine map ``distance ≈ intercept + slope · trust``.

    Attributes:
        slope: Fitted slope, constrained to be ≤ 0 (0 when the unconstrained fit had the
            wrong sign or trust was constant).
        intercept: Fitted intercept, in distance units.
        pearson_r: Pearson correlation of trust with −distance (1 = perfectly aligned);
            NaN if either series is constant.
        spearman_rho: Spearman rank correlation of trust with −distance; NaN if either
            series is constant.
        rmse: Root-mean-square residual of the map, in distance units.
        nrmse: ``rmse / sd(distance)`` (population sd) = ``sqrt(1 − max(r, 0)²)``; the
            calibration loss, in [0, 1]. NaN if distance is constant.
        r2: Coefficient of determination of the constrained map, ``1 − nrmse²``.
        n: Number of (trust, distance) pairs used (pairs with a NaN are dropped).
        clamped: True if the slope constraint was active (unconstrained slope > 0).
    """

    slope: float
    intercept: float
    pearson_r: float
    spearman_rho: float
    rmse: float
    nrmse: float
    r2: float
    n: int
    clamped: bool

    def predict(self, trust: ArrayLike) -> np.ndarray:
        """Map trust values to predicted ideal-point distances.

        Args:
            trust: Trust values in model units.

        Returns:
            ``intercept + slope · trust`` as a float array.
        """
        return self.intercept + self.slope * np.asarray(trust, dtype=float)


def _corr(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson correlation without warnings; NaN when either input is constant."""
    xc = x - x.mean()
    yc = y - y.mean()
    den = math.sqrt(float(xc @ xc) * float(yc @ yc))
    if den == 0.0 or not math.isfinite(den):
        return math.nan
    return float(np.clip((xc @ yc) / den, -1.0, 1.0))


def _paired(trust: ArrayLike, distance: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(trust, dtype=float).ravel()
    d = np.asarray(distance, dtype=float).ravel()
    if t.shape != d.shape:
        raise ValueError(f"trust and distance differ in length: {t.size} vs {d.size}")
    ok = np.isfinite(t) & np.isfinite(d)
    return t[ok], d[ok]


def monotone_fit(trust: ArrayLike, distance: ArrayLike) -> FitStats:
    """Fit the decreasing affine map from trust to ideal-point distance.

    Ordinary least squares of ``distance`` on ``trust`` with the slope constrained to be
    non-positive (more trust must mean a smaller distance). If the unconstrained slope is
    positive the constrained optimum is slope 0 and intercept ``mean(distance)``. Pairs
    containing NaN are dropped.

    Args:
        trust: Simulated trust, e.g. the median over replicates for each year.
        distance: Observed ideal-point distance for the same years.

    Returns:
        The fitted map and goodness-of-fit statistics (see :class:`FitStats`).

    Raises:
        ValueError: If the inputs differ in length or fewer than 2 finite pairs remain.
    """
    t, d = _paired(trust, distance)
    n = t.size
    if n < 2:
        raise ValueError("monotone_fit needs at least 2 finite (trust, distance) pairs")
    tc = t - t.mean()
    dc = d - d.mean()
    stt = float(tc @ tc)
    beta = float(tc @ dc) / stt if stt > 0 else 0.0
    clamped = beta > 0
    slope = min(beta, 0.0)
    intercept = float(d.mean() - slope * t.mean())
    resid = d - (intercept + slope * t)
    rmse = math.sqrt(float(resid @ resid) / n)
    sd = math.sqrt(float(dc @ dc) / n)
    nrmse = rmse / sd if sd > 0 else math.nan
    r = _corr(t, -d)
    rho = _corr(rankdata(t), rankdata(-d))
    return FitStats(
        slope=slope,
        intercept=intercept,
        pearson_r=r,
        spearman_rho=rho,
        rmse=rmse,
        nrmse=nrmse,
        r2=1.0 - nrmse**2 if math.isfinite(nrmse) else math.nan,
        n=n,
        clamped=clamped,
    )


def monotone_loss(
    simulated: ArrayLike,
    observed: ArrayLike,
    *,
    segments: Sequence[slice | Sequence[int]] | None = None,
) -> np.ndarray:
    """Vectorised calibration loss: normalised RMSE after the best decreasing affine map.

    For each row of ``simulated`` (a trust trajectory) and each segment (one observed
    series, e.g. RUS–NATO-mean distance and RUS–USA distance stacked into one vector),
    the map ``distance ≈ a + b·trust`` with ``b ≤ 0`` is fitted by least squares and the
    loss ``RMSE / sd(observed segment) = sqrt(1 − max(r, 0)²)`` is computed. With several
    segments the row's loss is the root mean square of the per-segment losses. Identical
    to ``monotone_fit(row, observed).nrmse`` for a single segment. A constant simulated
    row gets loss 1. Suitable as the ``distance`` argument of :func:`abc_smc`.

    Args:
        simulated: Array of shape ``(n, k)`` (or ``(k,)``) of simulated trust.
        observed: Observed distances, shape ``(k,)``; must be finite and non-constant
            within each segment.
        segments: Index sets (slices or integer sequences) splitting the k columns into
            series, each getting its own map. Default: one series of all k columns.

    Returns:
        Loss per row, shape ``(n,)``, in [0, 1]; NaN/inf in a row gives ``inf``.

    Raises:
        ValueError: On shape mismatch or a non-finite/constant observed segment.
    """
    sim = np.atleast_2d(np.asarray(simulated, dtype=float))
    obs = np.asarray(observed, dtype=float).ravel()
    if sim.shape[1] != obs.size:
        raise ValueError(f"simulated has {sim.shape[1]} columns, observed has {obs.size}")
    segs = [slice(None)] if segments is None else list(segments)
    sq = np.zeros(sim.shape[0])
    for seg in segs:
        x = sim[:, seg]
        y = obs[seg]
        if not np.all(np.isfinite(y)):
            raise ValueError("observed values must be finite")
        yc = y - y.mean()
        syy = float(yc @ yc)
        if syy <= 0:
            raise ValueError("observed segment is constant; the loss is undefined")
        xc = x - x.mean(axis=1, keepdims=True)
        sxx = np.einsum("ij,ij->i", xc, xc)
        sxy = xc @ yc
        with np.errstate(invalid="ignore", divide="ignore"):
            # r = corr(trust, -distance); the slope constraint b <= 0 clips r at 0.
            r = np.where(sxx > 0, -sxy / np.sqrt(sxx * syy), 0.0)
        r = np.clip(np.nan_to_num(r, nan=0.0), 0.0, 1.0)
        sq += 1.0 - r**2
    loss = np.sqrt(sq / len(segs))
    loss[~np.all(np.isfinite(sim), axis=1)] = np.inf
    return loss


def rmse_distance(simulated: ArrayLike, observed: ArrayLike) -> np.ndarray:
    """Plain root-mean-square difference between each simulated row and ``observed``.

    Use when simulated summaries are already on the scale of the data (no mapping).

    Args:
        simulated: Array of shape ``(n, k)``.
        observed: Array of shape ``(k,)``.

    Returns:
        RMSE per row, shape ``(n,)``; rows with NaN/inf give ``inf``.
    """
    sim = np.atleast_2d(np.asarray(simulated, dtype=float))
    obs = np.asarray(observed, dtype=float).ravel()
    with np.errstate(invalid="ignore", over="ignore"):
        out = np.sqrt(np.mean((sim - obs) ** 2, axis=1))
    out[~np.isfinite(out)] = np.inf
    return out


@dataclass(frozen=True)
class SplitCheck:
    """Result of :func:`split_fit_check`.

    Attributes:
        train: Fit statistics of the map on the training years.
        test_pearson_r: Pearson r of trust with −distance on the held-out years.
        test_spearman_rho: Spearman rho of trust with −distance on the held-out years.
        test_rmse: RMSE on the held-out years of the map fitted on the training years
            (distance units).
        test_nrmse: ``test_rmse`` / population sd of held-out distances (can exceed 1).
        baseline_rmse: RMSE on held-out years of predicting the training-mean distance.
        skill: ``1 − test_rmse / baseline_rmse`` (> 0 beats the constant forecast).
        train_years: Years used for fitting.
        test_years: Years used for checking.
    """

    train: FitStats
    test_pearson_r: float
    test_spearman_rho: float
    test_rmse: float
    test_nrmse: float
    baseline_rmse: float
    skill: float
    train_years: tuple[int, ...]
    test_years: tuple[int, ...]


def split_fit_check(
    trust: ArrayLike | pd.Series,
    distance: ArrayLike | pd.Series,
    years: ArrayLike | None = None,
    *,
    train_years: tuple[int, int] = (1991, 2005),
    test_years: tuple[int, int] = (2006, 2012),
) -> SplitCheck:
    """Fit the trust→distance map on training years and score it on held-out years.

    The default split trains on 1991–2005 and checks on 2006–2012, both inside the
    shipped calibration window. Only the map is fitted here; the simulated trust should
    itself come from a model calibrated on the training years only for a clean check.

    Args:
        trust: Simulated trust per year (array, or Series indexed by year).
        distance: Observed distance per year (array, or Series indexed by year).
        years: Year of each element when arrays are given. If None, ``trust`` and
            ``distance`` must be pandas Series indexed by year; they are aligned on it.
        train_years: Inclusive (first, last) training years.
        test_years: Inclusive (first, last) held-out years.

    Returns:
        Training fit and held-out statistics (see :class:`SplitCheck`).

    Raises:
        ValueError: If ``years`` is missing for array input, or a period has < 2 years.
    """
    if years is None:
        if not (isinstance(trust, pd.Series) and isinstance(distance, pd.Series)):
            raise ValueError("pass `years`, or give trust and distance as year-indexed Series")
        joined = pd.concat({"t": trust, "d": distance}, axis=1, join="inner")
        yr = joined.index.to_numpy(dtype=int)
        t = joined["t"].to_numpy(dtype=float)
        d = joined["d"].to_numpy(dtype=float)
    else:
        yr = np.asarray(years, dtype=int).ravel()
        t = np.asarray(trust, dtype=float).ravel()
        d = np.asarray(distance, dtype=float).ravel()
        if not (yr.size == t.size == d.size):
            raise ValueError("years, trust and distance must have the same length")
    ok = np.isfinite(t) & np.isfinite(d)
    tr = ok & (yr >= train_years[0]) & (yr <= train_years[1])
    te = ok & (yr >= test_years[0]) & (yr <= test_years[1])
    if tr.sum() < 2 or te.sum() < 2:
        raise ValueError("each period needs at least 2 years with finite data")
    fit = monotone_fit(t[tr], d[tr])
    resid = d[te] - fit.predict(t[te])
    test_rmse = math.sqrt(float(np.mean(resid**2)))
    sd_te = float(np.std(d[te]))
    baseline = math.sqrt(float(np.mean((d[te] - d[tr].mean()) ** 2)))
    return SplitCheck(
        train=fit,
        test_pearson_r=_corr(t[te], -d[te]),
        test_spearman_rho=_corr(rankdata(t[te]), rankdata(-d[te])),
        test_rmse=test_rmse,
        test_nrmse=test_rmse / sd_te if sd_te > 0 else math.nan,
        baseline_rmse=baseline,
        skill=1.0 - test_rmse / baseline if baseline > 0 else math.nan,
        train_years=tuple(int(y) for y in yr[tr]),
        test_years=tuple(int(y) for y in yr[te]),
    )


# --------------------------------------------------------------------------------------
# ABC-SMC
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bounds:
    """Uniform prior on ``[low, high]`` for one named parameter.

    Attributes:
        name: Parameter name (used in summaries and :meth:`AbcResult.best`).
        low: Lower bound (finite).
        high: Upper bound (finite, > low).
    """

    name: str
    low: float
    high: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.low) and math.isfinite(self.high) and self.high > self.low):
            raise ValueError(f"invalid bounds for {self.name!r}: [{self.low}, {self.high}]")

    @property
    def width(self) -> float:
        """Width ``high − low`` of the prior interval."""
        return self.high - self.low


def weighted_quantile(values: ArrayLike, weights: ArrayLike, q: ArrayLike) -> np.ndarray:
    """Quantiles of a weighted sample (midpoint-interpolated weighted empirical CDF).

    With equal weights this coincides with ``numpy.quantile(..., method="hazen")``.

    Args:
        values: Sample values, shape ``(n,)``.
        weights: Non-negative weights, shape ``(n,)`` (need not sum to 1).
        q: Probability or probabilities in [0, 1].

    Returns:
        Quantile(s) with the shape of ``q``.
    """
    v = np.asarray(values, dtype=float).ravel()
    w = np.asarray(weights, dtype=float).ravel()
    order = np.argsort(v, kind="stable")
    v, w = v[order], w[order]
    cw = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(np.asarray(q, dtype=float), cw, v)


@dataclass(frozen=True, eq=False)
class Generation:
    """One ABC-SMC population.

    Attributes:
        epsilon: Tolerance used to accept this population's particles.
        particles: Accepted parameter vectors, shape ``(n_particles, d)``.
        weights: Normalised importance weights, shape ``(n_particles,)``.
        distances: Distance of each particle's simulation to the data.
        n_simulations: Simulations run to fill this population.
    """

    epsilon: float
    particles: np.ndarray
    weights: np.ndarray
    distances: np.ndarray
    n_simulations: int

    @property
    def acceptance_rate(self) -> float:
        """Accepted particles / simulations run."""
        return len(self.weights) / self.n_simulations

    @property
    def ess(self) -> float:
        """Kish effective sample size ``1 / Σ w²``."""
        return float(1.0 / np.sum(self.weights**2))


@dataclass(frozen=True, eq=False)
class AbcResult:
    """Output of :func:`abc_smc`: the population history and posterior summaries.

    Attributes:
        bounds: The parameter priors, in column order.
        generations: All completed populations; the last is the posterior sample.
        stop_reason: Why the run ended (``"n_generations"``, ``"min_epsilon"``, or a
            simulation-budget message).
    """

    bounds: tuple[Bounds, ...]
    generations: tuple[Generation, ...]
    stop_reason: str = field(default="n_generations")

    @property
    def names(self) -> list[str]:
        """Parameter names in column order."""
        return [b.name for b in self.bounds]

    @property
    def particles(self) -> np.ndarray:
        """Final-population particles, shape ``(n_particles, d)``."""
        return self.generations[-1].particles

    @property
    def weights(self) -> np.ndarray:
        """Final-population normalised weights, shape ``(n_particles,)``."""
        return self.generations[-1].weights

    @property
    def distances(self) -> np.ndarray:
        """Final-population distances, shape ``(n_particles,)``."""
        return self.generations[-1].distances

    @property
    def tolerances(self) -> np.ndarray:
        """Tolerance of every generation (non-increasing)."""
        return np.array([g.epsilon for g in self.generations])

    @property
    def n_simulations(self) -> int:
        """Total number of simulated parameter vectors over all generations."""
        return sum(g.n_simulations for g in self.generations)

    def quantiles(self, q: ArrayLike) -> np.ndarray:
        """Weighted marginal posterior quantiles.

        Args:
            q: Probability or sequence of probabilities.

        Returns:
            Array of shape ``(len(q), d)`` (or ``(d,)`` for scalar ``q``).
        """
        cols = [
            weighted_quantile(self.particles[:, j], self.weights, q)
            for j in range(len(self.bounds))
        ]
        return np.stack(cols, axis=-1)

    def summary(self, ci: float = 0.90) -> pd.DataFrame:
        """Posterior summary per parameter.

        Args:
            ci: Central credible-interval mass; 0.90 gives columns ``q05`` and ``q95``.

        Returns:
            DataFrame with columns ``parameter, median, mean, q05, q95`` (names follow
            ``ci``), plus ``prior_low``, ``prior_high`` and ``ci_frac_of_prior`` (interval
            width / prior width).
        """
        lo_p, hi_p = (1 - ci) / 2, 1 - (1 - ci) / 2
        lo_name, hi_name = f"q{round(100 * lo_p):02d}", f"q{round(100 * hi_p):02d}"
        qs = self.quantiles([0.5, lo_p, hi_p])
        mean = self.weights @ self.particles
        width = np.array([b.width for b in self.bounds])
        return pd.DataFrame(
            {
                "parameter": self.names,
                "median": qs[0],
                "mean": mean,
                lo_name: qs[1],
                hi_name: qs[2],
                "prior_low": [b.low for b in self.bounds],
                "prior_high": [b.high for b in self.bounds],
                "ci_frac_of_prior": (qs[2] - qs[1]) / width,
            }
        )

    def best(self, kind: str = "median") -> dict[str, float]:
        """A point estimate by parameter name.

        Args:
            kind: ``"median"`` (marginal posterior medians), ``"mean"`` (weighted means)
                or ``"min_distance"`` (the final particle closest to the data, a MAP-ish
                choice that is a jointly simulated point).

        Returns:
            Mapping parameter name → value.

        Raises:
            ValueError: For an unknown ``kind``.
        """
        if kind == "median":
            vals = self.quantiles(0.5)
        elif kind == "mean":
            vals = self.weights @ self.particles
        elif kind == "min_distance":
            vals = self.particles[int(np.argmin(self.distances))]
        else:
            raise ValueError(f"unknown kind {kind!r}")
        return {n: float(v) for n, v in zip(self.names, vals, strict=True)}

    def to_frame(self, generation: int = -1) -> pd.DataFrame:
        """Particles of one generation as a DataFrame with ``weight`` and ``distance``.

        Args:
            generation: Index into :attr:`generations` (default: the final population).

        Returns:
            One row per particle.
        """
        g = self.generations[generation]
        df = pd.DataFrame(g.particles, columns=self.names)
        df["weight"] = g.weights
        df["distance"] = g.distances
        return df

    def history(self) -> pd.DataFrame:
        """Per-generation diagnostics: epsilon, simulations, acceptance rate, ESS."""
        return pd.DataFrame(
            {
                "generation": range(len(self.generations)),
                "epsilon": self.tolerances,
                "n_simulations": [g.n_simulations for g in self.generations],
                "acceptance_rate": [g.acceptance_rate for g in self.generations],
                "ess": [g.ess for g in self.generations],
            }
        )


def vectorize_simulator(
    simulate_one: Callable[[np.ndarray, np.random.SeedSequence], ArrayLike],
) -> SimulateFn:
    """Wrap a one-parameter-vector simulator into the vectorised form :func:`abc_smc` needs.

    Each row of ``theta`` is passed to ``simulate_one`` with its own child SeedSequence
    spawned, in row order, from the batch's SeedSequence, so results stay reproducible.

    Args:
        simulate_one: ``simulate_one(theta_row (d,), seed_seq) -> summaries (k,)``, e.g.
            run R model replicates from ``seed_seq.spawn(R)`` and return the per-year
            median trust.

    Returns:
        A function ``simulate(theta (n, d), seed_seq) -> (n, k)``.
    """

    def simulate(theta: np.ndarray, seed_seq: np.random.SeedSequence) -> np.ndarray:
        children = seed_seq.spawn(theta.shape[0])
        rows = [
            np.asarray(simulate_one(th, ss), dtype=float)
            for th, ss in zip(theta, children, strict=True)
        ]
        return np.stack(rows)

    return simulate


def _run_batch(
    simulate: SimulateFn,
    distance: DistanceFn,
    theta: np.ndarray,
    observed: np.ndarray,
    seed_seq: np.random.SeedSequence,
) -> np.ndarray:
    sims = np.asarray(simulate(theta, seed_seq), dtype=float)
    if sims.ndim != 2 or sims.shape[0] != theta.shape[0]:
        raise ValueError(
            f"simulate must return shape (n_particles, k); got {sims.shape} for n={theta.shape[0]}"
        )
    dist = np.asarray(distance(sims, observed), dtype=float).ravel()
    if dist.shape != (theta.shape[0],):
        raise ValueError(f"distance must return shape (n,); got {dist.shape}")
    dist[np.isnan(dist)] = np.inf
    return dist


def _kernel_cholesky(particles: np.ndarray, weights: np.ndarray, width: np.ndarray) -> np.ndarray:
    """Cholesky factor of twice the weighted covariance (Beaumont et al. 2009), regularised."""
    cov = np.atleast_2d(np.cov(particles, rowvar=False, aweights=weights, ddof=0))
    cov = 2.0 * cov + np.diag((1e-9 * width) ** 2)
    return np.linalg.cholesky(cov)


def abc_smc(
    simulate: SimulateFn,
    observed: ArrayLike,
    distance: DistanceFn,
    bounds: Sequence[Bounds],
    *,
    n_particles: int = 200,
    n_generations: int = 6,
    quantile: float = 0.5,
    seed: int | np.random.SeedSequence = 0,
    min_epsilon: float = 0.0,
    max_simulations_per_generation: int | None = None,
) -> AbcResult:
    """Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC / ABC-PMC).

    Algorithm (Toni et al. 2009; Beaumont et al. 2009), with uniform priors on ``bounds``:

    * Generation 0: draw ``ceil(n_particles / quantile)`` parameter vectors from the prior,
      simulate, keep the ``n_particles`` closest; ``epsilon_0`` is the largest kept
      distance; weights are equal.
    * Generation t ≥ 1: ``epsilon_t`` = weighted ``quantile`` of generation t−1's
      distances. Propose by resampling a particle from generation t−1 by weight and adding
      Gaussian noise with covariance 2·Cov_w(generation t−1); proposals outside the
      bounds (zero prior density) are redrawn before simulation. Accept when
      ``distance ≤ epsilon_t`` until ``n_particles`` are accepted (simulated in
      vectorised batches, accepted in proposal order). Weight
      ``w_i ∝ 1 / Σ_j w_j^{t−1} K(θ_i | θ_j)`` (the uniform prior density cancels).

    Randomness: one root ``SeedSequence(seed)``; each generation spawns a child, from
    which the proposal Generator and, in order, one SeedSequence per simulation batch are
    spawned. The result is therefore identical for the same seed and inputs.

    Args:
        simulate: Vectorised simulator, ``(n, d)`` parameters and a SeedSequence →
            ``(n, k)`` summaries. It must draw all its randomness from the SeedSequence.
        observed: Observed summaries, shape ``(k,)``.
        distance: ``distance(simulated (n, k), observed (k,)) -> (n,)``, e.g.
            :func:`monotone_loss` or :func:`rmse_distance`. NaN counts as ``inf``.
        bounds: One :class:`Bounds` per parameter (column order of ``theta``).
        n_particles: Population size.
        n_generations: Maximum number of populations (including generation 0).
        quantile: Tolerance quantile in (0, 1); also sets the generation-0 oversampling.
        seed: Integer seed or SeedSequence.
        min_epsilon: Stop after the first population whose tolerance is ≤ this.
        max_simulations_per_generation: Simulation budget per generation (default
            ``100 · n_particles``). If a generation cannot be filled within it, the run
            stops and returns the previous complete population.

    Returns:
        An :class:`AbcResult`; its last generation is the posterior sample.

    Raises:
        ValueError: On invalid arguments, or if the simulator/distance return bad shapes.
    """
    bnds = tuple(bounds)
    if not bnds:
        raise ValueError("at least one parameter is required")
    if len({b.name for b in bnds}) != len(bnds):
        raise ValueError("parameter names must be unique")
    if not 0.0 < quantile < 1.0:
        raise ValueError("quantile must be in (0, 1)")
    if n_particles < 2 or n_generations < 1:
        raise ValueError("need n_particles >= 2 and n_generations >= 1")
    budget = (
        100 * n_particles
        if max_simulations_per_generation is None
        else max_simulations_per_generation
    )
    obs = np.asarray(observed, dtype=float).ravel()
    low = np.array([b.low for b in bnds])
    high = np.array([b.high for b in bnds])
    width = high - low
    dim = len(bnds)
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    gen_seqs = root.spawn(n_generations)

    # Generation 0: prior sample, keep the best fraction `quantile`.
    ss0 = gen_seqs[0]
    rng = np.random.Generator(np.random.PCG64(ss0.spawn(1)[0]))
    n0 = math.ceil(n_particles / quantile)
    theta0 = low + width * rng.random((n0, dim))
    d0 = _run_batch(simulate, distance, theta0, obs, ss0.spawn(1)[0])
    keep = np.argsort(d0, kind="stable")[:n_particles]
    if not np.all(np.isfinite(d0[keep])):
        raise ValueError("fewer than n_particles prior simulations gave a finite distance")
    gens = [
        Generation(
            epsilon=float(d0[keep[-1]]),
            particles=theta0[keep],
            weights=np.full(n_particles, 1.0 / n_particles),
            distances=d0[keep],
            n_simulations=n0,
        )
    ]
    stop_reason = "n_generations"
    rate_est = quantile

    for t in range(1, n_generations):
        if gens[-1].epsilon <= min_epsilon:
            stop_reason = "min_epsilon"
            break
        prev = gens[-1]
        eps = float(weighted_quantile(prev.distances, prev.weights, quantile))
        chol = _kernel_cholesky(prev.particles, prev.weights, width)
        ss = gen_seqs[t]
        rng = np.random.Generator(np.random.PCG64(ss.spawn(1)[0]))
        cdf = np.cumsum(prev.weights)
        cdf /= cdf[-1]

        acc_theta: list[np.ndarray] = []
        acc_dist: list[np.ndarray] = []
        n_acc = 0
        n_sim = 0
        while n_acc < n_particles:
            if n_sim >= budget:
                break
            need = n_particles - n_acc
            batch = int(min(budget - n_sim, max(16, math.ceil(1.2 * need / max(rate_est, 1e-3)))))
            theta = _propose(rng, prev.particles, cdf, chol, low, high, batch)
            dist = _run_batch(simulate, distance, theta, obs, ss.spawn(1)[0])
            n_sim += batch
            ok = np.flatnonzero(dist <= eps)[:need]
            acc_theta.append(theta[ok])
            acc_dist.append(dist[ok])
            n_acc += ok.size
            rate_est = max(n_acc, 1) / n_sim
        if n_acc < n_particles:
            stop_reason = (
                f"simulation budget exhausted in generation {t} "
                f"({n_acc}/{n_particles} accepted in {n_sim} simulations)"
            )
            break

        theta_t = np.concatenate(acc_theta)
        dist_t = np.concatenate(acc_dist)
        weights_t = _importance_weights(theta_t, prev.particles, prev.weights, chol)
        gens.append(Generation(eps, theta_t, weights_t, dist_t, n_sim))

    return AbcResult(bounds=bnds, generations=tuple(gens), stop_reason=stop_reason)


def _propose(
    rng: np.random.Generator,
    particles: np.ndarray,
    cdf: np.ndarray,
    chol: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    n: int,
) -> np.ndarray:
    """Draw ``n`` perturbed particles inside the prior box (rejecting those outside)."""
    out = np.empty((n, particles.shape[1]))
    filled = 0
    for _ in range(10_000):
        m = max(n - filled, 16)
        idx = np.minimum(np.searchsorted(cdf, rng.random(m), side="right"), len(cdf) - 1)
        cand = particles[idx] + rng.standard_normal((m, particles.shape[1])) @ chol.T
        cand = cand[np.all((cand >= low) & (cand <= high), axis=1)]
        take = min(cand.shape[0], n - filled)
        out[filled : filled + take] = cand[:take]
        filled += take
        if filled == n:
            return out
    raise RuntimeError("perturbation kernel almost never lands inside the prior bounds")


def _importance_weights(
    theta: np.ndarray, prev: np.ndarray, prev_w: np.ndarray, chol: np.ndarray
) -> np.ndarray:
    """``w_i ∝ 1 / Σ_j w_j N(θ_i; θ_j, Σ)`` computed in log space (uniform prior)."""
    diff = theta[:, None, :] - prev[None, :, :]  # (n, m, d)
    z = np.linalg.solve(chol, diff.reshape(-1, prev.shape[1]).T).T.reshape(diff.shape)
    log_k = -0.5 * np.einsum("nmd,nmd->nm", z, z)
    with np.errstate(divide="ignore"):
        log_mix = logsumexp(log_k + np.log(prev_w)[None, :], axis=1)
    log_w = -log_mix
    log_w -= log_w.max()
    w = np.exp(log_w)
    return w / w.sum()
