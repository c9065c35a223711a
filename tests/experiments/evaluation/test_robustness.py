"""Robustness draws: the tables are compiled once per draw, and not at all for a parameter draw."""

from __future__ import annotations

import numpy as np
import pytest

from sim import load_scenario
from sim.experiments.evaluation import robustness as rob
from sim.experiments.evaluation.variants import (
    compiled_with_params,
    free,
    simulate,
    with_parameters,
)
from sim.model.compile import compile_scenario
from sim.model.seeds import replicate_seeds

pytestmark = pytest.mark.slow

SEEDS = replicate_seeds(5, 4)


@pytest.fixture(scope="module")
def setting() -> rob.Conclusions:
    cfs = {n: load_scenario(n) for n in rob.COUNTERFACTUALS}
    sc = load_scenario("historical_calibrated")
    proj = with_parameters(load_scenario(rob.PROJECTION), sc.parameters)
    return rob.Conclusions(sc, cfs, SEEDS, proj)


def _fresh(setting: rob.Conclusions, params: dict, order, cat=None, off=None) -> dict:
    """Conclusions with every array compiled afresh, for this draw alone."""
    return rob.conclusions(setting, setting.compile(cat, off), params, order)


def _same_arrays(a, b) -> bool:
    names = (
        "slot_template",
        "standing_shield",
        "slot_allowed",
        "pair_discount",
        "years",
        "slot_routed",
        "slot_bilateral",
    )
    yearly = ("sched_template", "sched_routed", "sched_bilateral")
    return all(np.array_equal(getattr(a, n), getattr(b, n)) for n in names) and all(
        np.array_equal(x, y)
        for n in yearly
        for x, y in zip(getattr(a, n), getattr(b, n), strict=True)
    )


def test_a_parameter_draw_on_the_shared_arrays_is_a_fresh_one(setting) -> None:
    _, params = compiled_with_params(setting.scenario)
    shipped = setting.compile()
    effects = rob.lever_effects(shipped.scenario, params, SEEDS)
    order = rob.ordering(effects)
    nominal = rob.conclusions(setting, shipped, params, order, effects)
    assert nominal == rob.conclusions(setting, shipped, params, order)
    drawn = {**params, "hostile_weight": 1.2, "memory": 0.35}
    # compiling never reads the parameters: the draw's scenario compiles to the same arrays
    assert _same_arrays(
        compile_scenario(with_parameters(setting.scenario, drawn)), shipped.scenario
    )
    shared = rob.conclusions(setting, shipped, drawn, order)
    assert shared == _fresh(setting, drawn, order)
    assert set(shared) == set(setting.names)


def test_a_table_draw_is_compiled_with_its_tables(setting) -> None:
    _, params = compiled_with_params(setting.scenario)
    rng = np.random.default_rng(3)
    cat, off, drawn = rob.perturbed_tables(rng, params)
    comp = setting.compile(cat, off)
    assert not np.array_equal(comp.scenario.slot_template, setting.compile().scenario.slot_template)
    again = compile_scenario(setting.scenario, catalog=cat, offsets=off)
    assert _same_arrays(comp.scenario, again)
    # the shocks-only run and the projection are compiled with the draw's tables too
    assert _same_arrays(
        comp.shocks_only, compile_scenario(free(setting.scenario), catalog=cat, offsets=off)
    )
    assert _same_arrays(
        comp.projection, compile_scenario(setting.projection, catalog=cat, offsets=off)
    )
    assert not np.array_equal(
        comp.shocks_only.slot_template, setting.compile().shocks_only.slot_template
    )
    order = rob.ordering(rob.lever_effects(setting.compile().scenario, params, SEEDS))
    assert rob.conclusions(setting, comp, drawn, order) == _fresh(setting, drawn, order, cat, off)


def test_the_drawn_targets_are_the_scorecards_own_readings() -> None:
    """On the shipped tables a draw decides each drawn target as the evaluation does:
    the scorecard's reading of the emergence and alliance sections on the same seeds."""
    from sim.experiments.evaluation.alliance import alliance
    from sim.experiments.evaluation.baseline import Baseline
    from sim.experiments.evaluation.evaluate import emergence
    from sim.experiments.evaluation.targets import TARGETS, scorecard

    sc = load_scenario("historical_calibrated")
    seeds = replicate_seeds(9, 12)
    proj = with_parameters(load_scenario(rob.PROJECTION), sc.parameters)
    setting = rob.Conclusions(sc, {}, seeds, proj)
    assert set(rob.DRAWN_TARGETS) <= {t.id for t in TARGETS}
    _, params = compiled_with_params(sc)
    shipped = setting.compile()
    assessed = rob.assess(setting, shipped, params, ("a",), {"a": 0.0})
    drawn = assessed.verdicts
    assert drawn == rob.conclusions(setting, shipped, params, ("a",), {"a": 0.0})
    assert list(drawn)[-len(rob.DRAWN_TARGETS) :] == list(rob.DRAWN_TARGETS)
    base = Baseline.run(sc, seeds)
    rows = scorecard({"emergence": emergence(base, lambda _m: None), "alliance": alliance(base)})
    card = {r["id"]: r["met"] for r in rows}
    values = {r["id"]: r["value"] for r in rows}
    assert list(assessed.figures) == list(rob.DRAWN_TARGETS)
    for t in rob.DRAWN_TARGETS:
        assert drawn[t] is not None and drawn[t] == card[t], t
        # and the figure each verdict reads is the scorecard's own figure
        assert assessed.figures[t] == values[t], t
    assert rob.drawn_verdicts([drawn]) == [{t: drawn[t] for t in rob.DRAWN_TARGETS}]
    # and a draw of other parameters decides them as the evaluation does at that point
    other = {**params, "friendly_weight": 1.0, "hostile_weight": 0.1, "memory": 0.5}
    moved = rob.conclusions(setting, shipped, other, ("a",), {"a": 0.0})
    at = Baseline.run(with_parameters(sc, other), seeds)
    ev = {"emergence": emergence(at, lambda _m: None), "alliance": alliance(at)}
    mine = rob.drawn_sections(setting, shipped, other, simulate(shipped.scenario, seeds, other))
    assert mine["emergence"]["chosen_share"] == {
        k: {"share": v["share"]} for k, v in ev["emergence"]["chosen_share"].items()
    }
    for k in ("free", "projection_2013_2030"):
        assert mine["emergence"]["cycles_per_run"][k] == ev["emergence"]["cycles_per_run"][k]
    assert {t: moved[t] for t in rob.DRAWN_TARGETS} == {
        r["id"]: r["met"] for r in scorecard(ev) if r["id"] in rob.DRAWN_TARGETS
    }
    assert moved != drawn  # other parameters, other verdicts
