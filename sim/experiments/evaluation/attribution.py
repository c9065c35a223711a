"""Which hand-set numbers carry a conclusion: the draws' factors against its figure.

Each draw of the hand-set tables scales every number by a factor of its own
(:mod:`~sim.experiments.evaluation.table_draws`) and decides the drawn targets
(:data:`~sim.experiments.evaluation.robustness.DRAWN_TARGETS`). For every target
this module ranks the factors by Spearman's rank correlation ρ with the target's
figure across the draws. With hundreds of factors and a hundred draws the
largest |ρ| is sizeable by chance alone, so a factor is said to *carry* a target
only when its |ρ| exceeds the family-wise threshold: the 95th percentile of the
largest |ρ| over all factors when the figures are permuted among the draws
(the max-statistic permutation test of Westfall & Young 1993). Each listed
factor also gets the share of draws meeting the target with the factor below 1
and at or above it, which says in the scorecard's own terms what turning the
number up or down does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from scipy.stats import rankdata

from sim.experiments.evaluation.table_draws import factor_family

__all__ = ["MIN_DRAWS", "attribute", "spearman_columns"]

#: Fewer draws than this give no attribution (the permutation threshold is then
#: close to 1 and no factor could pass it).
MIN_DRAWS = 10


def _standardised(a: np.ndarray) -> np.ndarray:
    """Columns centred and scaled to unit norm (constant columns stay zero)."""
    c = a - a.mean(axis=0)
    norm = np.sqrt((c * c).sum(axis=0))
    return np.divide(c, norm, out=np.zeros_like(c), where=norm > 0)


def spearman_columns(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Spearman's ρ of every column of ``x`` ``(n, m)`` with every column of ``y`` ``(n, k)``.

    Ties get average ranks. Returns ``(m, k)``; a constant column gives 0.
    """
    rx = _standardised(rankdata(x, axis=0))
    ry = _standardised(rankdata(y, axis=0))
    return rx.T @ ry


def _met_share(met: Sequence[bool | None]) -> float | None:
    vals = [bool(v) for v in met if v is not None]
    return float(np.mean(vals)) if vals else None


def attribute(
    factors: Sequence[Mapping[str, float]],
    figures: Sequence[Mapping[str, float | None]],
    met: Sequence[Mapping[str, bool | None]],
    rng: np.random.Generator,
    *,
    permutations: int = 1000,
    top: int = 5,
    level: float = 0.95,
    numbers: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """The factors most associated with each target's figure across the draws.

    Args:
        factors: One mapping per draw, factor name -> factor (the same names in
            every draw).
        figures: One mapping per draw, target -> its figure (None: not computed).
        met: One mapping per draw, target -> whether it is met.
        rng: The permutations' generator.
        permutations: Permutations of the figures for the family-wise threshold.
        top: Factors listed per target, by |ρ|.
        level: Family-wise level of the threshold.
        numbers: Factor name -> the number it scales, before scaling (listed with
            the factor: a factor below 1 moves a negative number toward zero).

    Returns:
        ``{"factors": m, "permutations": B, "level": level, "targets": {target:
        {"draws", "threshold", "top": [{factor, family, number, rho, carries,
        met_below_1, met_from_1}], "carried_by"}}}``; a target with fewer than
        :data:`MIN_DRAWS` usable draws or a constant figure gets ``top: []`` and a
        ``note``.

    Raises:
        ValueError: The draws do not all have the same factors, or the inputs differ
            in length.
    """
    if not (len(factors) == len(figures) == len(met)):
        raise ValueError("factors, figures and verdicts must have one entry per draw")
    names = list(factors[0]) if factors else []
    if any(list(f) != names for f in factors):
        raise ValueError("every draw must have the same factors, in the same order")
    x_all = np.array([[f[n] for n in names] for f in factors], dtype=float)
    out: dict[str, Any] = {
        "factors": len(names),
        "permutations": permutations,
        "level": level,
        "targets": {},
    }
    targets = list(figures[0]) if figures else []
    for t in targets:
        y = [fig.get(t) for fig in figures]
        ok = np.array([v is not None and math.isfinite(v) for v in y])
        entry: dict[str, Any] = {"draws": int(ok.sum())}
        out["targets"][t] = entry
        yv = np.array([v for v, k in zip(y, ok, strict=True) if k], dtype=float)
        if ok.sum() < MIN_DRAWS or np.ptp(yv) == 0.0:
            few = ok.sum() < MIN_DRAWS
            why = "too few draws" if few else "the figure is the same in every draw"
            entry.update(threshold=None, top=[], carried_by=[], note=why)
            continue
        x = x_all[ok]
        rho = spearman_columns(x, yv[:, None])[:, 0]
        perm = np.stack([rng.permutation(yv) for _ in range(permutations)], axis=1)
        null_max = np.abs(spearman_columns(x, perm)).max(axis=0)
        threshold = float(np.sort(null_max)[max(math.ceil(level * permutations) - 1, 0)])
        order = np.argsort(-np.abs(rho), kind="stable")
        verdicts = np.array([m.get(t) for m in met], dtype=object)[ok]
        rows = []
        for j in order[:top]:
            below = x[:, j] < 1.0
            rows.append(
                {
                    "factor": names[j],
                    "family": factor_family(names[j]),
                    "number": None if numbers is None else float(numbers[names[j]]),
                    "rho": float(rho[j]),
                    "carries": bool(abs(rho[j]) > threshold),
                    "met_below_1": _met_share(list(verdicts[below])),
                    "met_from_1": _met_share(list(verdicts[~below])),
                }
            )
        entry.update(
            threshold=threshold,
            top=rows,
            carried_by=[names[j] for j in order if abs(rho[j]) > threshold],
        )
    return out
