"""Direct tests of :mod:`sim.model.core`: one year's arithmetic on constructed cases."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.data import perception, tables
from sim.data.geography import proximity_shares
from sim.model import params as P
from sim.model import state
from sim.model.changes import apply_effects
from sim.model.compile import compile_scenario
from sim.model.core import (
    OFFSETS,
    State,
    collective_reading,
    decide,
    draw_noise,
    init_state,
    logit,
    noise_from,
    sigmoid,
    simulate,
    stack_noise,
    step,
)
from sim.model.decide import cohesion, nato_decision_trust
from sim.model.resolve import load_scenario
from sim.model.scenario import THEMES
from sim.model.state import group_weights
from tests.model.builders import QUIET, compiled, event, pair, param_rows, params, slot

SEEDS = st.integers(0, 2**63 - 1)
BASE = compiled()  # 1991-1995, no scheduled events, every choice allowed
HIST = compile_scenario(load_scenario("historical"))


def _quiet_step(comp, prm, st_: State) -> np.ndarray:
    """One year with no choice taken (uniforms 1) and no trust shock."""
    r = st_.L.shape[0]
    return step(comp, prm, st_, np.ones((r, len(comp.slots))), np.zeros((r, comp.n_pairs)))


def _relaxed(prm, st_: State) -> np.ndarray:
    """Log-odds after the memory step alone."""
    return st_.base + (st_.L - st_.base) * (1.0 - prm["memory"])[:, None]


# --- logit and sigmoid ---------------------------------------------------------------------


@given(st.floats(1e-9, 1.0 - 1e-9))
def test_sigmoid_inverts_logit(p: float) -> None:
    assert float(sigmoid(logit(p))) == pytest.approx(p, rel=1e-9, abs=1e-15)


@given(st.floats(-20.0, 20.0))
def test_logit_inverts_sigmoid(x: float) -> None:
    assert float(logit(sigmoid(np.float64(x)))) == pytest.approx(x, abs=1e-6)


@given(st.floats(-30.0, 30.0))
def test_sigmoid_is_symmetric_and_bounded(x: float) -> None:
    s = float(sigmoid(np.float64(x)))
    assert 0.0 < s < 1.0
    assert s + float(sigmoid(np.float64(-x))) == pytest.approx(1.0, abs=1e-15)


def test_logit_and_sigmoid_fixed_points_and_shapes() -> None:
    assert float(logit(0.5)) == 0.0
    assert float(sigmoid(np.float64(0.0))) == 0.5
    p = np.array([[0.1, 0.5], [0.75, 0.9]])
    assert logit(p).shape == (2, 2)
    assert float(logit(0.75)) == pytest.approx(np.log(3.0))
    assert np.all(np.diff(logit(np.linspace(0.01, 0.99, 50))) > 0)


# --- noise ---------------------------------------------------------------------------------


def test_noise_shapes_and_ranges() -> None:
    n = draw_noise(5, BASE)
    t, k, p = len(BASE.years), len(BASE.slots) + state.N_LEADERS, BASE.n_pairs
    assert (n.u.shape, n.z.shape, n.q.shape) == ((t, k), (t, p), (len(BASE.question_entries),))
    assert len(BASE.question_entries) == 2 and k > 0
    for a in (n.u, n.q):
        assert np.all((a >= 0.0) & (a < 1.0))
    assert np.all(np.isfinite(n.z))


@given(SEEDS)
@settings(max_examples=20)
def test_draw_noise_is_noise_from_the_seeds_generator(seed: int) -> None:
    a = draw_noise(seed, BASE)
    b = noise_from(np.random.default_rng(seed), BASE)
    for x, y in ((a.u, b.u), (a.z, b.z), (a.q, b.q)):
        assert np.array_equal(x, y)


def test_noise_draw_order_question_marks_then_one_block_per_year() -> None:
    n = draw_noise(11, BASE)
    k, p = len(BASE.slots) + state.N_LEADERS, BASE.n_pairs  # choices, then leadership draws
    half = (p + 1) // 2
    raw = np.random.default_rng(11).random(2 + len(BASE.years) * (k + 2 * half))
    assert np.array_equal(n.q, raw[:2])
    blocks = raw[2:].reshape(len(BASE.years), k + 2 * half)
    assert np.array_equal(n.u, blocks[:, :k])
    # Box-Muller: radius from the first half of the shock uniforms, angle from the second
    u1, u2 = blocks[:, k : k + half], blocks[:, k + half :]
    radius = np.sqrt(-2.0 * np.log1p(-u1))
    assert np.allclose(n.z[:, :half], radius * np.cos(2 * np.pi * u2), rtol=0, atol=1e-12)
    assert np.allclose(n.z[:, half:], (radius * np.sin(2 * np.pi * u2))[:, : p - half])


@pytest.mark.parametrize("p", [1, 2, 5, 70])
def test_noise_has_one_normal_per_pair_for_odd_and_even_pair_counts(p: int) -> None:
    fake = SimpleNamespace(years=np.arange(4), slots=(None,) * 3, n_pairs=p, question_entries=())
    n = noise_from(np.random.default_rng(0), fake)  # type: ignore[arg-type]
    assert n.z.shape == (4, p) and n.q.shape == (0,)
    assert n.u.shape == (4, 3 + state.N_LEADERS)  # the choices, then the two leadership draws


def test_box_muller_normals_have_mean_0_and_sd_1() -> None:
    long = compiled(1949, 2100)
    zs = np.stack([draw_noise(s, long).z for s in range(30)])
    x = zs.ravel()
    assert x.size > 300_000
    assert abs(x.mean()) < 5 / np.sqrt(x.size)
    assert x.std() == pytest.approx(1.0, abs=0.005)
    assert np.mean(np.abs(x) < 1.959964) == pytest.approx(0.95, abs=0.003)
    assert np.mean(x**4) == pytest.approx(3.0, abs=0.05)  # normal kurtosis
    # the cosine and sine halves of one draw are independent
    half = long.n_pairs // 2
    c = np.corrcoef(zs[..., :half].ravel(), zs[..., half : 2 * half].ravel())[0, 1]
    assert abs(c) < 0.01
    u = np.stack([draw_noise(s, long).u for s in range(30)]).ravel()
    assert u.mean() == pytest.approx(0.5, abs=0.003)


@pytest.fixture(scope="module")
def history_2012_and_2018():
    longer = {"extends": "historical", "name": "h2018", "time": {"start": 1991, "end": 2018}}
    return HIST, compile_scenario(load_scenario(longer))


@given(SEEDS)
@settings(max_examples=10, deadline=None)
def test_a_longer_scenario_sees_the_same_numbers_in_its_earlier_years(
    history_2012_and_2018, seed: int
) -> None:
    short, long = history_2012_and_2018
    a, b = draw_noise(seed, short), draw_noise(seed, long)
    n = len(short.years)
    assert len(long.years) > n
    assert np.array_equal(a.q, b.q)
    assert np.array_equal(a.u, b.u[:n])
    assert np.array_equal(a.z, b.z[:n])
    prm = params()
    ta = simulate(short, prm, stack_noise([a]))
    tb = simulate(long, prm, stack_noise([b]))
    assert np.array_equal(ta.trust[0], tb.trust[0, :n])
    assert np.array_equal(ta.chosen[0], tb.chosen[0, :n])


def test_dropping_a_question_marked_entry_keeps_the_other_random_numbers() -> None:
    dropped = compiled(figure1={"drop": ["N.coop.iran"]})
    a, b = draw_noise(3, BASE), draw_noise(3, dropped)
    kept = "R.coop.afghanistan"
    assert b.q[dropped.question_entries.index(kept)] == a.q[BASE.question_entries.index(kept)]
    assert np.array_equal(a.q, b.q)  # the dropped entry still draws its weight
    assert np.array_equal(a.u, b.u) and np.array_equal(a.z, b.z)


def test_stack_noise_adds_a_replicate_axis() -> None:
    ns = [draw_noise(s, BASE) for s in (1, 2, 3)]
    b = stack_noise(ns)
    assert b.u.shape == (3, *ns[0].u.shape) and b.z.shape == (3, *ns[0].z.shape)
    assert b.q.shape == (3, 2)
    for i, n in enumerate(ns):
        assert np.array_equal(b.u[i], n.u) and np.array_equal(b.z[i], n.z)
        assert np.array_equal(b.q[i], n.q)
    # every question-marked entry draws its weight, dropped or not
    none = compiled(figure1={"drop": ["N.coop.iran", "R.coop.afghanistan"]})
    assert none.question_entries == BASE.question_entries
    assert stack_noise([draw_noise(s, none) for s in (1, 2)]).q.shape == (2, 2)
    fake = SimpleNamespace(years=np.arange(3), slots=(None,) * 2, n_pairs=3, question_entries=())
    empty = [noise_from(np.random.default_rng(s), fake) for s in (1, 2)]  # type: ignore[arg-type]
    assert stack_noise(empty).q.shape == (2, 0)


# --- initial state -------------------------------------------------------------------------


@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "two_tier": st.floats(0.0, 1.0),
                "initial_trust": st.floats(0.3, 0.9),
                "baseline_trust": st.floats(0.2, 0.8),
            }
        ),
        min_size=1,
        max_size=3,
    )
)
@settings(max_examples=30)
def test_initial_offsets_land_on_their_pairs(rows: list[dict[str, float]]) -> None:
    prm = param_rows(rows)
    s = init_state(BASE, prm)
    o = OFFSETS
    for i, row in enumerate(rows):
        two, li, lb = row["two_tier"], logit(row["initial_trust"]), logit(row["baseline_trust"])
        for a, b in ((tables.NATO, tables.RUS), (tables.RUS, tables.NATO)):
            assert s.L[i, pair(BASE, a, b)] == pytest.approx(li)
            assert s.base[i, pair(BASE, a, b)] == pytest.approx(lb)
        for x in BASE.states:
            reads, read = pair(BASE, x.code, tables.RUS), pair(BASE, tables.RUS, x.code)
            if x.tier == "new":
                want = li + o["NEW_READER_INITIAL"] + o["NEW_READER_TIER"] * two
                want_base = lb + o["NEW_READER_BASELINE_TIER"] * two
                want_rus = li + o["RUS_TO_NEW_INITIAL"]
            elif x.role == "aspirant":
                want = li + o["ASPIRANT_INITIAL"]
                want_base = lb + o["ASPIRANT_INITIAL"]
                want_rus = li
            else:
                want, want_base, want_rus = li, lb, li
            assert s.L[i, reads] == pytest.approx(want), x.code
            assert s.base[i, reads] == pytest.approx(want_base), x.code
            assert s.L[i, read] == pytest.approx(want_rus), x.code
            assert s.base[i, read] == pytest.approx(lb), x.code


def test_initial_offsets_cover_each_kind_of_state() -> None:
    tiers = {(x.tier, x.role) for x in BASE.states}
    assert {("new", "member"), ("old", "member"), ("aspirant", "aspirant")} <= tiers


def test_compiled_offsets_replace_only_the_named_ones() -> None:
    sc = load_scenario({"name": "unit", "time": {"start": 1991, "end": 1995}})
    comp = compile_scenario(sc, offsets={"ASPIRANT_INITIAL": -1.0})
    prm = params(two_tier=0.0)
    a, b = init_state(BASE, prm), init_state(comp, prm)
    ukr, pol = pair(comp, "UKR", tables.RUS), pair(comp, "POL", tables.RUS)
    assert b.L[0, ukr] - a.L[0, ukr] == pytest.approx(-1.0 - OFFSETS["ASPIRANT_INITIAL"])
    assert b.base[0, ukr] - a.base[0, ukr] == pytest.approx(-1.0 - OFFSETS["ASPIRANT_INITIAL"])
    assert b.L[0, pol] == a.L[0, pol]


def test_initial_world() -> None:
    prm = param_rows([{"nrc_share": 0.2, "rus_assertiveness": 0.7}, {"nrc_share": 1.0}])
    s = init_state(BASE, prm)
    founders = {x.code for x in BASE.states if x.accession is not None and x.accession <= 1991}
    assert {"USA", "DEU", "ESP"} <= founders and "POL" not in founders
    for i in range(2):
        assert {x.code for x, m in zip(BASE.states, s.member[i], strict=True) if m} == founders
    assert np.array_equal(s.promised, s.member) and s.promised is not s.member
    assert not s.shield.any() and np.all(s.inst == 0.0) and s.t == 0
    assert s.threat.shape == (2, len(THEMES)) and not s.threat.any()
    assert list(s.assertive) == [0.7, 0.0]
    for j, x in enumerate(BASE.states):
        assert s.exposure[0, j] == pytest.approx(0.6 if x.key_partner else 1.0), x.code
        assert s.exposure[1, j] == 1.0
    later = init_state(compiled(2000, 2002), prm)
    assert later.member[0, BASE.state_index["POL"]] and not later.member[0, BASE.state_index["EST"]]
    q_default = np.full((2, 2), 0.5)
    assert np.array_equal(s.weights, group_weights(BASE, prm, q_default))


# --- group weights -------------------------------------------------------------------------

WEIGHT_OF = {
    "tension": "fig_tension",
    "area": "fig_area",
    "cooperation": "fig_cooperation",
    "threat": "fig_threat",
    "strategy": "fig_strategy",
    "increase": "fig_increase",
    "gain": "lens_gain",
    "bloc": "lens_bloc",
    "reach": "lens_reach",
}
#: A Western condemnation is read by Russia through a hand-set override.
WITH_OVERRIDE = compiled(events=[event(1992, "USA", "aggressive_narrative", tables.RUS)])


@given(
    st.fixed_dictionaries({p.name: st.floats(p.low, p.high) for p in P.PARAMS}),
    st.lists(st.floats(0.0, 1.0), min_size=2, max_size=2),
)
@settings(max_examples=30)
def test_group_weight_is_its_parameter_times_its_modifier(values, q) -> None:
    comp = WITH_OVERRIDE
    w = group_weights(comp, P.param_arrays([values]), np.array([q]))
    kinds = set()
    for g, grp in enumerate(comp.groups):
        if grp.component.startswith("q:"):
            want = q[comp.question_entries.index(grp.component[2:])] * values["fig_cooperation"]
            kinds.add("question")
        elif grp.component in ("override", "alliance"):
            want = 1.0
            kinds.add(grp.component)
        else:
            want = values[WEIGHT_OF[grp.component]]
        if grp.modifier == "global":
            want *= 0.4 + values["nato_globalism"]
        elif grp.modifier == "sg":
            want *= 0.7 + values["sg_entrepreneurship"]
        elif grp.modifier == "near":
            want *= values["proximity"]
        else:
            assert grp.modifier == ""
        kinds.add(grp.modifier)
        assert w[0, g] == pytest.approx(want, rel=1e-12, abs=1e-15), grp
    assert kinds == {"question", "override", "alliance", "global", "sg", "near", ""}


# --- decisions -----------------------------------------------------------------------------


def test_nato_decision_trust_blends_its_own_view_with_its_members() -> None:
    s = init_state(BASE, params())
    s.L[:] = 0.0
    s.L[:, 0] = 1.0  # the alliance's own trust in Russia
    views = {"USA": -1.0, "DEU": 0.5, "POL": -3.0}  # POL is not a member in 1991
    for code, v in views.items():
        s.L[:, BASE.state_to_rus[BASE.state_index[code]]] = v
    voice = {x.code: x.voice for x in BASE.states}
    members = [x.code for x, m in zip(BASE.states, s.member[0], strict=True) if m]
    wmean = sum(voice[c] * views.get(c, 0.0) for c in members) / sum(voice[c] for c in members)

    def trust(member_voice: float, consensus: float) -> float:
        prm = params(member_voice=member_voice, consensus=consensus)
        return float(nato_decision_trust(BASE, prm, s)[0])

    assert trust(0.0, 0.7) == 1.0
    assert trust(1.0, 0.0) == pytest.approx(wmean)
    assert trust(1.0, 1.0) == -1.0  # the most distrustful *member*, not Poland
    assert trust(0.5, 0.5) == pytest.approx(0.5 * 1.0 + 0.5 * (0.5 * wmean + 0.5 * -1.0))
    s.member[:] = False
    assert trust(1.0, 0.5) == 1.0  # no members: the alliance's own view


MASKED = compiled(
    scheduled_only=["reset", "enlargement_wave"],
    scheduled_only_until=1993,
    forbid=[
        {"action": "use_of_force", "target": "GEO", "from": 1993},
        {"actor": "USA", "action": "bilateral_deal", "year": 1992},
    ],
)


@given(SEEDS, st.integers(0, len(MASKED.years) - 1), st.integers(1, 4))
@settings(max_examples=40)
def test_a_slot_not_allowed_is_never_taken_whatever_the_uniform(seed, t, r) -> None:
    rng = np.random.default_rng(seed)
    s = init_state(MASKED, params(r))
    s.t = t
    s.shield[:] = rng.random(r) < 0.5
    s.inst[:] = rng.random(r)
    s.member[:] |= rng.random(s.member.shape) < 0.3
    s.promised |= s.member | (rng.random(s.member.shape) < 0.3)
    k = len(MASKED.slots)
    for u in (rng.random((r, k)), np.zeros((r, k))):
        occ, prob = decide(MASKED, params(r), s, u)
        blocked = ~MASKED.slot_allowed[t]
        assert not occ[:, blocked].any() and np.all(prob[:, blocked] == 0.0)
        assert np.array_equal(occ, u < prob)
        assert np.all((prob >= 0.0) & (prob <= 1.0))
    # with uniforms 0 every possible slot is taken: masks alone decide
    occ, prob = decide(MASKED, params(r), s, np.zeros((r, k)))
    assert np.array_equal(occ, prob > 0.0)


def test_scheduled_only_and_forbidden_slots_by_year() -> None:
    s = init_state(MASKED, params())
    k = len(MASKED.slots)
    reset = slot(MASKED, "USA", "reset", tables.RUS)
    geo = slot(MASKED, tables.RUS, "use_of_force", "GEO")
    ukr = slot(MASKED, tables.RUS, "use_of_force", "UKR")
    deal = slot(MASKED, "USA", "bilateral_deal", tables.RUS)
    deal_fra = slot(MASKED, "FRA", "bilateral_deal", tables.RUS)
    taken = {}
    for t in range(len(MASKED.years)):
        s.t = t
        taken[1991 + t] = decide(MASKED, params(), s, np.zeros((1, k)))[0][0]
    assert [taken[y][reset] for y in range(1991, 1996)] == [False, False, False, True, True]
    assert [taken[y][geo] for y in range(1991, 1996)] == [True, True, False, False, False]
    assert all(taken[y][ukr] for y in taken)
    assert [taken[y][deal] for y in range(1991, 1996)] == [True, False, True, True, True]
    assert all(taken[y][deal_fra] for y in taken)


REQUIRES = [
    # (actor, action, target, change to the state that makes the slot impossible / possible)
    ("RUS", "counter_deployment", "NATO", "shield_on"),
    ("USA", "shield_cancellation", "RUS", "shield_on"),
    ("RUS", "use_of_force", "UKR", "target_not_member"),
    ("NATO", "missile_shield_deployment", "POL", "target_member"),
    ("NATO", "enlargement_wave", "UKR", "target_promised"),
    ("NATO", "membership_promise", "UKR", "target_not_promised"),
    ("UKR", "membership_request", "NATO", "actor_not_member"),
    ("NATO", "nrc_engagement", "RUS", "institution_on"),
    ("NATO", "nrc_rejuvenation", "RUS", "institution_low"),
]


def _world(req: str, possible: bool, s: State, i: int) -> None:
    """Set replicate ``i``'s world so that requirement ``req`` holds (or not)."""
    ukr, pol = BASE.state_index["UKR"], BASE.state_index["POL"]
    if req == "shield_on":
        s.shield[i] = possible
    elif req == "target_not_member":
        s.member[i, ukr] = not possible
    elif req == "target_member":
        s.member[i, pol] = possible
    elif req == "target_promised":
        s.promised[i, ukr] = possible
    elif req == "target_not_promised":
        s.promised[i, ukr] = not possible
    elif req == "actor_not_member":
        s.member[i, ukr] = not possible
    elif req == "institution_on":
        s.inst[i] = 0.1 if possible else 0.05
    elif req == "institution_low":
        s.inst[i] = 0.49 if possible else 0.5


