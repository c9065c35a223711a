"""Outcomes of a run, computed from its trust array (what sweeps record).

Each outcome is a function of one run's trust ``(T, P)`` over the reported
years. Reductions run over the year axis in a fixed order, so a run's
outcomes are the same whatever batch it was computed in.
"""

from __future__ import annotations

import numpy as np

from sim.model.compile import Compiled

#: A yearly fall of either headline direction larger than this counts as a crisis.
CRISIS_DROP = 0.05


def _headline(comp: Compiled, trust: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reported years and the (R, T) series of RUS->NATO and NATO->RUS."""
    mask = comp.years >= comp.report_from
    years = comp.years[mask]
    rn = np.ascontiguousarray(trust[:, mask, comp.pair_index[("RUS", "NATO")]])
    nr = np.ascontiguousarray(trust[:, mask, comp.pair_index[("NATO", "RUS")]])
    return years, rn, nr


def _mean(x: np.ndarray) -> np.ndarray:
    acc = np.zeros(x.shape[0])
    for t in range(x.shape[1]):
        acc = acc + x[:, t]
    return acc / x.shape[1]


def _crises(x: np.ndarray) -> np.ndarray:
    return (np.diff(x, axis=1) < -CRISIS_DROP).sum(axis=1)


def compute(comp: Compiled, trust: np.ndarray) -> dict[str, np.ndarray]:
    """All outcomes for a batch of runs.

    Args:
        comp: The compiled scenario.
        trust: Trust ``(R, T, P)`` as returned by :func:`sim.run.run_arrays`.

    Returns:
        Outcome name to an array of shape ``(R,)``.
    """
    years, rn, nr = _headline(comp, trust)
    both_down = (np.diff(rn, axis=1) < -CRISIS_DROP) | (np.diff(nr, axis=1) < -CRISIS_DROP)
    out = {
        "final_trust_rus_nato": rn[:, -1],
        "final_trust_nato_rus": nr[:, -1],
        "mean_trust_rus_nato": _mean(rn),
        "mean_trust_nato_rus": _mean(nr),
        "min_trust_rus_nato": rn.min(axis=1),
        "min_trust_nato_rus": nr.min(axis=1),
        "year_min_rus_nato": years[np.argmin(rn, axis=1)].astype(np.float64),
        "year_min_nato_rus": years[np.argmin(nr, axis=1)].astype(np.float64),
        "crises": both_down.sum(axis=1).astype(np.float64),
        "crises_rus_nato": _crises(rn).astype(np.float64),
    }
    return {k: np.asarray(v, dtype=np.float64) for k, v in out.items()}


OUTCOMES: dict[str, str] = {
    "final_trust_rus_nato": "Russia's trust in NATO in the last year",
    "final_trust_nato_rus": "NATO's trust in Russia in the last year",
    "mean_trust_rus_nato": "mean over the years of Russia's trust in NATO",
    "mean_trust_nato_rus": "mean over the years of NATO's trust in Russia",
    "min_trust_rus_nato": "lowest yearly Russia->NATO trust",
    "min_trust_nato_rus": "lowest yearly NATO->Russia trust",
    "year_min_rus_nato": "year of the lowest Russia->NATO trust",
    "year_min_nato_rus": "year of the lowest NATO->Russia trust",
    "crises": f"years in which either direction fell by more than {CRISIS_DROP}",
    "crises_rus_nato": f"years in which Russia->NATO trust fell by more than {CRISIS_DROP}",
}
