"""The data check takes its targets and years from the calibration experiment."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.data.locate import seeds_dir
from sim.experiments.calibration.spec import CalibrationSpec
from sim.experiments.evaluation.data_fit import (
    MIN_TRAINING_YEARS,
    targets,
    training_starts,
    windows,
)
from sim.experiments.schema import load_experiment

DATA = seeds_dir() / "data"


def test_the_shipped_calibration_gives_the_reported_targets_and_windows() -> None:
    spec = load_experiment("calibration", "calibration").spec
    assert targets(spec) == [
        ("mean_dist_rus_nato_members_all", "RUS", "NATO", "distance to the mean NATO member"),
        ("dist_rus_usa_all", "RUS", "USA", "distance to the USA"),
    ]
    assert windows(spec) == {
        "in_sample": ((1992, 2012), (1992, 2012)),
        "held_out": ((1992, 2005), (2006, 2012)),
    }


def test_the_shipped_calibration_leaves_out_the_soviet_year() -> None:
    # the data's 1991 is the Soviet Union's votes (seeds/data/README.md); the model
    # still simulates 1991, but the fit and its training years start in 1992
    spec = load_experiment("calibration", "calibration").spec
    assert spec.years[0] == 1992 and spec.split is not None and spec.split.train[0] == 1992
    assert "1991 refers to the USSR" in (DATA / "README.md").read_text()


def test_the_held_out_verdict_is_rechecked_on_nearby_first_training_years() -> None:
    assert training_starts(1991, (1992, 2005)) == [1991, 1993, 1994]
    assert training_starts(1991, (1991, 2005)) == [1992, 1993]  # no year before the data
    assert training_starts(1991, (1992, 2005), later=0) == [1991]
    # every window keeps at least MIN_TRAINING_YEARS training years
    assert training_starts(1991, (1994, 2005)) == [1993, 1995, 1996]
    assert training_starts(1991, (1995, 2005)) == [1994, 1996]
    assert all(2005 - y + 1 >= MIN_TRAINING_YEARS for y in training_starts(1980, (1995, 2005)))


def test_without_a_split_the_held_out_years_are_the_default_split() -> None:
    spec = CalibrationSpec.model_validate(
        {
            "name": "x",
            "scenario": "historical",
            "years": [1992, 2010],
            "targets": [{"series": "some_series", "observer": "RUS", "target": "DEU"}],
            "parameters": [{"name": "memory", "low": 0.0, "high": 0.5}],
        }
    )
    assert windows(spec) == {
        "in_sample": ((1992, 2010), (1992, 2010)),
        "held_out": ((1992, 2005), (2006, 2012)),
    }
    assert targets(spec) == [("some_series", "RUS", "DEU", "some_series")]


def test_a_projection_is_scored_on_the_record_it_simulates() -> None:
    # projection_2030 reports from 2012 but simulates 1991-2030: the data section
    # scores the calibration's years it simulated, as for the historical scenario
    from sim.experiments.evaluation.baseline import Baseline
    from sim.experiments.evaluation.data_fit import data_section
    from sim.model.resolve import load_scenario

    spec = load_experiment("calibration", "calibration").spec
    seeds = list(range(8))
    proj = data_section(Baseline.run(load_scenario("projection_2030"), seeds), spec, None)
    hist = data_section(Baseline.run(load_scenario("historical"), seeds), spec, None)
    assert set(proj) == set(hist) == {s for s, *_ in targets(spec)}
    for series, entry in proj.items():
        years = entry["in_sample"]["series"]["years"]
        assert years[0] == spec.years[0] and years[-1] == 2012
        # the same history to 2012 (the projection is historical to 2012), the same fit
        assert entry["in_sample"]["model"] == hist[series]["in_sample"]["model"]


def test_the_posterior_verdict_is_the_weighted_share_that_beats_every_null() -> None:
    from sim.experiments.evaluation.data_fit import _posterior_verdict

    out = _posterior_verdict([0.5, -0.1, 0.2, None], [1.0, 1.0, 2.0, 4.0])
    assert out["particles"] == 4
    assert out["share_beats_every_null"] == pytest.approx(3 / 8)
    # half the weight is on a particle some null model forecasts without error: the
    # quantiles are the step CDF's, so the lower half is None, never a made-up number
    assert out["smallest_skill"] == {"q05": None, "median": None, "q95": 0.5}
    out = _posterior_verdict([0.1, 0.3, -0.2], [1.0, 1.0, 2.0])
    assert out["share_beats_every_null"] == 0.5
    assert out["smallest_skill"] == {"q05": -0.2, "median": -0.2, "q95": 0.3}
    assert _posterior_verdict([0.1, 0.3], [1.0, 1.0])["smallest_skill"]["median"] == 0.1


def test_the_weakest_null_is_the_unbeatable_one() -> None:
    from sim.experiments.evaluation.data_fit import smallest_skill

    assert smallest_skill({"trend": 0.4, "step": -0.2, "persistence": 0.1}) == ("step", -0.2)
    assert smallest_skill({"trend": 0.4, "step": None, "persistence": -0.5}) == ("step", None)


def test_the_held_out_rechecks_use_the_points_and_posterior_they_are_given() -> None:
    # A hand-built fit: the posterior is the point (weight 3) and another particle
    # (weight 1); the 1993 window's point is that other particle.
    from sim.experiments.evaluation.baseline import Baseline
    from sim.experiments.evaluation.data_fit import TrainingFits, data_section, smallest_skill
    from sim.model.resolve import load_scenario

    spec = load_experiment("calibration", "calibration").spec
    base = Baseline.run(load_scenario("historical_calibrated"), list(range(8)))
    names = [p.name for p in spec.parameters]
    point = {n: float(base.params[n]) for n in names}
    other = {**point, "hostile_weight": 1.2, "memory": 0.3}
    post = pd.DataFrame([point, other]).assign(weight=[3.0, 1.0])
    data = data_section(base, spec, TrainingFits(point, post, {1993: other}))
    alone = data_section(base, spec, TrainingFits(other))
    for series, entry in data.items():
        held = entry["held_out"]
        own = smallest_skill(held["model"]["skill"])[1]
        theirs = smallest_skill(alone[series]["held_out"]["model"]["skill"])[1]
        assert own != theirs
        share = 0.75 * (own > 0) + 0.25 * (theirs > 0)
        assert held["posterior"]["particles"] == 2
        assert held["posterior"]["share_beats_every_null"] == pytest.approx(share)
        assert held["posterior"]["smallest_skill"]["median"] == own  # 3/4 of the weight
        rows = entry["held_out_by_start"]
        assert [r["train"] for r in rows] == [[1992, 2005], [1993, 2005]]
        assert all(r["test"] == [2006, 2012] for r in rows)
        assert rows[0]["skill"] == held["model"]["skill"]
        assert rows[0]["calibrated_on_training_years"] == point
        assert rows[1]["calibrated_on_training_years"] == other
        # the 1993 window refits the map and the null models on 1993-2005
        assert rows[1]["skill"] != alone[series]["held_out"]["model"]["skill"]
