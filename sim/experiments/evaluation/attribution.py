"""Which numbers carry a conclusion: the draws' factors against the target's figure.

Each draw of the hand-set tables scales every number by a factor of its own
(:mod:`~sim.experiments.evaluation.table_draws`), and each particle of the
calibration's posterior is a draw of the fitted parameters; both decide the
drawn targets (:data:`~sim.experiments.evaluation.robustness.DRAWN_TARGETS`).
For every target this module ranks the factors by Spearman's rank correlation ρ
with the target's figure across the draws (weighted for the posterior's
particles: weighted mid-ranks and a weighted correlation, which are Spearman's
with equal weights). With hundreds of factors and a hundred draws the largest
|ρ| is sizeable by chance alone, so a factor is said to *carry* a target only
when its |ρ| exceeds the threshold that is family-wise over that target's
factors: the 95th percentile of the largest |ρ| over all factors when the
figures are permuted among the draws (the max-statistic permutation test of
Westfall & Young 1993, with the observed figures counted among the
permutations). The family is per target: over the seven targets of a source
some spurious carrier is likelier than 5 %. A factor that scales a zero cannot
matter and is left out of the family. Over the posterior the fitted parameters
are correlated with one another, so there ρ is association: a parameter that
trades off with another can show the other's effect. ρ misses effects that are
not monotone. Each listed factor
also gets the share of draws meeting the target on either side of a split (1
for the tables' factors: turned down or up; the weighted median for the
posterior's parameters), which says in the scorecard's terms what moving the
number does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.experiments.calibration.population import weighted_quantile
from sim.experiments.evaluation.table_draws import factor_family

__all__ = ["MIN_DRAWS", "attribute", "spearman_columns", "weighted_ranks"]

#: Fewer usable draws than this give no attribution: a floor set by policy, since
#: a rank correlation over a handful of draws says little whatever its threshold.
MIN_DRAWS = 10


def weighted_ranks(a: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Each value's weighted mid-rank in its column.

    The weight of the values below it plus half the weight of the values equal to
    it, over the total; with equal weights an affine map of the average ranks.

    Args:
        a: Values ``(n, m)``.
        w: Non-negative weights ``(n,)``, not all zero.

    Returns:
        ``(n, m)`` in ``[0, 1]`` (in ``(0, 1)`` for a value of positive weight).
    """
    w = np.asarray(w, dtype=float) / float(np.sum(w))
    out = np.empty(a.shape, dtype=float)
    for j in range(a.shape[1]):
        vals, inv = np.unique(a[:, j], return_inverse=True)
        mass = np.bincount(inv, weights=w, minlength=vals.size)
        below = np.concatenate(([0.0], np.cumsum(mass)[:-1]))
        out[:, j] = (below + 0.5 * mass)[inv]
    return out