@pytest.mark.parametrize(("actor", "action", "target", "req"), REQUIRES)
def test_requirements_decide_which_slots_are_possible(actor, action, target, req) -> None:
    j = slot(BASE, actor, action, target)
    assert req in BASE.slot_requires[j]
    for possible in (True, False):
        s = init_state(BASE, params(2))
        _world(req, possible, s, 0)
        _world(req, not possible, s, 1)
        occ, prob = decide(BASE, params(2), s, np.zeros((2, len(BASE.slots))))
        assert [bool(p > 0.0) for p in prob[:, j]] == [possible, not possible], req
        assert list(occ[:, j]) == [possible, not possible]


@pytest.mark.parametrize(
    ("req", "possible"),
    [
        ("target_member", False),
        ("target_promised", False),
        ("target_not_member", True),
        ("target_not_promised", True),
    ],
)
def test_a_target_requirement_toward_a_non_state(req: str, possible: bool) -> None:
    """A target that is no state is never a member nor promised."""
    cat = perception.catalog()
    acts = {**cat.actions, "reset": replace(cat.actions["reset"], requires=(req,))}
    sc = load_scenario({"name": "unit", "time": {"start": 1991, "end": 1995}})
    comp = compile_scenario(sc, catalog=replace(cat, actions=acts))
    j = slot(comp, "USA", "reset", tables.RUS)
    s = init_state(comp, params())
    s.member[:] = True
    s.promised[:] = True
    _, prob = decide(comp, params(), s, np.zeros((1, len(comp.slots))))
    assert bool(prob[0, j] > 0.0) == possible


