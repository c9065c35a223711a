"""Crisis-recovery cycles per run, in the headline directions, as the evaluation reports them."""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.experiments.evaluation.metrics import count_cycles
from sim.experiments.evaluation.panel import DIRECTIONS, Panel

__all__ = ["cycles_summary"]


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
