"""The scorecard's Monte Carlo error: runs served again bit for bit, a real bootstrap."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import load_scenario
from sim.experiments.evaluation import variants
from sim.experiments.evaluation.ablation import ablation
from sim.experiments.evaluation.alliance import alliance
from sim.experiments.evaluation.baseline import Baseline
from sim.experiments.evaluation.checks import evaluate_checks
from sim.experiments.evaluation.data_fit import TrainingFits
from sim.experiments.evaluation.evaluate import emergence, scored_sections
from sim.experiments.evaluation.targets import TARGETS, scorecard
from sim.experiments.evaluation.uncertainty import (
    FIRM,
    interval,
    resample_rows,
    summarise,
    uncertainty,
)
from sim.experiments.schema import load_experiment
from sim.model.seeds import replicate_seeds


def _sections(b: Baseline) -> dict:
    return {
        "narrative": evaluate_checks(b.panel),
        "emergence": emergence(b, lambda _m: None),
        "alliance": alliance(b),
        "ablation": ablation(b),
    }


def test_a_cached_run_is_the_run_itself_and_is_simulated_once() -> None:
    sc = load_scenario("historical")
    comp, params = variants.compiled_with_params(sc)
    seeds = replicate_seeds(11, 3)
    direct = variants.simulate(comp, seeds, params)
    cache = variants.RunCache()
    with cache.active():
        a = variants.simulate(comp, [seeds[2], seeds[0], seeds[0], seeds[1]], params)
        assert cache.simulated == 3  # the repeated seed once
        b = variants.simulate(comp, list(seeds), params)
        assert cache.simulated == 3  # all served
        other = variants.simulate(comp, [seeds[0]], {**params, "hostile_weight": 1.0})
        assert cache.simulated == 4  # other parameters are other runs
    np.testing.assert_array_equal(a, direct[[2, 0, 0, 1]])
    np.testing.assert_array_equal(b, direct)
    assert not np.array_equal(other[0], direct[0])
    # outside the block nothing is served: the same call simulates again
    variants.simulate(comp, list(seeds), params)
    assert cache.simulated == 4


def test_variants_asked_for_again_are_the_same_objects_only_while_active() -> None:
    sc = variants.free(load_scenario("historical"))
    cache = variants.RunCache()
    with cache.active():
        c1, _ = variants.compiled_with_params(sc)
        c2, p2 = variants.compiled_with_params(sc.model_copy())
        assert c1 is c2
        p2["memory"] = -1.0  # a caller's copy: the cache's own stays intact
        assert variants.compiled_with_params(sc)[1]["memory"] != -1.0
        assert variants.without_choices(c1) is variants.without_choices(c1)
    assert variants.compiled_with_params(sc)[0] is not c1
    assert variants.without_choices(c1) is not variants.without_choices(c1)


def test_a_resampled_baseline_holds_the_runs_of_the_seeds_drawn() -> None:
    base = Baseline.run(load_scenario("historical"), replicate_seeds(5, 4))
    rows = [3, 3, 0, 1]
    b = base.resampled(rows)
    assert b.seeds == tuple(base.seeds[i] for i in rows)
    np.testing.assert_array_equal(b.trust, base.trust[rows])
    # and they are what simulating those seeds gives
    np.testing.assert_array_equal(b.trust, variants.simulate(base.comp, b.seeds, base.params))


def test_the_resample_of_every_replicate_in_order_reads_every_target_the_same() -> None:
    sc = load_scenario("historical_calibrated")
    spec = load_experiment("calibration", "calibration").spec
    fits = TrainingFits(dict(sc.parameters))
    cache = variants.RunCache()
    with cache.active():
        base = Baseline.run(sc, replicate_seeds(3, 12))
        point = scorecard(scored_sections(base, spec, fits))
        n = cache.simulated
        again = scorecard(scored_sections(base.resampled(range(12)), spec, fits))
        assert cache.simulated == n  # nothing simulated anew
    measured = [r for r in point if r["met"] is not None]
    assert len(measured) == len(TARGETS)  # the held-out data targets included
    for p, a in zip(point, again, strict=True):
        assert (p["id"], p["value"], p["met"]) == (a["id"], a["value"], a["met"])


def test_resamples_are_drawn_with_replacement_from_the_generator() -> None:
    a = resample_rows(np.random.default_rng(1), 50, 3)
    b = resample_rows(np.random.default_rng(1), 50, 3)
    assert len(a) == 3 and all(len(r) == 50 for r in a)
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert all(r.min() >= 0 and r.max() < 50 for r in a)
    assert any(len(set(r.tolist())) < 50 for r in a)  # repeats: with replacement


def test_a_verdict_is_firm_only_when_nearly_every_resample_agrees() -> None:
    def readings(n_met: int, n: int = 40) -> list:
        return [(float(i), i < n_met) for i in range(n)]

    firm = summarise(True, readings(39))  # 97.5 % agree
    assert firm["share_met"] == pytest.approx(39 / 40) and firm["firm"] is True
    assert summarise(True, readings(38))["firm"] is False
    assert summarise(False, readings(1))["firm"] is True
    assert summarise(False, readings(2))["firm"] is False
    assert summarise(False, readings(20))["share_met"] == 0.5
    # the interval: the m-th smallest and largest of B values, m = floor(0.025 B)
    assert summarise(True, readings(40))["interval"] == [1.0, 38.0]
    assert interval(np.arange(100.0)) == [2.0, 97.0] and interval([]) is None
    empty = {"interval": None, "share_met": None, "firm": None, "shifted": None}
    assert summarise(None, readings(40)) == empty
    # a point outside its resamples' range: resampling shifted the figure, no verdict
    off = summarise(False, readings(1), value=45.0)
    assert off["shifted"] is True and off["firm"] is None and off["share_met"] == 1 / 40
    inside = summarise(False, readings(1), value=20.0)
    assert inside["shifted"] is False and inside["firm"] is True
    assert summarise(True, [(None, None)] * 5)["firm"] is None
    assert FIRM == 0.975


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.integers(0, 30), min_size=20, max_size=220),
    bar=st.integers(0, 30),
)
def test_a_threshold_verdict_is_firm_exactly_when_the_bar_lies_outside_the_interval(
    values, bar
) -> None:
    """For a figure judged `>= bar`, firm and met iff the interval's low end meets the bar,
    firm and not met iff its high end misses it (with ties and any number of resamples)."""
    readings = [(float(v) / 10, v >= bar) for v in values]
    lo, hi = interval([v for v, _ in readings])
    for point_met in (True, False):
        firm = summarise(point_met, readings)["firm"]
        assert firm == ((lo >= bar / 10) if point_met else (hi < bar / 10))


def test_a_figure_near_its_bar_is_within_chance_and_one_far_from_it_is_firm() -> None:
    """On runs whose shocks-only cycles sit near the bar of half the runs, the
    bootstrap cannot settle the verdict; the narrative checks it settles."""
    sc = load_scenario("historical_calibrated")
    cache = variants.RunCache()
    with cache.active():
        base = Baseline.run(sc, replicate_seeds(12345, 40))
        point = scorecard(_sections(base))
        unc = uncertainty(base, _sections, point, 30, np.random.default_rng(7))
    rows = unc["targets"]
    assert set(rows) == {t.id for t in TARGETS}
    assert unc["resamples"] == 30 and unc["replicates"] == 40
    assert rows["narrative_checks"]["firm"] is True
    share = next(r for r in point if r["id"] == "cycles_shocks_only_share")
    assert 0.4 < share["value"] < 0.6  # near the bar on these seeds
    assert rows["cycles_shocks_only_share"]["firm"] is False
    lo, hi = rows["cycles_shocks_only_share"]["interval"]
    assert lo < 0.5 < hi