def test_enlargement_needs_both_promise_and_non_membership_per_replicate() -> None:
    j = slot(BASE, tables.NATO, "enlargement_wave", "UKR")
    ukr = BASE.state_index["UKR"]
    s = init_state(BASE, params(3))
    s.promised[:, ukr] = [False, True, True]
    s.member[:, ukr] = [False, False, True]
    _, prob = decide(BASE, params(3), s, np.zeros((3, len(BASE.slots))))
    assert [bool(p > 0) for p in prob[:, j]] == [False, True, False]


# --- effects -------------------------------------------------------------------------------


def test_apply_effects_changes_the_world_only_where_the_act_happened() -> None:
    s = init_state(BASE, params(2))
    ukr, geo = BASE.state_index["UKR"], BASE.state_index["GEO"]
    s.inst[:] = [0.8, 0.2]
    occ = np.array([[True, False, True, False, True], [False, True, False, False, False]])
    effects = (
        (0, "member", 0.0, (ukr,)),
        (1, "promise", 0.0, (geo,)),
        (2, "shield_on", 0.0, ()),
        (3, "shield_off", 0.0, ()),
        (4, "institution", 0.3, ()),
    )
    apply_effects(s, effects, occ)
    assert s.member[0, ukr] and s.promised[0, ukr] and not s.member[1, ukr]
    assert s.promised[1, geo] and not s.member[1, geo] and not s.promised[0, geo]
    assert list(s.shield) == [True, False]
    assert list(s.inst) == [1.0, 0.2]  # capped at 1; replicate 1 did not act
    only_1, both = np.array([[False], [True]]), np.array([[True], [True]])
    apply_effects(s, ((0, "shield_off", 0.0, ()),), only_1)
    assert list(s.shield) == [True, False]  # replicate 0 did not act
    apply_effects(s, ((0, "institution", 0.1, ()),), only_1)
    assert s.inst[0] == 1.0 and s.inst[1] == pytest.approx(0.3)
    apply_effects(s, ((0, "institution", -0.8, ()),), both)  # a cut scales the forum
    assert s.inst == pytest.approx([0.2, 0.06])
    apply_effects(s, ((0, "shield_off", 0.0, ()),), both)
    assert not s.shield.any()
    before = (s.member.copy(), s.promised.copy(), s.shield.copy(), s.inst.copy())
    apply_effects(s, effects, np.zeros_like(occ))
    after = (s.member, s.promised, s.shield, s.inst)
    assert all(np.array_equal(a, b) for a, b in zip(before, after, strict=True))


