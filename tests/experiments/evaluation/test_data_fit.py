"""The data check takes its targets and years from the calibration experiment."""

from __future__ import annotations

from sim.experiments.calibration.spec import CalibrationSpec
from sim.experiments.evaluation.data_fit import targets, windows
from sim.experiments.schema import load_experiment


def test_the_shipped_calibration_gives_the_reported_targets_and_windows() -> None:
    spec = load_experiment("calibration", "calibration").spec
    assert targets(spec) == [
        ("mean_dist_rus_nato_members_all", "RUS", "NATO", "distance to the mean NATO member"),
        ("dist_rus_usa_all", "RUS", "USA", "distance to the USA"),
    ]
    assert windows(spec) == {
        "in_sample": ((1991, 2012), (1991, 2012)),
        "held_out": ((1991, 2005), (2006, 2012)),
    }


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
    # scores the years 1991-2012 it simulated, as for the historical scenario
    from sim.experiments.evaluation.baseline import Baseline
    from sim.experiments.evaluation.evaluate import data_section
    from sim.model.resolve import load_scenario

    spec = load_experiment("calibration", "calibration").spec
    seeds = list(range(8))
    proj = data_section(Baseline.run(load_scenario("projection_2030"), seeds), spec, None)
    hist = data_section(Baseline.run(load_scenario("historical"), seeds), spec, None)
    assert set(proj) == set(hist) == {s for s, *_ in targets(spec)}
    for series, entry in proj.items():
        years = entry["in_sample"]["series"]["years"]
        assert years[0] == 1991 and years[-1] == 2012
        # the same history to 2012 (the projection is historical to 2012), the same fit
        assert entry["in_sample"]["model"] == hist[series]["in_sample"]["model"]
