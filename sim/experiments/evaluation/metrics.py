"""Small, exact measures used by the evaluation: cycles, R², correlation, skill."""

from __future__ import annotations

import math

import numpy as np

from sim.experiments.calibration.mapping import correlation
from sim.model.outcomes import CRISIS_DROP

__all__ = [
    "CRISIS",
    "count_cycles",
    "explained_share",
    "pearson",
    "r_squared",
    "rmse",
    "skill",
]

#: A year-over-year fall larger than this is a crisis, a rise larger than it a recovery
#: (the sweeps' ``crises`` outcome uses the same threshold).
CRISIS = CRISIS_DROP


def count_cycles(*series: np.ndarray, threshold: float = CRISIS) -> np.ndarray:
    """Crisis-then-recovery cycles in each row of one or more series ``(N, T)``.

    A crisis is a year in which any of the series falls by more than ``threshold``
    from the year before, a recovery a year in which any of them rises by more than
    ``threshold``; a cycle is a crisis followed by a recovery before the next crisis
    (several crisis years in a row, then a recovery, count once). A year that is
    both ends a running crisis and starts a new one.

    Args:
        *series: Series of the same shape, e.g. Russia→NATO and NATO→Russia trust.
        threshold: Size of a yearly move that counts.

    Returns:
        Integer counts ``(N,)``.
    """
    xs = [np.atleast_2d(np.asarray(x, dtype=float)) for x in series]
    ds = [np.diff(x, axis=1) for x in xs]
    fall = np.logical_or.reduce([d < -threshold for d in ds])
    rise = np.logical_or.reduce([d > threshold for d in ds])
    in_crisis = np.zeros(xs[0].shape[0], bool)
    cycles = np.zeros(xs[0].shape[0], np.int64)
    for t in range(fall.shape[1]):
        cycles += in_crisis & rise[:, t]
        in_crisis = (in_crisis & ~rise[:, t]) | fall[:, t]
    return cycles


def r_squared(observed: np.ndarray, predicted: np.ndarray) -> float:
    """Coefficient of determination of ``predicted`` for ``observed`` (1 − SSres/SStot).

    NaN when ``observed`` is constant.
    """
    y = np.asarray(observed, dtype=float)
    f = np.asarray(predicted, dtype=float)
    tot = float(((y - y.mean()) ** 2).sum())
    if tot == 0.0:
        return math.nan
    return 1.0 - float(((y - f) ** 2).sum()) / tot


def explained_share(full: np.ndarray, variant: np.ndarray) -> tuple[float, float]:
    """How much of the yearly movement of ``full`` the ``variant`` does *not* reproduce.

    Args:
        full: A yearly series (e.g. the median trust of the full model).
        variant: The same series from a variant (e.g. without chosen acts).

    Returns:
        ``(share, r2)``: ``r2`` is R² of the variant's yearly changes for the full
        run's, and ``share = 1 − r2`` clipped to [0, 1] — the part of the movement
        that the difference between the two (e.g. the actors' choices) accounts for.
    """
    r2 = r_squared(np.diff(full), np.diff(variant))
    if not math.isfinite(r2):
        return math.nan, r2
    return float(min(1.0, max(0.0, 1.0 - r2))), r2


def pearson(x: np.ndarray, y: np.ndarray) -> float | None:
    """Pearson correlation, or None when either series is constant or too short.

    The calibration's :func:`~sim.experiments.calibration.mapping.correlation`, with
    a series constant up to rounding (or of fewer than 3 values) refused first.
    """
    a = np.asarray(x, dtype=float)
    b = np.asarray(y, dtype=float)
    if a.size < 3 or _flat(a) or _flat(b):
        return None
    return correlation(a, b)


def _flat(x: np.ndarray) -> bool:
    """Constant up to rounding (a constant forecast has no correlation)."""
    return float(np.ptp(x)) <= 1e-12 * max(1.0, float(np.abs(x).max()))


def rmse(observed: np.ndarray, predicted: np.ndarray) -> float:
    """Root mean squared error."""
    e = np.asarray(observed, dtype=float) - np.asarray(predicted, dtype=float)
    return float(math.sqrt(float(e @ e) / e.size))


def skill(model_rmse: float, null_rmse: float) -> float | None:
    """``1 − RMSE_model / RMSE_null``: above 0 when the model beats the null model."""
    if not null_rmse > 0:
        return None
    return 1.0 - model_rmse / null_rmse
