"""The model against UN voting data, next to null models, in sample and held out.

Observed: the calibration experiment's targets and years (:func:`targets`,
:func:`windows`) — in ``experiments/calibration.toml`` Russia's UN General Assembly
ideal-point distance (Bailey, Strezhnev & Voeten 2017; ``seeds/data``) to the mean
NATO member and to the USA, 1991-2012, against the model's median Russia→NATO and
Russia→USA trust, held out from 2006. The model's trust is mapped to
distance by the decreasing affine map of the calibration
(:func:`~sim.experiments.calibration.mapping.monotone_fit`), fitted on the training
years only; the null models (:mod:`~sim.experiments.evaluation.nulls`) are fitted
on the same years. Every figure is computed on the test years: in sample they are
the training years themselves, held out they are years neither the calibration
nor the map nor the null models saw. The held-out verdict is a point's; whether it
hangs on that point is checked on every particle of the training fit's posterior
(the weighted share that beats every null model), and whether it hangs on where
the training years begin by refitting on windows that start a year earlier (if the
data go back so far) and one or two years later (:func:`training_starts`), scored
on the same test years.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.data import tables
from sim.data.unga import load_idealpoint_summary
from sim.experiments.calibration.mapping import SPLIT_TEST, SPLIT_TRAIN, monotone_fit
from sim.experiments.calibration.spec import CalibrationSpec
from sim.experiments.evaluation.baseline import Baseline
from sim.experiments.evaluation.metrics import pearson, rmse, skill
from sim.experiments.evaluation.nulls import NULLS, Impulse, fit_null
from sim.experiments.evaluation.panel import Panel
from sim.experiments.evaluation.variants import simulate
from sim.model.consistency import scheduled_events
from sim.model.readings import addressee_tone
from sim.model.scenario import Scenario

__all__ = [
    "LABELS",
    "MIN_TRAINING_YEARS",
    "TrainingFits",
    "compare",
    "data_section",
    "smallest_skill",
    "targets",
    "training_starts",
    "windows",
]

#: Fewest training years a re-checked held-out window may keep (:func:`training_starts`).
MIN_TRAINING_YEARS = 10

#: How the report names each observed series of a calibration target.
LABELS: dict[str, str] = {
    "mean_dist_rus_nato_members_all": "distance to the mean NATO member",
    "dist_rus_usa_all": "distance to the USA",
}


def targets(spec: CalibrationSpec) -> list[tuple[str, str, str, str]]:
    """``(series, observer, target, label)`` of each of the calibration's targets."""
    return [(t.series, t.observer, t.target, LABELS.get(t.series, t.series)) for t in spec.targets]


def windows(spec: CalibrationSpec) -> dict[str, tuple[tuple[int, int], tuple[int, int]]]:
    """Window name to (training years, test years), inclusive, of a calibration.

    ``in_sample``: the calibration's years, fitted and scored; ``held_out``: its
    ``[split]`` (by default :data:`~sim.experiments.calibration.mapping.SPLIT_TRAIN`
    and :data:`~sim.experiments.calibration.mapping.SPLIT_TEST`).
    """
    split = (spec.split.train, spec.split.test) if spec.split else (SPLIT_TRAIN, SPLIT_TEST)
    return {"in_sample": (spec.years, spec.years), "held_out": split}


def _scores(predicted: np.ndarray, observed: np.ndarray) -> dict[str, float | None]:
    return {
        "r_levels": pearson(predicted, observed),
        "r_changes": pearson(np.diff(predicted), np.diff(observed)),
        "rmse": rmse(observed, predicted),
    }