def test_scheduled_effects_apply_in_their_year() -> None:
    comp = compiled(events=[event(1993, tables.NATO, "membership_promise", "UKR")])
    prm = params(**QUIET)
    s = init_state(comp, prm)
    ukr = comp.state_index["UKR"]
    seen = []
    for _ in comp.years:
        _quiet_step(comp, prm, s)
        seen.append(bool(s.promised[0, ukr]))
    assert seen == [False, False, True, True, True]
    assert not s.member[0, ukr]


# --- one year ------------------------------------------------------------------------------


@given(
    SEEDS,
    st.floats(0.0, 0.5),
    st.floats(0.0, 0.5),
    st.floats(0.0, 0.5),
    st.integers(1, 3),
)
@settings(max_examples=40)
def test_a_year_without_acts_or_noise_relaxes_toward_the_baseline(
    seed: int, memory: float, drift: float, noise: float, r: int
) -> None:
    prm = params(r, memory=memory, baseline_drift=drift, noise=noise)
    s = init_state(BASE, prm)
    rng = np.random.default_rng(seed)
    s.L = rng.normal(0.0, 2.0, s.L.shape)
    s.base = rng.normal(0.0, 1.0, s.base.shape)
    l0, b0 = s.L.copy(), s.base.copy()
    occ = _quiet_step(BASE, prm, s)
    assert not occ.any() and s.t == 1
    want = b0 + (l0 - b0) * (1.0 - memory)
    assert np.array_equal(s.L, want)
    assert np.array_equal(s.base, b0 + drift * (want - b0))


@given(SEEDS, st.floats(0.0, 0.5))
@settings(max_examples=20)
def test_trust_shock_is_noise_times_the_normal(seed: int, noise: float) -> None:
    prm = params(2, noise=noise)
    s = init_state(BASE, prm)
    z = np.random.default_rng(seed).standard_normal((2, BASE.n_pairs))
    want = _relaxed(prm, s) + noise * z
    step(BASE, prm, s, np.ones((2, len(BASE.slots))), z)
    assert np.array_equal(s.L, want)


def test_shocks_move_threat_and_assertiveness_in_their_year() -> None:
    comp = compiled(
        shocks=[
            {"year": 1992, "kind": "threat", "theme": "terrorism", "magnitude": 1.0},
            {"year": 1993, "kind": "leadership", "actor": "RUS", "magnitude": 0.8},
        ]
    )
    prm = params(threat_decay=0.25, rus_assertiveness=0.5)
    s = init_state(comp, prm)
    ter = THEMES.index("terrorism")
    threat, assertive = [], []
    for _ in comp.years:
        _quiet_step(comp, prm, s)
        threat.append(float(s.threat[0, ter]))
        assertive.append(float(s.assertive[0]))
    assert threat == [0.0, 1.0, 0.75, 0.5625, 0.421875]
    assert assertive == pytest.approx([0.5, 0.5, 1.3, 1.3, 1.3])
    assert not np.delete(s.threat, ter, axis=1).any()


