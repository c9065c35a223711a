"""Emergence measures as the evaluation reports them: cycles per run, the chosen share."""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.experiments.evaluation.metrics import count_cycles, explained_share
from sim.experiments.evaluation.panel import DIRECTIONS, Panel

__all__ = ["chosen_shares", "chosen_shares_within", "cycles_summary"]


def _cycle_stats(v: np.ndarray) -> dict[str, float]:
    return {
        "mean": float(v.mean()),
        "median": float(np.median(v)),
        "share_two_or_more": float((v >= 2).mean()),
    }


def cycles_summary(panel: Panel) -> dict[str, Any]:
    """Cycles per run: crises and recoveries in either headline direction, and each alone."""
    pairs = list(DIRECTIONS.values())
    out = _cycle_stats(count_cycles(*(panel.series(*p) for p in pairs)))
    out["by_direction"] = {
        k: _cycle_stats(count_cycles(panel.series(*p))) for k, p in DIRECTIONS.items()
    }
    return out


def chosen_shares(full: Panel, fixed: Panel) -> dict[str, dict[str, float]]:
    """Each headline direction's chosen share: what the run without choices misses.

    Args:
        full: The median of the runs (one row).
        fixed: The median of the same runs with every chosen act forbidden.

    Returns:
        Direction -> ``{share, r2_without_choices}`` (:func:`explained_share`).
    """
    out = {}
    for k, pair in DIRECTIONS.items():
        share, r2 = explained_share(full.series(*pair)[0], fixed.series(*pair)[0])
        out[k] = {"share": share, "r2_without_choices": r2}
    return out


def chosen_shares_within(full: Panel, fixed: Panel) -> dict[str, dict[str, float]]:
    """Each headline direction's chosen share run by run: each run against itself.

    Run ``i`` without chosen acts has the same seed, shocks and random numbers as
    run ``i`` with them (the slots stay, only forbidden), so the pair differs by
    that world's own choices alone. The median's share (:func:`chosen_shares`)
    smooths away choices whose timing differs from run to run; this one does not.

    Args:
        full: The runs (``R`` rows).
        fixed: The same runs with every chosen act forbidden.

    Returns:
        Direction -> ``{median, q25, q75}`` of the runs' shares (runs whose share is
        undefined left out; all NaN when every run's is).
    """
    out = {}
    for k, pair in DIRECTIONS.items():
        a, b = full.series(*pair), fixed.series(*pair)
        v = np.array([explained_share(a[i], b[i])[0] for i in range(a.shape[0])])
        v = v[np.isfinite(v)]
        q = np.quantile(v, [0.5, 0.25, 0.75]) if v.size else np.full(3, np.nan)
        out[k] = {"median": float(q[0]), "q25": float(q[1]), "q75": float(q[2])}
    return out