def compare(
    model_trust: pd.Series,
    observed: pd.Series,
    train: tuple[int, int],
    test: tuple[int, int],
    events: Sequence[Impulse] = (),
) -> dict:
    """The model's and every null model's scores on the test years.

    Args:
        model_trust: Median model trust by year (covering train and test years).
        observed: Observed distance by year.
        train: Years the map and the null models are fitted on.
        test: Years the scores are computed on.
        events: Dated acts with tones, for the event-impulse null model.

    Returns:
        ``{"model": {r_levels, r_changes, rmse, skill: {null: value}}, "nulls":
        {name: {r_levels, r_changes, rmse}}, "train": [a, b], "test": [a, b],
        "series": {years, observed, model, <null>...}}`` (predictions on the test years).
    """
    years = observed.index.to_numpy()
    tr = years[(years >= train[0]) & (years <= train[1])]
    te = years[(years >= test[0]) & (years <= test[1])]
    obs_tr = observed.loc[tr].to_numpy(dtype=float)
    obs_te = observed.loc[te].to_numpy(dtype=float)
    mapping = monotone_fit(model_trust.loc[tr].to_numpy(), obs_tr)
    predicted = {"model": mapping.predict(model_trust.loc[te].to_numpy())}
    model = _scores(predicted["model"], obs_te)
    nulls = {}
    for name in NULLS:
        predicted[name] = fit_null(name, tr, obs_tr, events)(te)
        nulls[name] = _scores(predicted[name], obs_te)
    model["skill"] = {name: skill(model["rmse"], n["rmse"]) for name, n in nulls.items()}
    model["map"] = {"intercept": mapping.intercept, "slope": mapping.slope}
    series = {"years": [int(y) for y in te], "observed": [float(v) for v in obs_te]}
    series |= {k: [float(v) for v in arr] for k, arr in predicted.items()}
    return {
        "train": list(train),
        "test": list(test),
        "model": model,
        "nulls": nulls,
        "series": series,
    }


def training_starts(first_data_year: int, train: tuple[int, int], later: int = 2) -> list[int]:
    """First years of the training windows on which the held-out verdict is re-checked.

    A year before the calibration's own first training year (when the data go back
    that far) and up to ``later`` years after it, each window keeping at least
    :data:`MIN_TRAINING_YEARS` years; the calibration's own start is left out.
    """
    lo = max(first_data_year, train[0] - 1)
    last = train[1] - MIN_TRAINING_YEARS + 1
    return [y for y in range(lo, min(train[0] + later, last) + 1) if y != train[0]]


def _impulses(sc: Scenario) -> list[Impulse]:
    """Every scheduled act with the tone its addressee reads it in (as the model does)."""
    codes = {st.code for st in tables.states()}
    return [
        Impulse(e.year, addressee_tone(e.action, e.actor, e.targets, codes))
        for e in scheduled_events(sc)
    ]


def _series(med: Panel, observer: str, target: str) -> pd.Series:
    return pd.Series(med.series(observer, target)[0], index=med.years)


def _median_with(base: Baseline, point: Mapping[str, float]) -> Panel:
    """The median of the base's seeds over every simulated year, with ``point`` laid over."""
    comp = base.comp
    trust = simulate(comp, base.seeds, {**base.params, **point})
    return Panel(comp.years, trust, comp.pairs, comp.states).median()


@dataclass(frozen=True)
class TrainingFits:
    """What the calibration fitted on the training years, for the held-out check.

    Attributes:
        point: The point of the fit on the calibration's own training years.
        posterior: Its posterior particles (the fitted names, ``weight``), or None.
        by_start: Points fitted on training windows starting in other years (first
            year -> point; the same last year).
    """

    point: dict[str, float]
    posterior: pd.DataFrame | None = None
    by_start: Mapping[int, Mapping[str, float]] = field(default_factory=dict)