def test_a_change_of_course_moves_assertiveness_and_keeps_beliefs() -> None:
    # A new leader in Moscow pulls its pairs' beliefs toward their anchor; a change of
    # course under the same leader (Putin's return in 2012) only moves assertiveness.
    prm = params(rus_assertiveness=0.5, turnover_reset=0.5)
    moved, assertive = {}, {}
    for kind in ("leadership", "course"):
        comp = compiled(shocks=[{"year": 1992, "kind": kind, "actor": "RUS", "magnitude": 0.4}])
        s = init_state(comp, prm)
        s.L[:] = s.base[:] = state.logit(0.2)  # below every anchor, at rest
        _quiet_step(comp, prm, s)  # 1991: nothing happens
        before = s.L.copy()
        _quiet_step(comp, prm, s)  # 1992: the shock
        moved[kind] = s.L - before
        assertive[kind] = float(s.assertive[0])
    moscow = comp.leader_pairs[0]
    assert assertive["leadership"] == assertive["course"] == pytest.approx(0.9)
    assert (moved["leadership"][0, moscow] > 0).all()
    assert not moved["course"].any()


HOSTILE_AND_FRIENDLY = compiled(
    events=[event(1991, tables.RUS, "use_of_force", "GEO"), event(1991, "USA", "reset", "RUS")]
)


@given(
    st.floats(0.1, 1.5),
    st.floats(0.05, 1.0),
    st.floats(0.0, 3.0),
    st.floats(0.0, 2.0),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
)
@settings(max_examples=40)
def test_hostile_evidence_weighs_hostile_weight_and_friendly_friendly_weight(
    hw: float, fw: float, ft: float, fi: float, two: float, spill: float, bb: float, nrc: float
) -> None:
    comp = HOSTILE_AND_FRIENDLY
    prm = params(
        **QUIET,
        hostile_weight=hw,
        friendly_weight=fw,
        fig_tension=ft,
        fig_increase=fi,
        two_tier=two,
        alliance_spill=spill,
        bilateral_buffer=bb,
        nrc_share=nrc,
        member_voice=0.0,  # NATO's own reading (the blend: test_nato_reads_russia_...)
        proximity=0.0,  # the members read alike (by proximity: test_members_share_...)
    )
    s = init_state(comp, prm)
    relaxed = _relaxed(prm, s)
    _quiet_step(comp, prm, s)
    ev = s.L[0] - relaxed[0]
    # Russia's use of force against Georgia, read by the alliance and each state with
    # its exposure (a member 1, an aspirant 1.5, the state hit 2; a new member's
    # reading doubled by the two-tier alliance; a key member's buffered by its own
    # bilateral channel, the more so the less of the agenda is in the forum): a zone
    # of tension, -fig_tension
    want = {
        (tables.NATO, tables.RUS): -hw * ft,
        ("DEU", tables.RUS): -hw * ft * (1.0 - bb * (1.0 - nrc)),
        ("ESP", tables.RUS): -hw * ft,
        ("UKR", tables.RUS): -1.5 * hw * ft,
        ("GEO", tables.RUS): -2.0 * hw * ft,
        ("POL", tables.RUS): -hw * ft * (1.0 + two),
        # the US reset, read by Russia: its strategy to increase cooperation served,
        # spilling over to its trust in the alliance
        (tables.RUS, "USA"): fw * fi,
        (tables.RUS, tables.NATO): fw * fi * spill,
        (tables.RUS, "DEU"): 0.0,
        (tables.RUS, "GEO"): 0.0,
    }
    for (a, b), v in want.items():
        assert ev[pair(comp, a, b)] == pytest.approx(v, rel=1e-12, abs=1e-15), (a, b)


@given(st.floats(0.1, 1.5), st.floats(0.2, 1.0), st.floats(0.0, 1.0))
@settings(max_examples=30)
def test_members_share_a_threat_to_a_place_by_proximity(hw: float, ft: float, p: float) -> None:
    comp = HOSTILE_AND_FRIENDLY
    prm = params(**QUIET, hostile_weight=hw, fig_tension=ft, member_voice=0.0, proximity=p)
    s = init_state(comp, prm)
    relaxed = _relaxed(prm, s)
    _quiet_step(comp, prm, s)
    ev = s.L[0] - relaxed[0]
    # Russia's use of force against Georgia: each member that is not a key partner
    # (whose own channel buffers it) reads -fig_tension blended toward its share by
    # proximity to Tbilisi (mean 1 over all the members, nearer capitals more).
    members = [x for x in comp.states if x.role == "member"]
    voice = [x.voice for x in members]
    share = proximity_shares(("GEO",), [x.code for x in members], weights=voice)
    assert sum(v * share[x.code] for x, v in zip(members, voice, strict=True)) == pytest.approx(
        sum(voice)
    )
    assert share["TUR"] > share["BGR"] > share["DEU"] > share["PRT"] > share["USA"]
    tier = {x.code: x.tier for x in comp.states}
    for code in ("TUR", "BGR", "POL", "ESP", "PRT", "CAN"):
        two = 1.0 + prm["two_tier"][0] if tier[code] == "new" else 1.0
        want = -hw * ft * two * ((1.0 - p) + p * share[code])
        got = ev[pair(comp, code, tables.RUS)]
        grid = hw * ft * two * 2.0**-12  # templates sit on a grid of 2**-12 (exact sums)
        assert got == pytest.approx(want, abs=grid), code
    # the alliance's own reading and the target's do not depend on proximity
    assert ev[pair(comp, tables.NATO, tables.RUS)] == pytest.approx(-hw * ft, rel=1e-12)
    assert ev[pair(comp, "GEO", tables.RUS)] == pytest.approx(-2.0 * hw * ft, rel=1e-12)


@given(st.floats(0.0, 1.0), st.floats(0.1, 1.5), st.floats(0.3, 0.9))
@settings(max_examples=30)
def test_expected_news_is_discounted_by_surprise(surprise: float, hw: float, init: float):
    comp = HOSTILE_AND_FRIENDLY
    prm = params(
        **{**QUIET, "surprise": surprise}, hostile_weight=hw, initial_trust=init, member_voice=0.0
    )
    s = init_state(comp, prm)
    relaxed = _relaxed(prm, s)
    _quiet_step(comp, prm, s)
    nr = pair(comp, tables.NATO, tables.RUS)
    ft = P.DEFAULTS["fig_tension"]
    want = -hw * ft * (1.0 + surprise * (2.0 * init - 1.0))
    assert s.L[0, nr] - relaxed[0, nr] == pytest.approx(want, rel=1e-12)


FRIENDLY_BOTH_WAYS = [
    event(1991, "USA", "reset", "RUS"),  # read by Russia
    # read by the West (not shared-agenda business, which has no forum to go to in 1991)
    event(1991, tables.RUS, "joint_peacekeeping", "BIH"),
    event(1991, tables.RUS, "use_of_force", "GEO"),  # hostile: never discounted
]
RUS_READS = [(tables.RUS, "USA"), (tables.RUS, tables.NATO)]
WEST_READS = [(tables.NATO, tables.RUS), ("DEU", tables.RUS), ("POL", tables.RUS)]


