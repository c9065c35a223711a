"""The whole evaluation on small sizes: structure, reproducibility, known answers."""

from __future__ import annotations

import numpy as np
import pytest

from sim import load_scenario
from sim.experiments.evaluation import variants
from sim.experiments.evaluation.baseline import Baseline
from sim.experiments.evaluation.data_fit import TrainingFits
from sim.experiments.evaluation.evaluate import emergence, evaluate, scored_sections
from sim.experiments.evaluation.robustness import DRAWN_TARGETS
from sim.experiments.evaluation.targets import scorecard
from sim.experiments.schema import load_experiment
from sim.model.seeds import replicate_seeds

pytestmark = pytest.mark.slow

TINY_CALIBRATION = """
kind = "calibration"
name = "tiny_calibration"
scenario = "historical"
seed = 7
replicates = 3
report_replicates = 3
years = [1992, 2012]

[abc]
particles = 12
generations = 2
quantile = 0.5

[[targets]]
series = "mean_dist_rus_nato_members_all"
observer = "RUS"
target = "NATO"

[[targets]]
series = "dist_rus_usa_all"
observer = "RUS"
target = "USA"

[[parameters]]
name = "hostile_weight"
low = 0.1
high = 1.5

[[parameters]]
name = "friendly_weight"
low = 0.05
high = 1.0
"""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    path = tmp_path_factory.mktemp("cal") / "tiny.toml"
    path.write_text(TINY_CALIBRATION)
    return path


@pytest.fixture(scope="module")
def small(tiny):
    path = tiny
    return evaluate(
        "historical_calibrated",
        replicates=20,
        robustness_draws=3,
        robustness_replicates=8,
        calibration=str(path),
        workers=1,
        resamples=6,
    )


def test_sections_and_keys(small) -> None:
    ev, timings = small
    assert set(ev) >= {"narrative", "emergence", "data", "robustness", "parameters", "meta"}
    assert len(ev["narrative"]) == 11
    for c in ev["narrative"]:
        assert {"name", "median_holds", "replicate_rate"} <= set(c)
    em = ev["emergence"]
    assert set(em["chosen_share"]) == {"rus_nato", "nato_rus"}
    assert set(em["cycles_per_run"]) == {"full", "free", "projection_2013_2030"}
    st = em["stationarity"]
    assert {"from_0.9", "from_0.3", "gap_2100"} <= set(st)
    for start in ("from_0.9", "from_0.3"):
        assert set(st[start]) == {"rus_nato", "nato_rus"}
        assert set(st["closed_door"][start]) == {"rus_nato", "nato_rus"}
        assert set(st["enlargements_per_run"][start]) == {"2013_2059", "2060_2100"}
    lock = ev["alliance"]["lockstep"]
    assert {"within_run", "observed"} <= set(lock)
    # every ablation row has its yearly changes; the scorecard reads the sections
    years = ev["meta"]["years"]
    for row in ev["ablation"]["entries"]:
        assert row["by_year"]["years"] == list(range(years[0], years[1] + 1))
    targets = {t["id"]: t for t in ev["targets"]}
    assert targets["members_not_in_lockstep"]["value"] == lock["mean_correlation"]
    chosen = em["chosen_share"]["rus_nato"]["share"]
    assert targets["chosen_share_rus_nato"]["value"] == chosen
    assert targets["chosen_share_rus_nato"]["met"] == (chosen >= 0.3)
    # and run by run, each run against itself without chosen acts (same seed)
    for k in ("rus_nato", "nato_rus"):
        w = em["chosen_share"][k]["within_run"]
        assert 0.0 <= w["q25"] <= w["median"] <= w["q75"] <= 1.0
        assert f"within a run {w['median']:.3f}" in targets[f"chosen_share_{k}"]["detail"]
    assert all(t["met"] is not None for t in ev["targets"])
    for series in ("mean_dist_rus_nato_members_all", "dist_rus_usa_all"):
        for window in ("in_sample", "held_out"):
            w = ev["data"][series][window]
            assert set(w["nulls"]) == {"trend", "step", "persistence", "event_impulse"}
            assert set(w["model"]["skill"]) == set(w["nulls"])
            assert {"r_levels", "r_changes", "rmse"} <= set(w["model"])
    assert ev["data"]["dist_rus_usa_all"]["held_out"]["test"] == [2006, 2012]
    # the held-out verdict re-checked with the training years starting a year earlier
    # (the data's first) and one or two later, on the same test years
    for series in ("mean_dist_rus_nato_members_all", "dist_rus_usa_all"):
        entry = ev["data"][series]
        rows = entry["held_out_by_start"]
        assert [r["train"][0] for r in rows] == [1991, 1992, 1993, 1994]
        assert all(r["train"][1] == 2005 and r["test"] == [2006, 2012] for r in rows)
        own = rows[1]
        assert own["rmse"] == entry["held_out"]["model"]["rmse"]
        assert own["skill"] == entry["held_out"]["model"]["skill"]
        assert (
            own["calibrated_on_training_years"] == entry["held_out"]["calibrated_on_training_years"]
        )
        assert len({r["rmse"] for r in rows}) == 4  # each window its own fit
        # and over the training fit's posterior: the share of it that beats every null
        post = entry["held_out"]["posterior"]
        assert post["particles"] >= 2 and 0.0 <= post["share_beats_every_null"] <= 1.0
        q = post["smallest_skill"]
        assert q["q05"] is None or q["q05"] <= q["median"] <= q["q95"]
    detail = targets["beats_nulls_dist_rus_usa_all"]["detail"]
    assert "training from 1991 " in detail and ", 1993 " in detail and ", 1994 " in detail
    assert "% of the training posterior" in detail
    rob = ev["robustness"]
    assert rob["tables"]["draws"] == 3
    # which hand-set numbers carry each drawn target: three draws are too few to say
    att = rob["tables"]["attribution"]
    assert list(att["targets"]) == list(DRAWN_TARGETS) and att["factors"] > 100
    assert all(e["note"] == "too few draws" for e in att["targets"].values())
    # and which fitted parameters carry them over the posterior's particles (weighted)
    patt = rob["posterior"]["attribution"]
    assert patt["weighted"] and patt["factors"] == 2  # the tiny fit's two parameters
    assert list(patt["targets"]) == list(DRAWN_TARGETS)
    for e in patt["targets"].values():
        assert e["draws"] <= rob["posterior"]["draws"]
        assert all(r["factor"] in ("hostile_weight", "friendly_weight") for r in e["top"])
    assert "posterior" in rob
    names = {p["name"]: p for p in ev["parameters"]["model"]}
    assert names["hostile_weight"]["prior"] == [0.1, 1.5]
    assert 0 < names["hostile_weight"]["identified_share"] <= 1.0
    assert names["noise"]["prior"] is None
    assert timings["total"] > 0
    # every target's Monte Carlo error, on resamples of the replicates (held-out included)
    unc = ev["uncertainty"]
    assert ev["meta"]["resamples"] == unc["resamples"] == 6 and unc["replicates"] == 20
    for t in ev["targets"]:
        assert t["share_met"] is not None and 0.0 <= t["share_met"] <= 1.0, t["id"]
        # judged (firm or not), or shifted by the resampling and not judged
        assert t["firm"] in (True, False) if not t["shifted"] else t["firm"] is None
        lo, hi = t["interval"]
        assert lo <= hi