def data_section(base: Baseline, calibration: CalibrationSpec, fits: TrainingFits | None) -> dict:
    """The model and the null models against the calibration's targets (UN voting series).

    Args:
        base: The scenario's runs.
        calibration: The calibration experiment's spec: targets and windows.
        fits: The fits on the training years, or None (no held-out check). With
            them, ``held_out`` has the point's figures and ``posterior`` (the
            verdict over the posterior particles), and ``held_out_by_start`` the
            point's figures for every training window (the calibration's own among
            them), scored on the same test years.
    """
    obs = load_idealpoint_summary()
    events = _impulses(base.scenario)
    win = windows(calibration)
    # every simulated year, whatever the scenario reports (a projection reports from
    # the end of the record but simulates the record too)
    comp = base.comp
    own = Panel(comp.years, base.trust, comp.pairs, comp.states).median()
    out: dict[str, Any] = {}
    for series, o, t, label in targets(calibration):
        entry: dict[str, Any] = {"series": series, "pair": f"{o}->{t}", "label": label}
        train, test = win["in_sample"]
        entry["in_sample"] = compare(_series(own, o, t), obs[series], train, test, events)
        out[series] = entry
    if fits is None:
        return out
    train, test = win["held_out"]
    refit = _median_with(base, fits.point)
    others = {y: _median_with(base, p) for y, p in sorted(fits.by_start.items())}
    particles = _particle_medians(base, fits.posterior)
    for series, o, t, _label in targets(calibration):
        entry = out[series]
        held = compare(_series(refit, o, t), obs[series], train, test, events)
        held["calibrated_on_training_years"] = fits.point
        if particles:
            smallest = [
                smallest_skill(
                    compare(_series(m, o, t), obs[series], train, test, events)["model"]["skill"]
                )[1]
                for m, _w in particles
            ]
            held["posterior"] = _posterior_verdict(smallest, [w for _m, w in particles])
        entry["held_out"] = held
        if others:
            by = {train[0]: (refit, fits.point)} | {
                y: (others[y], fits.by_start[y]) for y in others
            }
            entry["held_out_by_start"] = [
                _verdict(compare(_series(m, o, t), obs[series], (y, train[1]), test, events), p)
                for y, (m, p) in sorted(by.items())
            ]
    return out


def _particle_medians(base: Baseline, posterior: pd.DataFrame | None) -> list[tuple[Panel, float]]:
    """Each posterior particle's median over the base's seeds, with its weight."""
    if posterior is None or posterior.empty:
        return []
    names = [c for c in posterior.columns if c not in ("weight", "distance")]
    return [
        (_median_with(base, {n: float(row[n]) for n in names}), float(row["weight"]))
        for _, row in posterior.iterrows()
    ]


def smallest_skill(skill: Mapping[str, float | None]) -> tuple[str, float | None]:
    """The weakest null model for the model and the model's skill against it.

    A null model without error (skill None) cannot be beaten: it is the weakest,
    and the skill is None.
    """
    unbeatable = [n for n, v in skill.items() if v is None]
    if unbeatable:
        return unbeatable[0], None
    name = min(skill, key=lambda n: float(skill[n]))  # type: ignore[arg-type]
    return name, float(skill[name])  # type: ignore[arg-type]


def _step_quantile(values: Sequence[float | None], weights: np.ndarray, q: float) -> float | None:
    """The weighted ``q``-quantile as the inverse of the step CDF (None sorts lowest).

    No interpolation, so a quantile is always one of the values: None when the
    weight of the unbeatable particles reaches ``q``.
    """
    order = sorted(range(len(values)), key=lambda i: -np.inf if values[i] is None else values[i])
    cum = np.cumsum(weights[order])
    k = int(np.searchsorted(cum, q * cum[-1] - 1e-12))
    v = values[order[min(k, len(order) - 1)]]
    return None if v is None else float(v)


def _posterior_verdict(
    smallest: Sequence[float | None], weights: Sequence[float]
) -> dict[str, Any]:
    """The held-out verdict over the posterior: share that beats every null, and spread.

    ``smallest``: each particle's smallest skill (None: some null is unbeatable).
    """
    w = np.asarray(weights, float)
    w = w / w.sum()
    beats = np.array([v is not None and v > 0 for v in smallest])
    return {
        "particles": len(smallest),
        "share_beats_every_null": float(w[beats].sum()),
        "smallest_skill": {
            k: _step_quantile(smallest, w, q)
            for k, q in (("q05", 0.05), ("median", 0.5), ("q95", 0.95))
        },
    }


def _verdict(cmp: dict, point: Mapping[str, float]) -> dict[str, Any]:
    """The model's held-out figures of one comparison (no series), with the fitted point."""
    m = cmp["model"]
    return {
        "train": cmp["train"],
        "test": cmp["test"],
        "rmse": m["rmse"],
        "r_changes": m["r_changes"],
        "skill": m["skill"],
        "calibrated_on_training_years": dict(point),
    }
