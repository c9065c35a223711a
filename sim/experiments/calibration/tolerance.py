"""The final ABC tolerance, from Beale's F-criterion at the best fit.

The tolerance schedule of ABC-SMC shrinks by the ``quantile`` rule; the *final*
tolerance is not left to the number of generations but set from the data::

    ε* = L̂ · sqrt(1 + d/(n_eff − p) · F_c(d, n_eff − p)),

Beale's (1960) F-criterion for a nonlinear least-squares confidence region at
level ``c`` (default 0.90), where ``L̂`` is the smallest loss found, ``d`` the
number of fitted parameters, ``p = d + 2·(number of series)`` (two map
coefficients per series) and ``n_eff = n (1 − ρ)/(1 + ρ)`` the number of data
points deflated by the lag-1 autocorrelation ρ of the normalised residuals at the
best fit (:func:`normalised_residuals`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.stats import f as f_dist

from sim.experiments.calibration.mapping import monotone_fit

__all__ = ["normalised_residuals", "tolerance_floor"]


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


def normalised_residuals(
    sim_row: np.ndarray, observed: np.ndarray, segs: list[slice]
) -> list[np.ndarray]:
    """Per series, the residuals of the best map divided by the series' sd."""
    out = []
    for s in segs:
        fit = monotone_fit(sim_row[s], observed[s])
        e = observed[s] - fit.predict(sim_row[s])
        out.append(e / float(np.std(observed[s])))
    return out