@pytest.mark.parametrize("swap", [False, True])
@given(lens=st.floats(0.0, 0.5), two=st.floats(0.0, 1.0))
@settings(max_examples=20)
def test_lens_discount_applies_to_the_suspicious_readers_pairs(
    swap: bool, lens: float, two: float
) -> None:
    comp = compiled(events=FRIENDLY_BOTH_WAYS, figure1={"swap_lenses": swap})

    def evidence(ld: float, hostile: float = 0.0, friendly: float = 0.3) -> np.ndarray:
        prm = params(
            **{**QUIET, "lens_discount": ld},
            hostile_weight=hostile,
            friendly_weight=friendly,
            two_tier=two,
            member_voice=0.0,  # NATO's own reading, not its members'
        )
        s = init_state(comp, prm)
        relaxed = _relaxed(prm, s)
        _quiet_step(comp, prm, s)
        return s.L[0] - relaxed[0]

    def factor(a: str, level: float) -> float:
        # a new member, looking to NATO for protection from Russia, discounts Russia's
        # offers 2 * two_tier levels more (its security blanket)
        extra = 2.0 * two if a == "POL" else 0.0
        return 1.0 - min(1.0, lens * (level + extra))

    full, cut = evidence(0.0), evidence(lens)
    discounted, face_value = (WEST_READS, RUS_READS) if swap else (RUS_READS, WEST_READS)
    for a, b in discounted:  # Cold War mentality: twice the discount
        p = pair(comp, a, b)
        assert full[p] > 0.0
        assert cut[p] == pytest.approx(full[p] * factor(a, 2.0), rel=1e-12, abs=1e-15), (a, b)
    for a, b in face_value:
        p = pair(comp, a, b)
        assert full[p] > 0.0
        if a == "POL":
            assert cut[p] == pytest.approx(full[p] * factor(a, 0.0), rel=1e-12, abs=1e-15)
        else:
            assert cut[p] == full[p], (a, b)
    geo = pair(comp, "GEO", tables.RUS)
    hostile = evidence(lens, 0.5, 0.0), evidence(0.0, 0.5, 0.0)
    assert np.array_equal(hostile[0], hostile[1]) and hostile[0][geo] < 0.0


def test_institutional_channel_buffers_hostile_and_amplifies_friendly_on_the_dyad() -> None:
    comp = compiled(
        events=[
            event(1991, tables.RUS, "use_of_force", "GEO"),
            event(1991, tables.NATO, "joint_shield_offer", tables.RUS),
        ]
    )
    vals = {"nrc_buffer": 0.8, "nrc_share": 0.5}

    def evidence(inst: float) -> np.ndarray:
        prm = params(**QUIET, **vals)
        s = init_state(comp, prm)
        s.inst[:] = inst
        relaxed = _relaxed(prm, s)
        _quiet_step(comp, prm, s)
        return s.L[0] - relaxed[0]

    a, b = evidence(0.0), evidence(0.5)
    chan = 0.8 * 0.5 * 0.5
    nr, rn = pair(comp, tables.NATO, tables.RUS), pair(comp, tables.RUS, tables.NATO)
    geo = pair(comp, "GEO", tables.RUS)
    assert a[nr] < 0.0 < a[rn]
    assert b[nr] == pytest.approx(a[nr] * (1.0 - chan))
    assert b[rn] == pytest.approx(a[rn] * (1.0 + 0.5 * chan))
    assert b[geo] == a[geo]  # the forum is the NATO-Russia dyad only


def test_a_standing_shield_is_read_again_every_year() -> None:
    prm = params(**QUIET)
    s = init_state(BASE, prm)
    s.shield[:] = True
    relaxed = _relaxed(prm, s)
    _quiet_step(BASE, prm, s)
    rn = pair(BASE, tables.RUS, tables.NATO)
    assert s.L[0, rn] < relaxed[0, rn]
    assert s.shield.all()
    s2 = init_state(BASE, prm)
    relaxed = _relaxed(prm, s2)
    _quiet_step(BASE, prm, s2)
    assert s2.L[0, rn] == relaxed[0, rn]


def test_threat_salience_weighs_shared_threat_acts_on_a_grid() -> None:
    comp = compiled(events=[event(1992, tables.RUS, "joint_counterterrorism", tables.NATO)])
    nr = pair(comp, tables.NATO, tables.RUS)

    def evidence(shock: float) -> float:
        prm = params(**QUIET, threat_decay=0.0)
        s = init_state(comp, prm)
        _quiet_step(comp, prm, s)
        s.threat[:, THEMES.index("terrorism")] = shock
        relaxed = _relaxed(prm, s)
        _quiet_step(comp, prm, s)
        return float(s.L[0, nr] - relaxed[0, nr])

    base = evidence(0.0)
    assert base > 0.0
    assert evidence(1.0) == pytest.approx(2.0 * base)
    w = 2.0**-8
    assert evidence(0.3) == pytest.approx((1.0 + round(0.3 / w) * w) * base)
    assert evidence(-1.0) == pytest.approx(base)  # negative salience counts as none


# --- the alliance --------------------------------------------------------------------------

ALLY = BASE.pair_alliance


@given(st.floats(0.5, 0.95), st.floats(0.0, 1.0), st.floats(0.3, 0.9))
@settings(max_examples=20)
def test_allies_start_from_and_relax_toward_alliance_trust(a: float, two: float, init: float):
    prm = params(alliance_trust=a, two_tier=two, initial_trust=init)
    s = init_state(BASE, prm)
    assert ALLY.sum() == 42
    assert np.all(s.L[0, ALLY] == logit(a)) and np.all(s.base[0, ALLY] == logit(a))
    # no tier offset on the allies' pairs: Poland trusts the US like France does
    assert s.L[0, pair(BASE, "POL", "USA")] == s.L[0, pair(BASE, "FRA", "USA")]
    assert s.L[0, pair(BASE, "USA", tables.RUS)] == logit(init)
    if two > 0.0:
        assert s.L[0, pair(BASE, "POL", tables.RUS)] < logit(init)


def _members_reading(comp, s: State, i: int, d: np.ndarray) -> tuple[float, float]:
    """Voice-weighted mean and minimum of the members' readings ``d`` in replicate ``i``."""
    m = np.flatnonzero(s.member[i])
    v, x = comp.state_voice[m], d[i, comp.state_to_rus[m]]
    return float(sum(v * x) / sum(v)), float(x.min())


