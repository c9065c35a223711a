"""Partial rank correlation coefficients: the sensitivity of a Latin hypercube sweep.

For a Latin hypercube the usual global measure is the PRCC of each parameter
with an outcome (Blower & Dowlatabadi 1994; Marino, Hogue, Ray & Kirschner
2008, the method's standard in agent-based and systems models): the
correlation of the parameter's ranks with the outcome's once the ranks of the
other parameters are regressed out of both. It measures a monotone effect (its
sign says which way), is cheap, and needs no resampling: its interval is Fisher's
z-transform with ``n - k - 3`` degrees of freedom for ``k`` controlled
parameters.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

__all__ = ["prcc"]

#: The normal quantile of a two-sided 95 % interval.
Z95 = 1.959963984540054


def prcc(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """PRCC of each column of ``x`` with ``y``, and the half-width of its 95 % interval.

    Args:
        x: The design ``(n, d)`` (any monotone coding of a parameter gives the same ranks).
        y: One outcome ``(n,)``.

    Returns:
        ``(prcc, conf)``, each ``(d,)``; NaN where a column or ``y`` is constant or
        there are too few points (``n - d - 2 < 1``).
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = x.shape
    out, conf = np.full(d, np.nan), np.full(d, np.nan)
    dof = n - (d - 1) - 3
    if dof < 1 or np.ptp(y) == 0:
        return out, conf
    rx = np.column_stack([rankdata(x[:, j]) for j in range(d)])
    ry = rankdata(y)
    for j in range(d):
        if np.ptp(rx[:, j]) == 0:
            continue
        others = np.column_stack([np.ones(n), np.delete(rx, j, axis=1)])
        ex = rx[:, j] - others @ np.linalg.lstsq(others, rx[:, j], rcond=None)[0]
        ey = ry - others @ np.linalg.lstsq(others, ry, rcond=None)[0]
        denom = np.sqrt((ex @ ex) * (ey @ ey))
        if denom <= 1e-12 * n:
            continue
        r = float(np.clip((ex @ ey) / denom, -1.0, 1.0))
        out[j] = r
        z, se = np.arctanh(np.clip(r, -0.999999, 0.999999)), 1.0 / np.sqrt(dof)
        conf[j] = (np.tanh(z + Z95 * se) - np.tanh(z - Z95 * se)) / 2.0
    return out, conf
