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

For every target the result is the interval of its resampled figures, the share of
resamples in which it is met, and whether the point's verdict is *firm*: at least
``FIRM`` (97.5 %) of the resamples agree with it. The interval runs from the
``m``-th smallest to the ``m``-th largest resampled figure, ``m = ⌊(1 − FIRM)·B⌋``
(about 95 %; Efron & Tibshirani's percentile interval taken as order statistics),
so that for a figure judged against a threshold the verdict is firm exactly when
the bar lies outside it. A verdict that is not firm lies within the Monte Carlo
error of its bar at this number of replicates: more replicates, not a different
model, would be needed to tell. With ``B = 100`` the flag itself is noisy for an
agreement near 97.5 % (at most two resamples may disagree); more resamples settle it.
Where the point's own figure lies outside the resamples' interval, resampling has
shifted the figure rather than spread it (a median's correlation, for one, falls
when repeated runs make the median noisier), and the verdict is not judged.

Two cautions. A figure that is a largest absolute value (the long run's drift and
its 2100 gap, the levers' reach; ``Target.folded``) is shifted away from zero by
resampling noise, so its resampled figures lie above the point on average and its
interval need not contain it: a ``< bar`` verdict on it leans toward "not met", a
``≥ bar`` one toward "met". And with fewer than ``MIN_REPLICATES`` replicates the
resamples repeat too few distinct runs to say anything, so none are drawn.
Nothing here is fitted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from sim.experiments.evaluation.baseline import Baseline
from sim.experiments.evaluation.targets import TARGETS, Evaluation, Reading

__all__ = ["FIRM", "MIN_REPLICATES", "interval", "resample_rows", "summarise", "uncertainty"]

#: Share of the resamples that must agree with the point's verdict for it to be firm.
FIRM = 0.975
#: Fewest replicates for which the resamples are drawn at all.
MIN_REPLICATES = 20


def resample_rows(rng: np.random.Generator, n: int, resamples: int) -> list[np.ndarray]:
    """Draws of replicate indices, with replacement.

    Args:
        rng: The generator of the draws.
        n: Replicates (each draw has ``n`` indices in ``0..n-1``).
        resamples: Number of draws.
    """
    return [rng.integers(0, n, size=n) for _ in range(resamples)]


def interval(values: Sequence[float]) -> list[float] | None:
    """The ``m``-th smallest and ``m``-th largest value, ``m = ⌊(1 − FIRM)·len⌋``.

    With ``B`` values, a threshold lies outside it exactly when at least ``FIRM`` of
    them fall on one side (None without values).
    """
    v = np.sort(np.asarray(values, dtype=float))
    if not v.size:
        return None
    m = int(np.floor((1.0 - FIRM) * v.size + 1e-9))
    return [float(v[m]), float(v[v.size - 1 - m])]


def summarise(
    met: bool | None, readings: Sequence[Reading], value: float | None = None
) -> dict[str, Any]:
    """One target over the resamples: interval of its figure, share met, firm or not.

    Args:
        met: The point's verdict (None: not measured).
        readings: The target's ``(value, met)`` on each resample; resamples on which
            it is not measured (``met`` None) are left out of the share.
        value: The point's figure. When it lies outside the resamples' interval the
            resampling shifts the figure itself (``shifted``), and the verdict is not
            judged (``firm`` None): the spread of such resamples says nothing of how
            far the point is from the bar.

    Returns:
        ``{interval, share_met, firm, shifted}`` (all None when nothing is measured).
    """
    verdicts = [m for _, m in readings if m is not None]
    if met is None or not verdicts:
        return {"interval": None, "share_met": None, "firm": None, "shifted": None}
    share = float(np.mean(verdicts))
    agree = share if met else 1.0 - share
    values = [v for v, m in readings if v is not None and m is not None]
    span = interval(values)
    shifted = bool(value is not None and span is not None and not span[0] <= value <= span[1])
    firm = None if shifted else bool(agree >= FIRM - 1e-12)
    return {"interval": span, "share_met": share, "firm": firm, "shifted": shifted}


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
    value = {r["id"]: r["value"] for r in point}
    return {
        "resamples": resamples,
        "replicates": len(base.seeds),
        "firm_at": FIRM,
        "targets": {
            t.id: summarise(met.get(t.id), readings[t.id], value.get(t.id)) for t in TARGETS
        },
    }
