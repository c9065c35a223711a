"""The data check takes its targets and years from the calibration experiment."""

from __future__ import annotations

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
        "held_out": ((1991, 2005), (2006, 2012)),
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

    out = _posterior_verdict([0.5, -0.1, 0.2, float("-inf")], [1.0, 1.0, 2.0, 4.0])
    assert out["particles"] == 4
    assert out["share_beats_every_null"] == pytest.approx(3 / 8)
    # half the weight is on a particle some null model forecasts without error
    assert out["smallest_skill"]["q05"] is None and out["smallest_skill"]["q95"] == 0.5
    assert _posterior_verdict([0.1, 0.3], [1.0, 1.0])["share_beats_every_null"] == 1.0
