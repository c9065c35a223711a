"""Comparison with the data: the decreasing affine map between trust and distance.

Simulated trust is in model units; the calibration target (UNGA ideal-point
distance, Bailey, Strezhnev & Voeten 2017) is in ideal-point units and runs the
other way (larger distance = less alignment). They are linked by a per-series
*decreasing affine map* fitted by least squares,

    distance ≈ intercept + slope · trust,   slope ≤ 0,

which is re-fitted at every evaluation. The loss is the RMSE of the residuals
after that best map divided by the (population) standard deviation of the
observed distances::

    loss = RMSE_after_map / sd(distance) = sqrt(1 − max(r, 0)²),

where ``r`` is the Pearson correlation of trust with −distance. ``loss`` is 0 for
a perfect decreasing-affine relationship and 1 when trust explains nothing *or*
moves in the wrong direction (the slope is then clamped to 0 and the map
predicts the mean). The map absorbs trust's arbitrary level and scale, so the
data inform the *shape* of the trust trajectory (timing, turning points,
relative sizes of swings), not its absolute level; parameters that only shift
or rescale trust are not identified by this loss. :func:`monotone_fit` returns
the map and statistics for one series, :func:`monotone_loss` is the vectorised
loss usable directly as the ABC ``distance`` (:mod:`.abc_smc`), and
:func:`split_fit_check` fits the map on 1992–2005 and scores it on 2006–2012.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.stats import rankdata

from sim.data.unga import FIRST_RUSSIAN_YEAR

#: The default split: fit on these years, score on the next (both inclusive).
SPLIT_TRAIN: tuple[int, int] = (FIRST_RUSSIAN_YEAR, 2005)
SPLIT_TEST: tuple[int, int] = (2006, 2012)

__all__ = [
    "SPLIT_TEST",
    "SPLIT_TRAIN",
    "FitStats",
    "SplitCheck",
    "correlation",
    "monotone_fit",
    "monotone_loss",
    "rmse_distance",
    "split_fit_check",
]


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


def correlation(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson correlation without warnings; NaN when either input is constant (or not finite)."""
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
    r = correlation(t, -d)
    rho = correlation(rankdata(t), rankdata(-d))
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
    row gets loss 1. Suitable as the ``distance`` argument of
    :func:`~sim.experiments.calibration.abc_smc.abc_smc`.

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
    train_years: tuple[int, int] = SPLIT_TRAIN,
    test_years: tuple[int, int] = SPLIT_TEST,
) -> SplitCheck:
    """Fit the trust→distance map on training years and score it on held-out years.

    The default split trains on 1992–2005 and checks on 2006–2012, both inside the
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
        test_pearson_r=correlation(t[te], -d[te]),
        test_spearman_rho=correlation(rankdata(t[te]), rankdata(-d[te])),
        test_rmse=test_rmse,
        test_nrmse=test_rmse / sd_te if sd_te > 0 else math.nan,
        baseline_rmse=baseline,
        skill=1.0 - test_rmse / baseline if baseline > 0 else math.nan,
        train_years=tuple(int(y) for y in yr[tr]),
        test_years=tuple(int(y) for y in yr[te]),
    )