def _standardised(r: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Columns centred and scaled by their weighted moments (constant columns stay 0)."""
    c = r - w @ r
    norm = np.sqrt(w @ (c * c))
    return np.divide(c, norm, out=np.zeros_like(c), where=norm > 1e-15)


def spearman_columns(x: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Spearman's ρ of every column of ``x`` with every column of ``y``.

    Ties get mid-ranks. With ``weights``, weighted mid-ranks and the weighted
    correlation (a row of integer weight k counts as k equal rows).

    Args:
        x: ``(n, m)``.
        y: ``(n, k)``.
        weights: One non-negative weight per row (None: equal).

    Returns:
        ``(m, k)``; a constant column gives 0.
    """
    n = x.shape[0]
    w = np.full(n, 1.0 / n) if weights is None else np.asarray(weights, float) / np.sum(weights)
    rx = _standardised(weighted_ranks(x, w), w)
    ry = _standardised(weighted_ranks(y, w), w)
    return rx.T @ (w[:, None] * ry)


def _met_share(met: np.ndarray, w: np.ndarray) -> float | None:
    keep = np.array([v is not None for v in met], dtype=bool)
    if not keep.any() or w[keep].sum() == 0:
        return None
    hit = np.array([bool(v) for v in met[keep]], dtype=float)
    return float(hit @ w[keep] / w[keep].sum())


def _ess(w: np.ndarray) -> float:
    """Kish's effective number of draws of weights ``w``."""
    return float(w.sum() ** 2 / (w @ w))


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
    weights: Sequence[float] | None = None,
    split: float | None = 1.0,
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
        weights: One weight per draw (None: equal). A permutation moves the figures
            among the draws; each weight stays with its draw.
        split: Where each listed factor is split for the shares met below and
            from it (None: at the factor's weighted median, midpoint-interpolated).
            The shares are over the draws that have a figure.

    Returns:
        ``{"factors": m, "inert": factors left out, "permutations": B, "level",
        "weighted", "targets": {target: {"draws", "effective_draws", "threshold",
        "top": [{factor, family, number, rho, carries, split, met_below, met_from}],
        "carried_by"}}}``; a target with fewer than
        :data:`MIN_DRAWS` usable draws or a constant figure gets ``top: []`` and a
        ``note``.

    Raises:
        ValueError: The draws do not all have the same factors, or the inputs differ
            in length.
    """
    if not (len(factors) == len(figures) == len(met)):
        raise ValueError("factors, figures and verdicts must have one entry per draw")
    if permutations < 1:
        raise ValueError("permutations must be at least 1")
    if weights is not None and len(weights) != len(factors):
        raise ValueError("weights must have one entry per draw")
    names = list(factors[0]) if factors else []
    if any(list(f) != names for f in factors):
        raise ValueError("every draw must have the same factors, in the same order")
    inert = [n for n in names if numbers is not None and numbers[n] == 0.0]
    names = [n for n in names if n not in set(inert)]
    x_all = np.array([[f[n] for n in names] for f in factors], dtype=float)
    w_all = np.ones(len(factors)) if weights is None else np.asarray(weights, dtype=float)
    out: dict[str, Any] = {
        "factors": len(names),
        "inert": len(inert),
        "permutations": permutations,
        "level": level,
        "weighted": weights is not None,
        "targets": {},
    }
    targets = list(figures[0]) if figures else []
    for t in targets:
        y = [fig.get(t) for fig in figures]
        ok = np.array([v is not None and math.isfinite(v) for v in y])
        ok &= w_all > 0
        entry: dict[str, Any] = {
            "draws": int(ok.sum()),
            "effective_draws": _ess(w_all[ok]) if ok.any() else 0.0,
        }
        out["targets"][t] = entry
        yv = np.array([v for v, k in zip(y, ok, strict=True) if k], dtype=float)
        if ok.sum() < MIN_DRAWS or np.ptp(yv) == 0.0:
            few = ok.sum() < MIN_DRAWS
            why = "too few draws" if few else "the figure is the same in every draw"
            entry.update(threshold=None, top=[], carried_by=[], note=why)
            continue
        x, w = x_all[ok], w_all[ok]
        rho = spearman_columns(x, yv[:, None], w)[:, 0]
        perm = np.stack([rng.permutation(yv) for _ in range(permutations)], axis=1)
        null_max = np.abs(spearman_columns(x, perm, w)).max(axis=0)
        # the observed figures count as one of the B + 1 arrangements (an exact test)
        k = min(math.ceil(level * (permutations + 1)), permutations)
        threshold = float(np.sort(null_max)[k - 1])
        order = np.argsort(-np.abs(rho), kind="stable")
        verdicts = np.array([m.get(t) for m in met], dtype=object)[ok]
        rows = []
        for j in order[:top]:
            at = float(weighted_quantile(x[:, j], w, 0.5)) if split is None else float(split)
            below = x[:, j] < at
            rows.append(
                {
                    "factor": names[j],
                    "family": factor_family(names[j]),
                    "number": None if numbers is None else float(numbers[names[j]]),
                    "rho": float(rho[j]),
                    "carries": bool(abs(rho[j]) > threshold),
                    "split": at,
                    "met_below": _met_share(verdicts[below], w[below]),
                    "met_from": _met_share(verdicts[~below], w[~below]),
                }
            )
        entry.update(
            threshold=threshold,
            top=rows,
            carried_by=[names[j] for j in order if abs(rho[j]) > threshold],
        )
    return out