def test_collective_reading_is_the_voice_weighted_mean_and_the_harshest_member() -> None:
    rows = [
        {"member_voice": 1.0, "consensus": 0.0},  # the members' weighted vote
        {"member_voice": 1.0, "consensus": 1.0},  # unanimity: the harshest member
        {"member_voice": 0.375, "consensus": 0.625},
        {"member_voice": 0.0, "consensus": 1.0},  # NATO's own reading
        {"member_voice": 1.0, "consensus": 0.5},  # no members: NATO's own reading
    ]
    # Readings on a grid of 1/8, voices multiples of 1/2 and dyadic weights: every sum
    # and product is exact in any order, so the expected values are bit-exact.
    prm = param_rows(rows)
    s = init_state(BASE, prm)
    s.member[2, BASE.state_index["POL"]] = True  # Poland a member in replicate 2 only
    s.member[4] = False
    rng = np.random.default_rng(5)
    dn = -rng.integers(0, 17, (len(rows), BASE.n_pairs)) / 8.0
    dp = rng.integers(0, 17, (len(rows), BASE.n_pairs)) / 8.0
    to_rus = {c: BASE.state_to_rus[BASE.state_index[c]] for c in ("USA", "DEU", "UKR", "POL")}
    dn[:, to_rus["USA"]], dp[:, to_rus["USA"]] = -3.0, 2.5  # the most hostile reading...
    dn[:, to_rus["DEU"]], dp[:, to_rus["DEU"]] = -0.125, -0.5  # ...and the least friendly
    dn[:, to_rus["UKR"]], dp[:, to_rus["UKR"]] = -9.0, -9.0  # no member: never counted
    dn[:, to_rus["POL"]] = -4.0  # harsher than the US, where Poland is a member
    got_n, got_p = collective_reading(BASE, prm, s, dn, dp)
    assert got_n.shape == got_p.shape == (len(rows),)
    for i, row in enumerate(rows[:4]):
        mv, c = row["member_voice"], row["consensus"]
        mean_n, low_n = _members_reading(BASE, s, i, dn)
        mean_p, low_p = _members_reading(BASE, s, i, dp)
        assert (low_n, low_p) == ((-4.0 if i == 2 else -3.0), -0.5)
        want_n = (1.0 - mv) * dn[i, 0] + mv * ((1.0 - c) * mean_n + c * low_n)
        want_p = (1.0 - mv) * dp[i, 0] + mv * ((1.0 - c) * mean_p + c * low_p)
        assert (got_n[i], got_p[i]) == (want_n, want_p), row
    vote = _members_reading(BASE, s, 0, dn)[0], _members_reading(BASE, s, 0, dp)[0]
    assert (got_n[0], got_p[0]) == vote and vote[0] != dn[0, 0]
    assert (got_n[1], got_p[1]) == (-3.0, -0.5)  # from two different members
    assert (got_n[3], got_p[3]) == (dn[3, 0], dp[3, 0])
    assert (got_n[4], got_p[4]) == (dn[4, 0], dp[4, 0])


@given(
    st.floats(0.1, 1.5),
    st.floats(0.0, 3.0),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
)
@settings(max_examples=40)
def test_nato_reads_russia_through_its_members(
    hw: float, ft: float, mv: float, c: float, bb: float, nrc: float
) -> None:
    comp = HOSTILE_AND_FRIENDLY
    prm = params(
        **QUIET,
        hostile_weight=hw,
        fig_tension=ft,
        member_voice=mv,
        consensus=c,
        bilateral_buffer=bb,
        nrc_share=nrc,
        proximity=0.0,  # the members read alike (by proximity: test_members_share_...)
    )
    s = init_state(comp, prm)
    relaxed = _relaxed(prm, s)
    _quiet_step(comp, prm, s)
    ev = s.L[0] - relaxed[0]
    # In 1991 the members are the old ones: each reads Russia's use of force against
    # Georgia as a zone of tension, the key members' readings buffered.
    members = [x for x, m in zip(comp.states, s.member[0], strict=True) if m]
    assert members and all(x.tier == "old" for x in members)
    buf = 1.0 - bb * (1.0 - nrc)
    reading = {x.code: -ft * (buf if x.key_partner else 1.0) for x in members}
    voice = {x.code: x.voice for x in members}
    wmean = sum(voice[k] * v for k, v in reading.items()) / sum(voice.values())
    harshest = min(reading.values())
    assert harshest == pytest.approx(-ft)
    want = hw * ((1.0 - mv) * -ft + mv * ((1.0 - c) * wmean + c * harshest))
    assert ev[pair(comp, tables.NATO, tables.RUS)] == pytest.approx(want, rel=1e-12, abs=1e-15)


@given(SEEDS, st.integers(1, 3))
@settings(max_examples=20)
def test_cohesion_is_the_mean_trust_among_the_allies(seed: int, r: int) -> None:
    rng = np.random.default_rng(seed)
    s = init_state(BASE, params(r))
    s.L = rng.normal(0.0, 2.0, s.L.shape)
    got = cohesion(BASE, s)
    assert got.shape == (r,)
    assert got == pytest.approx(sigmoid(s.L[:, ALLY]).mean(axis=1), rel=1e-14)
    s.L[:, ~ALLY] = rng.normal(0.0, 5.0, (r, int((~ALLY).sum())))  # other pairs do not count
    assert np.array_equal(cohesion(BASE, s), got)
    s.L[:, ALLY] = logit(0.25)
    assert cohesion(BASE, s) == pytest.approx(np.full(r, 0.25), rel=1e-14)
    s.L[0, pair(BASE, "FRA", "USA")] = 0.0  # one pair of 42 at 1/2
    assert cohesion(BASE, s)[0] == pytest.approx(0.25 + 0.25 / 42, rel=1e-14)


#: A scenario with none of the allies: no member-to-member pairs.
NO_ALLIANCE = compiled(actors={"exclude": list(BASE.alliance)})


def test_without_allies_there_is_no_cohesion() -> None:
    assert NO_ALLIANCE.alliance == () and not NO_ALLIANCE.pair_alliance.any()
    assert NO_ALLIANCE.n_pairs == 2 + 2 * len(NO_ALLIANCE.states)
    assert np.array_equal(cohesion(NO_ALLIANCE, init_state(NO_ALLIANCE, params(2))), [0.0, 0.0])


@given(SEEDS, st.floats(0.0, 1.0), st.floats(0.02, 0.98))
@settings(max_examples=30)
def test_collective_acts_scale_with_consensus_and_cohesion(seed, c: float, h: float) -> None:
    rng = np.random.default_rng(seed)
    # member_voice 0: consensus then changes NATO's decisions through cohesion alone
    free, bound = (
        params(2, member_voice=0.0, consensus=0.0),
        params(2, member_voice=0.0, consensus=c),
    )
    s = init_state(BASE, free)
    s.L[0, ALLY] = logit(h)
    s.L[1, ALLY] = rng.normal(0.0, 2.0, int(ALLY.sum()))
    s.L[:, ~ALLY] = rng.normal(0.0, 1.0, (2, int((~ALLY).sum())))
    zeros = np.zeros((2, len(BASE.slots)))
    _, p0 = decide(BASE, free, s, zeros)
    _, pc = decide(BASE, bound, s, zeros)
    coll = BASE.slot_decision_pair < 0
    assert coll.any() and (~coll).any()
    agree = 1.0 - c * (1.0 - sigmoid(s.L[:, ALLY]).mean(axis=1))
    assert agree[0] == pytest.approx(1.0 - c * (1.0 - h), rel=1e-12)
    assert pc[:, coll] == pytest.approx(p0[:, coll] * agree[:, None], rel=1e-13, abs=0.0)
    assert np.array_equal(pc[:, ~coll], p0[:, ~coll])  # members' own acts need no consensus
    # without allies the alliance acts as if united
    s = init_state(NO_ALLIANCE, free)
    zeros = np.zeros((2, len(NO_ALLIANCE.slots)))
    unity = params(2, member_voice=0.0, consensus=1.0)
    assert np.array_equal(
        decide(NO_ALLIANCE, unity, s, zeros)[1], decide(NO_ALLIANCE, free, s, zeros)[1]
    )


