"""Decisions from a stated theory: the reassurance game, reciprocity, leaders, own turns.

Unit checks of each mechanism on constructed states, and the emergence the
issue asks for, measured with the evaluation's own functions.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim import load_scenario
from sim.experiments.evaluation.baseline import Baseline
from sim.experiments.evaluation.evaluate import cycles_summary, emergence, long_run_outcome
from sim.experiments.evaluation.variants import (
    closed_door,
    free,
    long_run,
    run_panel,
    with_parameters,
)
from sim.model import changes, core, decide, state
from sim.model.compile import compile_scenario
from sim.model.params import DEFAULTS, param_arrays
from sim.model.seeds import replicate_seeds

HIST = compile_scenario(load_scenario("historical"))


def _state(comp, **over):
    prm = param_arrays([{**DEFAULTS, **over}, {**DEFAULTS, **over}])
    return prm, state.init_state(comp, prm)


def _slot(comp, actor, action, target):
    return next(
        j
        for j, o in enumerate(comp.slots)
        if (o.actor, o.action, o.targets[0]) == (actor, action, target)
    )


def test_a_distrusted_security_seeker_reassures() -> None:
    prm, st = _state(HIST, confrontation_cost=0.0)
    reset = _slot(HIST, "USA", "reset", "RUS")
    st.L[0, HIST.pair_index[("RUS", "USA")]] = state.logit(0.2)  # Moscow doubts Washington
    st.L[1, HIST.pair_index[("RUS", "USA")]] = state.logit(0.8)  # Moscow trusts it
    out = decide.reassurance_terms(HIST, prm, st)
    assert out[0, reset] == pytest.approx(DEFAULTS["reassurance"] * 4 * (0.5 - 0.2))
    assert out[1, reset] == 0.0  # no doubt to answer
    hostile = _slot(HIST, "RUS", "aggressive_narrative", "NATO")
    assert (out[:, hostile] == 0).all()  # only new-beginning acts reassure


def test_confrontation_accumulates_and_a_new_beginning_releases_it() -> None:
    comp = compile_scenario(load_scenario("hindcast"))
    prm, st = _state(comp, noise=0.0, activity=-20.0)  # nobody chooses anything
    st.cost[:] = 1.0
    u = np.ones((2, len(comp.slots) + state.N_LEADERS))
    z = np.zeros((2, comp.n_pairs))
    core.step(comp, prm, st, u, z)
    assert st.cost == pytest.approx((1.0 - DEFAULTS["cost_decay"]) * np.ones(2))
    out = decide.reassurance_terms(comp, param_arrays([{**DEFAULTS, "reassurance": 0.0}] * 2), st)
    reset = _slot(comp, "USA", "reset", "RUS")
    assert out[0, reset] == pytest.approx(DEFAULTS["confrontation_cost"] * st.cost[0])


def test_a_new_leader_looks_afresh() -> None:
    prm, st = _state(HIST)
    ti = 2000 - 1991  # Putin
    st.t = ti
    st.L[:] = st.anchor - 1.0
    before = st.L.copy()
    u = np.ones((2, len(HIST.slots) + state.N_LEADERS))
    changes.leadership(HIST, prm, st, u)
    tau = DEFAULTS["turnover_reset"]
    rus = HIST.leader_pairs[0]
    assert np.allclose(st.L[:, rus], before[:, rus] + tau * 1.0)
    assert np.array_equal(st.L[:, ~rus], before[:, ~rus])
    assert st.assertive[0] == pytest.approx(DEFAULTS["rus_assertiveness"] + 0.8)


def test_leaders_change_at_random_only_where_the_scenario_draws_them() -> None:
    proj = compile_scenario(load_scenario("projection_2030"))
    assert proj.turnover_from == 2013 - 1991
    prm, st = _state(proj, turnover_rate=1.0)
    u = np.zeros((2, len(proj.slots) + state.N_LEADERS))
    st.t = proj.turnover_from - 2  # 2011: no scheduled change either
    st.L[:] = st.anchor - 1.0
    changes.leadership(proj, prm, st, u)
    assert np.allclose(st.L, st.anchor - 1.0)  # before the record ends: no draw
    st.t = proj.turnover_from
    changes.leadership(proj, prm, st, u)
    assert not np.allclose(st.L, st.anchor - 1.0)


def test_a_colour_revolution_turns_a_candidate_west() -> None:
    _, st = _state(HIST)
    st.t = 2003 - 1991
    g = HIST.state_index["GEO"]
    before = st.L.copy()
    changes.domestic_turns(HIST, st)
    assert st.orient[0, g] == pytest.approx(1.5)
    j = HIST.pair_index[("GEO", "RUS")]
    assert st.L[0, j] == pytest.approx(before[0, j] - state.DOMESTIC_SHIFT * 1.5)
    request = _slot(HIST, "GEO", "membership_request", "NATO")
    assert HIST.slot_orient_state[request] == g


def test_hostility_invites_hostility() -> None:
    prm, st = _state(HIST)
    narrative = _slot(HIST, "RUS", "aggressive_narrative", "NATO")
    pair = HIST.slot_decision_pair[narrative]
    st.last_n[0, pair] = -1.0
    out = decide.reciprocity_terms(HIST, prm, st)
    assert out[0, narrative] == pytest.approx(DEFAULTS["reciprocity"])
    assert out[1, narrative] == 0.0


def test_the_hindcast_keeps_only_exogenous_shocks() -> None:
    hind = compile_scenario(load_scenario("hindcast"))
    assert sum(len(e) for e in hind.sched) == 0
    assert hind.slot_allowed.all()
    kinds = {s.kind for s in hind.scenario.shocks}
    assert kinds == {"threat", "leadership", "course", "domestic"}


@pytest.fixture(scope="module")
def em():
    # the evaluation's own 200 replicates and seed
    base = Baseline.run(load_scenario("historical_calibrated"), replicate_seeds(1991, 200))
    return emergence(base, lambda _m: None)


def test_spirals_and_new_beginnings_emerge_in_the_hindcast() -> None:
    # scenarios/hindcast.toml: shocks and changes of leader only, the actors choose
    # every act (the evaluation's 200 replicates and seed; `natosim evaluate hindcast`)
    hind = Baseline.run(load_scenario("hindcast"), replicate_seeds(1991, 200))
    cycles = cycles_summary(hind.panel)
    assert cycles["median"] >= 2
    assert cycles["share_two_or_more"] >= 0.5


@pytest.mark.xfail(
    strict=True,
    reason=(
        "not met: with the calibrated parameters the shocks-only run has median 1 cycle and "
        "40 % of runs with two or more (200 replicates, seed 1991; fit from 1992; bootstrap "
        "95 % interval of the share 0.33-0.47). Below the bar, not far: with 1000 replicates "
        "on four seed sets the share is 0.44-0.46 and the median 1 (0.47-0.51 on the same "
        "seed sets before Kosovo was read as globalisation, not R2P, and the fit refitted). "
        "Its earlier pass rested on a 2012 rebound from Putin's return mis-encoded as a new "
        "leader"
    ),
)
def test_spirals_and_new_beginnings_emerge_with_the_calibrated_parameters(em) -> None:
    free = em["cycles_per_run"]["free"]
    assert free["median"] >= 2
    assert free["share_two_or_more"] >= 0.5


def test_the_shocks_only_cycles_rest_on_how_far_a_new_leader_looks_afresh() -> None:
    """What the evaluation's attribution finds (turnover_reset carries the cycles), shown
    directly: at the value UN voting prefers when the fit frees it (0.122, docs/ODD.md
    §4.2) the new beginnings the shocks alone rebuild almost vanish; at the shipped 0.3
    they do not."""
    sc = free(load_scenario("historical_calibrated"))
    seeds = replicate_seeds(1991, 100)
    mean = {
        tau: cycles_summary(run_panel(with_parameters(sc, {"turnover_reset": tau}), seeds))["mean"]
        for tau in (0.122, 0.3)
    }
    assert mean[0.122] < 0.5 < 1.0 < mean[0.3]


def test_cycles_continue_after_the_record_ends(em) -> None:
    assert em["cycles_per_run"]["projection_2013_2030"]["mean"] >= 1.0


def test_the_long_run_forgets_its_start(em) -> None:
    gap = em["stationarity"]["gap_2100"]
    assert max(gap.values()) <= 0.05


def test_the_long_run_drift_is_the_candidates_joining(em) -> None:
    # Membership is never undone and the candidates are few: the enlargements are
    # chosen early, and with NATO's door closed the 2060-2100 drift shrinks.
    st = em["stationarity"]
    for start in ("from_0.9", "from_0.3"):
        waves = st["enlargements_per_run"][start]
        assert waves["2013_2059"] > 5 * waves["2060_2100"] > 0
        for k in ("rus_nato", "nato_rus"):
            closed = st["closed_door"][start][k]["change_2060_2100"]
            assert abs(closed) < abs(st[start][k]["change_2060_2100"])


def test_with_the_door_closed_no_enlargement_is_chosen() -> None:
    sc = closed_door(long_run(load_scenario("historical_calibrated"), 2013, 2040, 0.5))
    _, waves = long_run_outcome(sc, replicate_seeds(7, 20))
    assert waves["2013_2059"] == 0.0  # the run ends in 2040
    _, opened = long_run_outcome(
        long_run(load_scenario("historical_calibrated"), 2013, 2040, 0.5), replicate_seeds(7, 20)
    )
    assert opened["2013_2059"] > 0


def test_history_from_shocks_alone_tells_most_of_the_story(em) -> None:
    assert em["free_narrative"]["median_holds"] >= 5


def test_friendliness_invites_a_friendly_new_beginning() -> None:
    # The reset's stance is negative (trust restrains it) but Moscow reads it as
    # friendly: reciprocity follows the addressee's reading, not the stance.
    prm, st = _state(HIST)
    reset = _slot(HIST, "USA", "reset", "RUS")
    assert HIST.slot_stance[reset] < 0 and HIST.slot_tone[reset] > 0
    pair = HIST.slot_decision_pair[reset]
    st.last_p[0, pair] = 1.0  # Washington read friendliness in Moscow last year
    st.last_n[1, pair] = -1.0  # ... or hostility
    out = decide.reciprocity_terms(HIST, prm, st)
    assert out[0, reset] == pytest.approx(DEFAULTS["reciprocity"])
    assert out[1, reset] == 0.0
