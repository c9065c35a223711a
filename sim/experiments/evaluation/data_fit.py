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
nor the map nor the null models saw.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.experiments.calibration.mapping import SPLIT_TEST, SPLIT_TRAIN, monotone_fit
from sim.experiments.calibration.spec import CalibrationSpec
from sim.experiments.evaluation.metrics import pearson, rmse, skill
from sim.experiments.evaluation.nulls import NULLS, Impulse, fit_null

__all__ = ["LABELS", "compare", "targets", "windows"]

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