KEY = [x.code for x in BASE.states if x.key_partner]
HOSTILE_AND_FRIENDLY_RUS = compiled(
    events=[
        event(1991, tables.RUS, "use_of_force", "GEO"),
        # friendly, read by every member (not shared-agenda business, which the
        # forum share routes: tests/model/test_routing.py)
        event(1991, tables.RUS, "joint_peacekeeping", "BIH"),
    ]
)


@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0))
@settings(max_examples=30)
def test_key_members_own_channel_buffers_russias_hostile_acts(bb: float, nrc: float) -> None:
    comp = HOSTILE_AND_FRIENDLY_RUS

    def evidence(buffer: float, hostile: float, friendly: float) -> np.ndarray:
        prm = params(
            **QUIET,
            bilateral_buffer=buffer,
            nrc_share=nrc,
            hostile_weight=hostile,
            friendly_weight=friendly,
            member_voice=0.0,
        )
        s = init_state(comp, prm)
        relaxed = _relaxed(prm, s)
        _quiet_step(comp, prm, s)
        return s.L[0] - relaxed[0]

    assert KEY == ["FRA", "GBR", "USA", "DEU"]
    hostile, unbuffered = evidence(bb, 0.5, 0.0), evidence(0.0, 0.5, 0.0)
    friendly = evidence(bb, 0.0, 0.3), evidence(0.0, 0.0, 0.3)
    for x in BASE.states:
        p = pair(comp, x.code, tables.RUS)
        assert unbuffered[p] < 0.0 and friendly[1][p] > 0.0, x.code
        want = unbuffered[p] * (1.0 - bb * (1.0 - nrc)) if x.code in KEY else unbuffered[p]
        assert hostile[p] == pytest.approx(want, rel=1e-12, abs=1e-15), x.code
        assert friendly[0][p] == friendly[1][p], x.code  # friendly acts pass unbuffered
    others = np.ones(comp.n_pairs, bool)
    others[comp.state_to_rus] = False  # NATO's own reading, Russia's, the allies'
    assert np.array_equal(hostile[others], unbuffered[others])


@given(st.floats(0.0, 1.0), st.floats(0.0, 0.5))
@settings(max_examples=30)
def test_new_members_discount_russias_offers_by_two_tier(two: float, ld: float) -> None:
    comp = HOSTILE_AND_FRIENDLY_RUS

    def evidence(discount: float, hostile: float, friendly: float) -> np.ndarray:
        prm = params(
            **{**QUIET, "lens_discount": discount},
            two_tier=two,
            hostile_weight=hostile,
            friendly_weight=friendly,
            member_voice=0.0,
        )
        s = init_state(comp, prm)
        relaxed = _relaxed(prm, s)
        _quiet_step(comp, prm, s)
        return s.L[0] - relaxed[0]

    full, cut = evidence(0.0, 0.0, 0.3), evidence(ld, 0.0, 0.3)
    old = full[pair(comp, "ESP", tables.RUS)]
    assert old > 0.0 and cut[pair(comp, "ESP", tables.RUS)] == old  # NATO's face-value lens
    security_blanket = 1.0 - min(1.0, ld * 2.0 * two)
    for code in ("CZE", "HUN", "POL", "EST", "SWE"):  # tier "new", members or not yet
        p = pair(comp, code, tables.RUS)
        assert full[p] == pytest.approx(old * (1.0 - 0.5 * two), rel=1e-12), code
        assert cut[p] == pytest.approx(full[p] * security_blanket, rel=1e-12, abs=1e-15), code
    for code in ("UKR", "GEO"):  # aspirants: no security blanket yet
        assert cut[pair(comp, code, tables.RUS)] == full[pair(comp, code, tables.RUS)]
    hostile = evidence(ld, 0.5, 0.0), evidence(0.0, 0.5, 0.0)
    assert np.array_equal(hostile[0], hostile[1])  # hostile acts are never discounted


@pytest.mark.parametrize(
    "figure1",
    [{"swap_lenses": True}, {"drop": ["N.perception.non_zero_sum"]}],
    ids=["swapped", "no-face-value"],
)
def test_allies_do_not_read_each_other_with_the_lens_for_russia(figure1) -> None:
    comp = compiled(
        1999, 2001, events=[event(1999, "USA", "missile_shield_deployment", "POL")], figure1=figure1
    )

    def evidence(ld: float) -> np.ndarray:
        prm = params(**{**QUIET, "lens_discount": ld}, hostile_weight=0.0, friendly_weight=0.3)
        s = init_state(comp, prm)
        relaxed = _relaxed(prm, s)
        _quiet_step(comp, prm, s)
        return s.L[0] - relaxed[0]

    full, cut = evidence(0.0), evidence(0.4)
    host = pair(comp, "POL", "USA")  # Poland welcomes the shield: its protection
    assert full[host] > 0.0
    assert cut[host] == full[host]


# --- batches -------------------------------------------------------------------------------

PARAM_SETS = st.fixed_dictionaries({p.name: st.floats(p.low, p.high) for p in P.PARAMS})


@given(st.data(), st.integers(1, 8))
@settings(max_examples=15, deadline=None)
def test_a_replicate_is_the_same_in_any_batch_at_any_position(data, size: int) -> None:
    i = data.draw(st.integers(0, size - 1), label="position")
    seeds = data.draw(st.lists(SEEDS, min_size=size, max_size=size), label="seeds")
    prms = data.draw(st.lists(PARAM_SETS, min_size=size, max_size=size), label="params")
    batch = simulate(HIST, P.param_arrays(prms), stack_noise([draw_noise(s, HIST) for s in seeds]))
    alone = simulate(HIST, P.param_arrays([prms[i]]), stack_noise([draw_noise(seeds[i], HIST)]))
    assert np.array_equal(batch.trust[i], alone.trust[0])
    assert np.array_equal(batch.chosen[i], alone.chosen[0])


@given(SEEDS, st.integers(2, 6))
@settings(max_examples=10, deadline=None)
def test_one_run_repeated_fills_its_batch_with_copies(seed: int, size: int) -> None:
    noise = stack_noise([draw_noise(seed, HIST)] * size)
    t = simulate(HIST, params(size), noise)
    assert all(np.array_equal(t.trust[0], t.trust[j]) for j in range(1, size))
    assert t.trust.shape == (size, len(HIST.years), HIST.n_pairs)
    assert t.chosen.shape == (size, len(HIST.years), len(HIST.slots))
    assert np.all((t.trust > 0.0) & (t.trust < 1.0))


def test_simulate_records_each_years_trust_and_choices() -> None:
    prm = params(2)
    noise = stack_noise([draw_noise(s, HIST) for s in (3, 4)])
    traj = simulate(HIST, prm, noise)
    s = init_state(HIST, prm, noise.q)
    for t in range(len(HIST.years)):
        occ = step(HIST, prm, s, noise.u[:, t], noise.z[:, t])
        assert np.array_equal(traj.chosen[:, t], occ)
        assert np.array_equal(traj.trust[:, t], sigmoid(s.L))
