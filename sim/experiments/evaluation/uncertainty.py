"""Monte Carlo error of the scorecard: every target read again on resampled replicates.

The scorecard's figures are medians, shares and correlations over a finite number
of replicates, so each carries sampling error, and a figure near its bar can meet
it or miss it by the draw of the seeds alone. This module measures that error with
the bootstrap (Efron & Tibshirani 1993, *An Introduction to the Bootstrap*, ch. 6
and 13): ``B`` resamples of the evaluation's replicates, drawn with replacement, each
as many as the original; on each, the sections the targets read are computed again,
with the same code, and every target is read off them again.

A resample's runs are the original runs of the seeds drawn (a run depends only on
its seed, parameters and scenario, bit for bit), and every variant a section
simulates (the run without choices, the shocks-only run, the projection, the long
runs, the ablations, the lever runs, the held-out refit) is served from the
evaluation's :class:`~sim.experiments.evaluation.variants.RunCache`: nothing is
simulated anew beyond what the first resamples fill in. The calibration is not
repeated: the held-out figure is re-read with the fitted point held fixed, so its
interval is the Monte Carlo error of the model's median at that point, not the
uncertainty of the fit (that is the posterior's, reported in the data section).

For every target the result is the 95 % percentile interval of its figure, the share
of resamples in which it is met, and whether the point's verdict is *firm*: at least
``FIRM`` (97.5 %) of the resamples agree with it, which for a continuous figure is
its bar lying outside that interval. A verdict that is not firm lies within the
Monte Carlo error of its bar at this number of replicates: more replicates, not a
different model, would be needed to tell. Nothing here is fitted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from sim.experiments.evaluation.baseline import Baseline
from sim.experiments.evaluation.targets import TARGETS, Evaluation, Reading

__all__ = ["FIRM", "resample_rows", "summarise", "uncertainty"]

#: Share of the resamples that must agree with the point's verdict for it to be firm
#: (the bar outside the two-sided 95 % interval).
FIRM = 0.975


def resample_rows(rng: np.random.Generator, n: int, resamples: int) -> list[np.ndarray]:
    """``resamples`` draws of ``n`` replicate indices, with replacement."""
    return [rng.integers(0, n, size=n) for _ in range(resamples)]


def summarise(met: bool | None, readings: Sequence[Reading]) -> dict[str, Any]:
    """One target over the resamples: interval of its figure, share met, firm or not.

    Args:
        met: The point's verdict (None: not measured).
        readings: The target's ``(value, met)`` on each resample.
    """
    values = np.array([v for v, _ in readings if v is not None], dtype=float)
    verdicts = [m for _, m in readings if m is not None]
    if met is None or not verdicts:
        return {"interval": None, "share_met": None, "firm": None}
    share = float(np.mean(verdicts))
    agree = share if met else 1.0 - share
    interval = (
        [float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))]
        if values.size
        else None
    )
    return {"interval": interval, "share_met": share, "firm": bool(agree >= FIRM)}


def uncertainty(
    base: Baseline,
    sections: Callable[[Baseline], Evaluation],
    point: Sequence[Mapping[str, Any]],
    resamples: int,
    rng: np.random.Generator,
) -> dict[str, Any]:
    """Every target's Monte Carlo error, from ``resamples`` bootstrap resamples.

    Args:
        base: The evaluation's runs.
        sections: The sections the targets read, computed for a set of replicates
            (the evaluation's own code, with what it fitted held fixed).
        point: The scorecard of the full set of replicates (its ``id`` and ``met``).
        resamples: Number of resamples ``B``.
        rng: The generator of the resamples' indices.

    Returns:
        ``{resamples, replicates, firm_at, targets: {id: summary}}`` with each
        summary as :func:`summarise` gives it.
    """
    readings: dict[str, list[Reading]] = {t.id: [] for t in TARGETS}
    for rows in resample_rows(rng, len(base.seeds), resamples):
        ev = sections(base.resampled(rows))
        for t in TARGETS:
            readings[t.id].append(t.read(ev))
    met = {r["id"]: r["met"] for r in point}
    return {
        "resamples": resamples,
        "replicates": len(base.seeds),
        "firm_at": FIRM,
        "targets": {t.id: summarise(met.get(t.id), readings[t.id]) for t in TARGETS},
    }
