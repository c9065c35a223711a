"""An alliance with its own divisions: member-to-member trust, cohesion, collective reading."""

from __future__ import annotations

import numpy as np
import pytest

from sim import load_scenario, run
from sim.data.unga import load_idealpoint_members
from sim.experiments.evaluation.alliance import (
    EU_GROUPS,
    GROUPS,
    _eu_group,
    alliance,
    block_correlations,
    lockstep,
    lockstep_runs,
    observed_lockstep,
)
from sim.experiments.evaluation.baseline import Baseline
from sim.experiments.evaluation.panel import Panel
from sim.model import decide, state
from sim.model.compile import compile_scenario
from sim.model.params import DEFAULTS, param_arrays
from sim.model.seeds import replicate_seeds

R = 100


@pytest.fixture(scope="module")
def history():
    return run("historical_calibrated", replicates=R)


def test_member_pairs_are_recorded_like_any_other(history) -> None:
    traj = history.trajectory
    usa_deu = traj[(traj.observer == "USA") & (traj.target == "DEU")]
    assert len(usa_deu) == R * len(history.years)
    assert list(traj.columns) == ["replicate", "seed", "year", "observer", "target", "trust"]
    alliance_codes = history.compiled.alliance
    assert {"USA", "GBR", "FRA", "DEU", "POL"} <= set(alliance_codes)


@pytest.mark.parametrize(
    ("a", "b"), [("USA", "DEU"), ("DEU", "USA"), ("USA", "FRA"), ("FRA", "USA")]
)
def test_iraq_2003_splits_washington_from_berlin_and_paris(history, a, b) -> None:
    m = history.median(a, b)
    assert m[2003] < m[2002]


def test_those_who_went_to_war_together_do_not_fall_apart(history) -> None:
    m = history.median("GBR", "USA")
    assert m[2003] >= m[2002] - 0.005


@pytest.mark.parametrize("name", ["two_tier", "consensus"])
def test_alliance_parameters_reach_the_nato_russia_pair(name) -> None:
    sc = load_scenario("historical_calibrated")
    out = []
    for v in (0.0, 1.0):
        r = run(sc, replicates=R, **{name: v})
        out.append((r.median("RUS", "NATO")[2012], r.median("NATO", "RUS")[2012]))
    moved = max(abs(out[1][0] - out[0][0]), abs(out[1][1] - out[0][1]))
    assert moved >= 0.03


def test_a_divided_alliance_acts_less_under_consensus() -> None:
    comp = compile_scenario(load_scenario("historical"))
    base = {**DEFAULTS, "consensus": 1.0}
    prm = param_arrays([base, base])
    st = state.init_state(comp, prm)
    st.L[1, comp.pair_alliance] = state.logit(0.2)  # replicate 1: allies distrust each other
    u = np.zeros((2, len(comp.slots)))
    _, prob = decide.decide(comp, prm, st, u)
    collective = comp.slot_decision_pair < 0
    assert (prob[1, collective] <= prob[0, collective]).all()
    assert (prob[1, collective] < prob[0, collective]).any()
    assert np.array_equal(prob[1, ~collective], prob[0, ~collective])


def test_the_evaluation_reports_the_alliance() -> None:
    al = alliance(Baseline.run(load_scenario("historical_calibrated"), replicate_seeds(3, 30)))
    assert al is not None
    assert 0 < al["lockstep"]["mean_correlation"] <= 1
    assert 0 < al["lockstep"]["without_proximity"] <= 1
    assert al["lockstep"]["members"] == 28
    within = al["lockstep"]["within_run"]
    assert 0 < within["q05"] <= within["mean"] <= within["q95"] < 1
    obs = al["lockstep"]["observed"]
    # the members of 2009 with a UN-vote distance in every year 1992-2012, the
    # Russian Federation's own votes (the data's 1991 is the Soviet Union's; Czechia
    # and Slovakia enter the data in 1993)
    assert obs["members"] == 26 and obs["years"] == [1992, 2012]
    assert 0 < obs["mean_correlation"] <= 1 and 0 < obs["model_median"] <= 1
    assert 0 <= obs["runs_below_data"] <= 1
    blocks = {b["blocks"]: b for b in obs["blocks"]}
    assert len(blocks) == 9 and "key partners / new" in blocks
    assert all(-1 <= b["model"] <= 1 and -1 <= b["data"] <= 1 for b in blocks.values())
    # What the data show: Russia's distances to the members of the European Union
    # move together (its members vote together in the Assembly), those outside it
    # much less so; the data's lockstep is lowered by the members outside the Union
    eu, out = blocks["in the EU / in the EU"]["data"], blocks["outside it / outside it"]["data"]
    assert eu > obs["mean_correlation"] + 0.1 > out + 0.2
    assert all(v < 0 for v in al["split_2003"].values())
    assert set(al["levers_2012"]) == {"two_tier", "consensus", "member_voice"}


