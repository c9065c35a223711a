"""Null models of an observed yearly series: what the model must beat to add anything.

Each null model is fitted on training years only and then predicts any year:

- ``trend``: a straight line in time;
- ``step``: one level before a break year and another after it, the break chosen
  among the training years to minimise the squared error;
- ``persistence``: last year's value (inside the training years), the last
  training value after them;
- ``event_impulse``: every scheduled act as an impulse of its tone (hostile −1,
  friendly +1, as the other side reads it) decaying geometrically; hostile and
  friendly impulses get their own weights, fitted by least squares with the
  decay, on the training years. It knows the same dated events the model does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["NULLS", "Impulse", "fit_null"]

#: Decay rates tried for the event-impulse model.
DECAYS = tuple(np.round(np.arange(0.05, 1.0, 0.05), 2))


@dataclass(frozen=True)
class Impulse:
    """A dated act with its tone (−1 hostile, +1 friendly)."""

    year: int
    tone: int


Predictor = Callable[[np.ndarray], np.ndarray]


def _trend(years: np.ndarray, y: np.ndarray, _: Sequence[Impulse]) -> Predictor:
    slope, intercept = np.polyfit(years.astype(float), y, 1)
    return lambda ys: intercept + slope * np.asarray(ys, dtype=float)


def _step(years: np.ndarray, y: np.ndarray, _: Sequence[Impulse]) -> Predictor:
    best = (np.inf, years[0], y.mean(), y.mean())
    for b in years[1:]:
        lo, hi = y[years < b], y[years >= b]
        sse = float(((lo - lo.mean()) ** 2).sum() + ((hi - hi.mean()) ** 2).sum())
        if sse < best[0]:
            best = (sse, b, lo.mean(), hi.mean())
    _, brk, before, after = best
    return lambda ys: np.where(np.asarray(ys) < brk, before, after)


def _persistence(years: np.ndarray, y: np.ndarray, _: Sequence[Impulse]) -> Predictor:
    known = dict(zip(years.tolist(), y.tolist(), strict=True))
    first, last = int(years[0]), int(years[-1])

    def predict(ys: np.ndarray) -> np.ndarray:
        out = []
        for yr in np.asarray(ys).tolist():
            if yr - 1 in known:
                out.append(known[yr - 1])
            elif yr > last:
                out.append(known[last])
            else:
                out.append(known.get(yr, known[first]))
        return np.array(out, dtype=float)

    return predict


def _impulse_design(ys: np.ndarray, events: Sequence[Impulse], decay: float) -> np.ndarray:
    ys = np.asarray(ys, dtype=float)
    x = np.zeros((ys.size, 3))
    x[:, 0] = 1.0
    for ev in events:
        lag = ys - ev.year
        on = lag >= 0
        col = 1 if ev.tone < 0 else 2
        x[on, col] += decay ** lag[on]
    return x


def _event_impulse(years: np.ndarray, y: np.ndarray, events: Sequence[Impulse]) -> Predictor:
    events = [e for e in events if e.tone != 0]
    best: tuple[float, float, np.ndarray] = (np.inf, DECAYS[0], np.array([y.mean(), 0.0, 0.0]))
    for decay in DECAYS:
        x = _impulse_design(years, events, float(decay))
        coef, *_ = np.linalg.lstsq(x, y, rcond=None)
        sse = float(((y - x @ coef) ** 2).sum())
        if sse < best[0] - 1e-15:
            best = (sse, float(decay), coef)
    _, decay, coef = best
    return lambda ys: _impulse_design(ys, events, decay) @ coef


#: The null models by name.
NULLS: dict[str, Callable[[np.ndarray, np.ndarray, Sequence[Impulse]], Predictor]] = {
    "trend": _trend,
    "step": _step,
    "persistence": _persistence,
    "event_impulse": _event_impulse,
}


def fit_null(
    name: str, years: np.ndarray, y: np.ndarray, events: Sequence[Impulse] = ()
) -> Predictor:
    """Fit one null model on training ``years`` and values ``y``.

    Args:
        name: One of :data:`NULLS`.
        years: Training years (ascending).
        y: Observed values in those years.
        events: Dated acts with tones (used by ``event_impulse`` only).

    Returns:
        A function from years to predicted values.
    """
    return NULLS[name](np.asarray(years), np.asarray(y, dtype=float), events)