def test_exactly_reproducible_from_the_seed() -> None:
    kw = {"robustness_draws": 2, "robustness_replicates": 4, "calibrate": False, "resamples": 4}
    a, _ = evaluate("historical", replicates=20, **kw)
    b, _ = evaluate("historical", replicates=20, **kw)
    assert a == b and a["uncertainty"]["resamples"] == 4
    c, _ = evaluate("historical", replicates=20, seed=5, **kw)
    assert c != a
    d, _ = evaluate("historical", replicates=20, **(kw | {"resamples": 0}))
    assert "uncertainty" not in d and all("firm" not in t for t in d["targets"])
    # the point figures do not depend on the resamples
    assert [t["value"] for t in d["targets"]] == [t["value"] for t in a["targets"]]
    # too few replicates for a bootstrap: none drawn, and the report says so
    e, _ = evaluate("historical", replicates=8, **kw)
    assert e["uncertainty"] == {
        "resamples": 0,
        "replicates": 8,
        "note": "not drawn: fewer than 20 replicates",
    }
    assert all("firm" not in t for t in e["targets"])


def test_a_model_driven_only_by_scheduled_events_has_chosen_share_zero() -> None:
    base = load_scenario("historical")
    from sim.data.tables import actions

    only = base.model_copy(update={"scheduled_only": tuple(actions())})
    em = emergence(Baseline.run(only, replicate_seeds(3, 10)), lambda _m: None)
    for k in ("rus_nato", "nato_rus"):
        assert em["chosen_share"][k]["share"] == 0.0
        assert em["chosen_share"][k]["r2_without_choices"] == 1.0
        assert em["chosen_share"][k]["within_run"] == {"median": 0.0, "q25": 0.0, "q75": 0.0}


def test_variants_share_random_numbers() -> None:
    sc = load_scenario("historical")
    comp, params = variants.compiled_with_params(sc)
    fcomp, _ = variants.compiled_with_params(variants.free(sc))
    assert len(comp.slots) == len(fcomp.slots) and comp.n_pairs == fcomp.n_pairs
    assert sum(len(e) for e in fcomp.sched) == 0
    seeds = replicate_seeds(1, 4)
    a = variants.simulate(comp, seeds, params)
    b = variants.simulate(variants.without_choices(comp), seeds, params)
    # 1991 differs only through that year's choices: same noise, same start
    assert a.shape == b.shape and not np.array_equal(a, b)


def test_the_resampled_sections_are_the_evaluations_own(small, tiny) -> None:
    """The sections the resamples recompute read every target as the evaluation did."""
    ev, _ = small
    sc = load_scenario("historical_calibrated")
    base = Baseline.run(sc, replicate_seeds(sc.seed, 20))
    spec = load_experiment(str(tiny), "calibration").spec
    held = ev["data"]["dist_rus_usa_all"]["held_out"]["calibrated_on_training_years"]
    again = scorecard(scored_sections(base, spec, TrainingFits(held)))
    assert [(r["id"], r["value"], r["met"]) for r in again] == [
        (r["id"], r["value"], r["met"]) for r in ev["targets"]
    ]