def test_members_reading_threats_by_proximity_move_less_in_lockstep() -> None:
    # Each member shares Russia's hostile acts aimed at a place by how near it is:
    # the members' yearly changes of trust in Russia move less together than when
    # all read alike, and in 2008 (Georgia) Turkey's trust falls more than Portugal's.
    sc = load_scenario("historical_calibrated")
    base = Baseline.run(sc, replicate_seeds(sc.seed, R))
    n, near = lockstep(base.median)
    alike = base.simulate(proximity=0.0).median()
    assert n == 28 and near < lockstep(alike)[1] - 0.005
    assert lockstep(base.simulate(proximity=1.0).median())[1] < near

    # In log-odds, the scale on which evidence moves trust (a change of probability
    # also depends on the level: Portugal, far from the threats, trusts more).
    def fall(med, c):
        return float(
            state.logit(med.at(c, "RUS", 2008)[0]) - state.logit(med.at(c, "RUS", 2007)[0])
        )

    m = base.median
    assert fall(m, "TUR") < fall(m, "PRT") < 0
    assert fall(alike, "TUR") - fall(alike, "PRT") > fall(m, "TUR") - fall(m, "PRT")


def test_the_data_lockstep_is_the_mean_pairwise_correlation_of_the_distance_changes() -> None:
    # An independent computation with pandas on the long UN-vote file.
    years = list(range(1991, 2013))
    kept, value = observed_lockstep(years, ["USA", "DEU", "POL", "CZE", "TUR", "XXX"])
    assert kept == ["USA", "DEU", "POL", "TUR"]  # CZE has no 1991-92 distance; XXX none
    df = load_idealpoint_members()
    wide = df[df.iso3c.isin(kept)].pivot(index="year", columns="iso3c", values="abs_dist_all")
    corr = wide.diff().corr().to_numpy()
    assert value == pytest.approx(corr[np.triu_indices(4, 1)].mean(), abs=1e-12)


def test_lockstep_within_runs_is_lockstep_of_each_run() -> None:
    sc = load_scenario("historical_calibrated")
    panel = Baseline.run(sc, replicate_seeds(5, 4)).panel
    per = lockstep_runs(panel)
    for i in range(4):
        one = Panel(panel.years, panel.trust[i : i + 1], panel.pairs, panel.states)
        assert per[i] == pytest.approx(lockstep(one)[1], abs=1e-12)
    assert len(set(np.round(per, 12))) == 4  # each run its own history


def test_block_correlations_find_where_members_move_together() -> None:
    # Planted: the key partners and the other old members share one course of
    # yearly changes, the new members another, independent one; a member's own
    # small wobble keeps every correlation below 1.
    rng = np.random.default_rng(4)
    west, east = rng.normal(size=20), rng.normal(size=20)
    members = ["USA", "FRA", "BEL", "NLD", "POL", "EST", "LVA"]
    rows = []
    for c in members:
        common = east if c in ("POL", "EST", "LVA") else west
        rows.append(np.cumsum(np.r_[0.0, common + 0.05 * rng.normal(size=20)]))
    out = block_correlations(np.array(rows), members)
    assert list(out) == [f"{a} / {b}" for i, a in enumerate(GROUPS) for b in GROUPS[i:]]
    for same in ("key partners / key partners", "key partners / other old", "new / new"):
        assert out[same] > 0.99, same
    assert abs(out["key partners / new"]) < 0.6 and abs(out["other old / new"]) < 0.6
    # a group of one member has no pair within it
    assert block_correlations(np.array(rows[:3]), members[:3])["other old / other old"] is None
    # by another grouping: in the Union in 2004 (POL, EST, LVA, FRA, BEL, NLD) or not (USA)
    eu = block_correlations(np.array(rows), members, EU_GROUPS, _eu_group(2004))
    assert list(eu) == [
        "in the EU / in the EU",
        "in the EU / outside it",
        "outside it / outside it",
    ]
    assert eu["outside it / outside it"] is None  # the USA alone
    assert abs(eu["in the EU / in the EU"]) < 0.6  # the west and the east apart


def test_the_share_of_runs_below_the_data_counts_the_runs() -> None:
    # the same 30 runs, the same members and years: an independent count
    base = Baseline.run(load_scenario("historical_calibrated"), replicate_seeds(3, 30))
    obs = alliance(base)["lockstep"]["observed"]
    years = list(range(obs["years"][0], obs["years"][1] + 1))
    p = base.panel
    keep = np.isin(p.years, years)
    on = Panel(p.years[keep], p.trust[:, keep], p.pairs, p.states)
    kept, data = observed_lockstep(years, [s.code for s in _members(base)])
    assert len(kept) == obs["members"] and data == obs["mean_correlation"]
    runs = lockstep_runs(on, kept)
    assert obs["runs_below_data"] == sum(r < data for r in runs) / 30
    assert 0 < obs["runs_below_data"] < 1  # the data lie inside the model's runs


def _members(base):
    from sim.data import tables

    return [
        s
        for s in tables.states()
        if s.accession and s.accession <= 2009 and base.median.has_pair(s.code, "RUS")
    ]
