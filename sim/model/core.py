"""The model's arithmetic: one simulated year for many replicates at once.

State is held as arrays with a leading replicate axis ``R``. One year is:

1. **shocks** — shared-threat salience decays and scheduled shocks add to it;
   a new leader in Moscow or Washington (scheduled, or drawn from
   ``turnover_from``) pulls the beliefs it concerns toward their anchor, and
   Moscow's scheduled changes shift Russian assertiveness; candidates' own turns
   move their orientation and their trust with Russia;
2. **decide** — every choice slot (actor, action, target) is taken with a
   probability from its base rate, the chooser's trust in the other side, threat
   salience, the levers, the reassurance game (new beginnings likelier with the
   addressee's distrust and the accumulated confrontation), reciprocity and the
   state (masks for forbidden, scheduled-only or impossible acts; NATO's
   collective acts scaled by the alliance's cohesion under consensus), against a
   uniform number drawn up front for that run;
3. **perceive** — each act moves trust pairs through its perception template
   (from the Figure 1 rules, and the allies' readings of each other), with
   institutional channel, lens, two-tier and key-member multipliers and NATO's
   reading of Russia through its members; a standing missile shield is read
   again every year; the confrontation and the year's readings are kept;
4. **update** — trust log-odds relax toward a baseline (memory), take the
   year's evidence (hostile reads weighted more than friendly ones, expected
   news discounted) and a small drawn shock; the baseline itself drifts toward
   lasting experience (hysteresis);
5. **effects** — acts change the world (membership, promises, the shield, the
   NATO-Russia forum).

Only elementwise operations, exact matrix products (see :mod:`sim.model.compile`)
and reductions in a fixed order touch the replicate axis, so each replicate's
numbers are the same whatever batch it is computed in. The Mesa model
(:mod:`sim.model.mesa_model`) runs this same code with ``R = 1``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from sim.model.compile import Compiled, Effect
from sim.model.readings import COMPONENTS as COMPONENT_PARAMS
from sim.model.templates import WEIGHT_GRID

#: Offsets of initial and baseline log-odds for particular pairs (model design,
#: see docs/ODD.md): the post-Cold-War members (tier "new": central-eastern,
#: Baltic, Balkan and, for scenarios past 2012, Nordic accessions) start warier of
#: Russia (for most, Warsaw Pact or Soviet memory), Russia starts warier of them,
#: and aspirants sit in Russia's shadow.
#: These are hand-set numbers (counted as such by ``natosim evaluate``); a compiled
#: scenario may carry its own values in ``Compiled.offsets`` (robustness draws).
OFFSETS: dict[str, float] = {
    "NEW_READER_INITIAL": -0.4,
    "NEW_READER_TIER": -0.6,
    "RUS_TO_NEW_INITIAL": -0.3,
    "ASPIRANT_INITIAL": -0.3,
    "NEW_READER_BASELINE_TIER": -0.6,
}
THREAT_WEIGHT = 1.5  # log-odds of joint action per unit of threat salience
#: Leaderships whose change is drawn (Moscow, Washington), in scenario.LEADERS order.
N_LEADERS = 2
#: A state's own turn moves its trust in Russia, and Russia's in it, by this share of
#: the turn's magnitude (log-odds; hand-set, see docs/ODD.md).
DOMESTIC_SHIFT = 0.5


def logit(p: np.ndarray | float) -> np.ndarray:
    """Log-odds of a probability."""
    p = np.asarray(p, dtype=np.float64)
    return np.log(p) - np.log1p(-p)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Logistic function (inverse of :func:`logit`)."""
    return 1.0 / (1.0 + np.exp(-x))


@dataclass
class State:
    """Mutable state of ``R`` replicates at the start of year index ``t``."""

    t: int
    L: np.ndarray  # (R, P) trust log-odds
    base: np.ndarray  # (R, P) baseline log-odds
    member: np.ndarray  # (R, S) bool
    promised: np.ndarray  # (R, S) bool
    shield: np.ndarray  # (R,) bool
    inst: np.ndarray  # (R,) NATO-Russia forum strength in [0, 1]
    threat: np.ndarray  # (R, n_themes)
    assertive: np.ndarray  # (R,)
    exposure: np.ndarray  # (R, S) share of the alliance's hostile acts blamed on each member
    weights: np.ndarray  # (R, G) weight of each template group (parameters, question marks)
    anchor: np.ndarray  # (R, P) long-run anchor of trust log-odds (the starting baseline)
    cost: np.ndarray  # (R,) confrontation accumulated between NATO and Russia
    orient: np.ndarray  # (R, S) each state's own westward (+) or eastward (-) turn
    last_n: np.ndarray  # (R, P) hostility each observer read in its target last year (<= 0)
    last_p: np.ndarray  # (R, P) friendliness each observer read in its target last year


@dataclass(frozen=True)
class Noise:
    """Every random number of one run (or, stacked, of a batch), drawn up front.

    Attributes:
        u: Uniforms ``(T, K + 2)`` (batch: ``(R, T, K + 2)``): the year's choices, then its
            two leadership draws.
        z: Standard normals ``(T, P)`` for the yearly trust shocks.
        q: Uniforms ``(n_q,)``: the run's weights of the question-marked Figure 1 entries.
    """

    u: np.ndarray
    z: np.ndarray
    q: np.ndarray


def draw_noise(seed: int, comp: Compiled) -> Noise:
    """All random numbers one run uses, drawn up front from its own generator.

    Args:
        seed: The run's seed.
        comp: The compiled scenario (fixes the shapes).
    """
    return noise_from(np.random.default_rng(seed), comp)


def noise_from(rng: np.random.Generator, comp: Compiled) -> Noise:
    """Draw one run's random numbers from a given generator (see :func:`draw_noise`).

    First the weights of the question-marked entries, then one block of
    uniforms per year — that year's choice uniforms and its two leadership draws
    (Moscow, Washington; ``u[:, K:]``), then the uniforms of its trust shocks,
    made normal by the Box–Muller transform. A scenario that only runs longer
    therefore sees the same numbers in its earlier years.
    """
    t, k, p = len(comp.years), len(comp.slots) + N_LEADERS, comp.n_pairs
    q = rng.random(len(comp.question_entries))
    half = (p + 1) // 2
    block = rng.random((t, k + 2 * half))
    u = block[:, :k]
    radius = np.sqrt(-2.0 * np.log1p(-block[:, k : k + half]))
    angle = 2.0 * np.pi * block[:, k + half :]
    z = np.concatenate([radius * np.cos(angle), radius * np.sin(angle)], axis=1)[:, :p]
    return Noise(u, z, q)


def stack_noise(noises: Sequence[Noise]) -> Noise:
    """The noise of a batch: each array gains a leading replicate axis."""
    return Noise(
        np.stack([n.u for n in noises]),
        np.stack([n.z for n in noises]),
        np.stack([n.q for n in noises]).reshape(len(noises), -1),
    )


def group_weights(comp: Compiled, prm: dict[str, np.ndarray], q: np.ndarray) -> np.ndarray:
    """Weight ``(R, G)`` of each template group for each replicate.

    A group's weight is its component's parameter (a question-marked entry: its
    drawn weight times ``fig_cooperation``; an override: 1) times its modifier:
    ``0.4 + nato_globalism`` for Russia reading NATO's reach, ``0.7 +
    sg_entrepreneurship`` for Russia reading NATO's cooperative initiatives.
    """
    r = prm["memory"].shape[0]
    out = np.ones((r, len(comp.groups)))
    for g, grp in enumerate(comp.groups):
        if grp.component.startswith("q:"):
            qi = comp.question_entries.index(grp.component[2:])
            out[:, g] = q[:, qi] * prm["fig_cooperation"]
        elif COMPONENT_PARAMS[grp.component]:
            out[:, g] = prm[COMPONENT_PARAMS[grp.component]]
        if grp.modifier == "global":
            out[:, g] *= 0.4 + prm["nato_globalism"]
        elif grp.modifier == "sg":
            out[:, g] *= 0.7 + prm["sg_entrepreneurship"]
    return out


def init_state(comp: Compiled, prm: dict[str, np.ndarray], q: np.ndarray | None = None) -> State:
    """Initial state for replicates with parameter arrays ``prm`` (each ``(R,)``).

    ``q`` holds the replicates' question-mark weights ``(R, n_q)`` (default 1/2).
    """
    r = prm["initial_trust"].shape[0]
    if q is None:
        q = np.full((r, len(comp.question_entries)), 0.5)
    p = comp.n_pairs
    two = prm["two_tier"][:, None]
    off = {**OFFSETS, **(comp.offsets or {})}
    lo = np.broadcast_to(logit(prm["initial_trust"])[:, None], (r, p)).copy()
    lo[:, comp.pair_new_reader] += off["NEW_READER_INITIAL"] + off["NEW_READER_TIER"] * two
    rus_new = comp.rus_to_state[comp.state_new & ~comp.state_aspirant]
    lo[:, rus_new] += off["RUS_TO_NEW_INITIAL"]
    lo[:, comp.pair_aspirant_reader] += off["ASPIRANT_INITIAL"]
    base = np.broadcast_to(logit(prm["baseline_trust"])[:, None], (r, p)).copy()
    base[:, comp.pair_new_reader] += off["NEW_READER_BASELINE_TIER"] * two
    base[:, comp.pair_aspirant_reader] += off["ASPIRANT_INITIAL"]
    ally = comp.pair_alliance
    if ally.any():  # allies start from, and relax toward, their own level of trust
        lo[:, ally] = logit(prm["alliance_trust"])[:, None]
        base[:, ally] = logit(prm["alliance_trust"])[:, None]
    member = np.broadcast_to(comp.member0, (r, len(comp.states))).copy()
    exposure = 1.0 - comp.state_key[None, :] * (1.0 - prm["nrc_share"][:, None]) * 0.5
    return State(
        t=0,
        L=lo,
        base=base,
        member=member,
        promised=member.copy(),
        shield=np.zeros(r, bool),
        inst=np.zeros(r),
        threat=np.zeros((r, comp.threat_shock.shape[1])),
        assertive=prm["rus_assertiveness"].copy(),
        exposure=exposure,
        weights=group_weights(comp, prm, q),
        anchor=base.copy(),
        cost=np.zeros(r),
        orient=np.zeros((r, len(comp.states))),
        last_n=np.zeros((r, p)),
        last_p=np.zeros((r, p)),
    )


def nato_decision_trust(comp: Compiled, prm: dict[str, np.ndarray], st: State) -> np.ndarray:
    """NATO's collective trust in Russia as used for its decisions, ``(R,)``.

    The alliance's own view is blended with its current members' views: a
    vote-weighted mean and, with weight ``consensus``, the most distrustful
    member (unanimity). Summed member by member in a fixed order.
    """
    own = st.L[:, 0]
    wl = np.zeros_like(own)
    ws = np.zeros_like(own)
    lowest = np.full_like(own, np.inf)
    for s in range(len(comp.states)):  # every state: aspirants may join in a scenario
        m = st.member[:, s]
        li = st.L[:, comp.state_to_rus[s]]
        w = comp.state_voice[s] * m
        wl = wl + w * li
        ws = ws + w
        lowest = np.where(m, np.minimum(lowest, li), lowest)
    wmean = np.where(ws > 0, wl / np.where(ws > 0, ws, 1.0), own)
    lowest = np.where(np.isinf(lowest), own, lowest)
    members = (1.0 - prm["consensus"]) * wmean + prm["consensus"] * lowest
    return (1.0 - prm["member_voice"]) * own + prm["member_voice"] * members


def _collective_reading(
    comp: Compiled, prm: dict[str, np.ndarray], st: State, dn: np.ndarray, dp: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """NATO's hostile and friendly evidence on Russia, formed with its members, ``(R,)`` each.

    The members' evidence on their own trust in Russia, weighted by voice (and,
    with weight ``consensus``, the harshest member's: the most hostile reading
    and the least friendly), is blended with the alliance's own by
    ``member_voice``. Summed member by member in a fixed order.
    """
    own_n, own_p = dn[:, 0], dp[:, 0]
    sum_n = np.zeros_like(own_n)
    sum_p = np.zeros_like(own_p)
    ws = np.zeros_like(own_n)
    low_n = np.full_like(own_n, np.inf)
    low_p = np.full_like(own_p, np.inf)
    for s in range(len(comp.states)):
        m = st.member[:, s]
        j = comp.state_to_rus[s]
        w = comp.state_voice[s] * m
        sum_n = sum_n + w * dn[:, j]
        sum_p = sum_p + w * dp[:, j]
        ws = ws + w
        low_n = np.where(m, np.minimum(low_n, dn[:, j]), low_n)
        low_p = np.where(m, np.minimum(low_p, dp[:, j]), low_p)
    has = ws > 0
    safe = np.where(has, ws, 1.0)
    cons = prm["consensus"]
    coll_n = np.where(has, (1.0 - cons) * sum_n / safe + cons * np.where(has, low_n, 0.0), own_n)
    coll_p = np.where(has, (1.0 - cons) * sum_p / safe + cons * np.where(has, low_p, 0.0), own_p)
    mv = prm["member_voice"]
    return (1.0 - mv) * own_n + mv * coll_n, (1.0 - mv) * own_p + mv * coll_p


def cohesion(comp: Compiled, st: State) -> np.ndarray:
    """The alliance's cohesion ``(R,)``: mean trust among the members that hold it.

    Summed pair by pair in a fixed order.
    """
    idx = np.flatnonzero(comp.pair_alliance)
    acc = np.zeros(st.L.shape[0])
    for j in idx:
        acc = acc + sigmoid(st.L[:, j])
    return acc / max(len(idx), 1)


def _requirements(comp: Compiled, st: State) -> np.ndarray:
    """Which choice slots are possible now, ``(R, K)`` (one vector step per requirement)."""
    r, k = st.L.shape[0], len(comp.slots)
    ok = np.ones((r, k), bool)
    for req, idx in comp.slot_requirement_index.items():
        t = comp.slot_target_state[idx]
        has = t >= 0
        if req in ("target_not_member", "target_member", "target_promised", "target_not_promised"):
            arr = st.member if "member" in req else st.promised
            want = req.startswith("target_not")
            ok[:, idx[has]] &= arr[:, t[has]] != want
            if not want:  # the target must be a state
                ok[:, idx[~has]] = False
        elif req == "actor_not_member":
            a = comp.slot_actor_state[idx]
            ok[:, idx[a >= 0]] &= ~st.member[:, a[a >= 0]]
        elif req == "shield_on":
            ok[:, idx] &= st.shield[:, None]
        elif req == "institution_on":
            ok[:, idx] &= (st.inst > 0.05)[:, None]
        else:  # "institution_low"; compile_scenario rejects unknown requirements
            ok[:, idx] &= (st.inst < 0.5)[:, None]
    return ok


def _salience(theme_idx: np.ndarray, threat: np.ndarray) -> np.ndarray:
    """Occurrence weight of shared-threat acts: 1 + salience, on an exact grid."""
    r = threat.shape[0]
    w = np.ones((r, theme_idx.shape[0]))
    has = theme_idx >= 0
    if has.any():
        w[:, has] = 1.0 + np.round(np.maximum(threat[:, theme_idx[has]], 0.0) / WEIGHT_GRID) * (
            WEIGHT_GRID
        )
    return w


def decide(
    comp: Compiled, prm: dict[str, np.ndarray], st: State, u: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Which choice slots are taken this year.

    Args:
        comp: Compiled scenario.
        prm: Parameter arrays ``(R,)``.
        st: State at the start of the year (after shocks).
        u: Uniform draws ``(R, K + 2)`` for this year (the choices come first).

    Returns:
        ``(occ, prob)``: taken slots ``(R, K)`` bool and their probabilities.
    """
    k = len(comp.slots)
    r = st.L.shape[0]
    if k == 0:
        return np.zeros((r, 0), bool), np.zeros((r, 0))
    dp = comp.slot_decision_pair
    ldec = st.L[:, np.where(dp >= 0, dp, 0)]
    if (dp < 0).any():
        ldec[:, dp < 0] = nato_decision_trust(comp, prm, st)[:, None]
    # Trust enters choices bounded, as 4 * (trust - 1/2) in [-2, 2]: very low
    # trust makes hostile acts likelier but cannot make them certain.
    ldec = 4.0 * (sigmoid(ldec) - 0.5)
    lev = comp.slot_lever
    score = (
        comp.slot_base[None, :]
        + prm["activity"][:, None]
        + comp.slot_stance[None, :]
        * prm["trust_sensitivity"][:, None]
        * ldec
        * (1.0 - comp.slot_declining[None, :] * prm["lens_declining"][:, None])
        + lev[None, :, 0] * (prm["sg_entrepreneurship"][:, None] - 0.5)
        + lev[None, :, 1] * (prm["nrc_share"][:, None] - 0.5)
        + lev[None, :, 2] * (prm["nato_globalism"][:, None] - 0.5)
        + comp.slot_rus_hostile[None, :] * st.assertive[:, None]
    )
    th = comp.slot_theme
    if (th >= 0).any():
        score[:, th >= 0] += THREAT_WEIGHT * np.maximum(st.threat[:, th[th >= 0]], 0.0)
    tgt = comp.slot_target_state
    bonus = comp.slot_promise_bonus != 0
    if bonus.any():
        has_t = bonus & (tgt >= 0)
        courted = st.promised[:, tgt[has_t]] & ~st.member[:, tgt[has_t]]
        score[:, has_t] += comp.slot_promise_bonus[has_t] * courted
    score += _reassurance(comp, prm, st)
    score += _reciprocity(comp, prm, st)
    og = comp.slot_orient_state
    if (og >= 0).any():  # a state's own turn west makes it, and NATO, seek membership
        score[:, og >= 0] += st.orient[:, og[og >= 0]]
    ok = _requirements(comp, st) & comp.slot_allowed[st.t][None, :]
    prob = np.where(ok, sigmoid(score), 0.0)
    collective = dp < 0
    if collective.any() and comp.pair_alliance.any():
        # A collective act needs the members to agree: under consensus a divided
        # alliance acts less (the chance scales with its cohesion).
        agree = 1.0 - prm["consensus"] * (1.0 - cohesion(comp, st))
        prob[:, collective] *= agree[:, None]
    return u[:, :k] < prob, prob


def _reassurance(comp: Compiled, prm: dict[str, np.ndarray], st: State) -> np.ndarray:
    """The reassurance game's terms of the choice scores, ``(R, K)`` (Kydd 2005).

    A new-beginning act (a reset, a forum, a shield offer, a deal, engagement)
    becomes likelier the more the addressee distrusts the chooser — a security
    seeker reassures a rival who doubts it, with a costly signal an expansionist
    would not send — and the more confrontation has accumulated between NATO and
    Russia (the rising cost of confrontation).
    """
    r, k = st.L.shape[0], len(comp.slots)
    out = np.zeros((r, k))
    nb = comp.slot_new_beginning
    if not nb.any():
        return out
    rev = comp.slot_reverse_pair
    has = nb & (rev >= 0)
    doubt = np.maximum(0.0, 4.0 * (0.5 - sigmoid(st.L[:, rev[has]])))
    out[:, has] += prm["reassurance"][:, None] * doubt
    out[:, nb] += (prm["confrontation_cost"] * st.cost)[:, None]
    return out


def _reciprocity(comp: Compiled, prm: dict[str, np.ndarray], st: State) -> np.ndarray:
    """Answer in kind (Goldstein 1991), ``(R, K)``.

    Last year's hostility read in the target makes a hostile act likelier, its
    friendliness a cooperative one.
    """
    dp = comp.slot_decision_pair
    pair = np.where(dp >= 0, dp, 0)  # NATO's collective choices answer Russia's acts
    sign = np.sign(comp.slot_stance)[None, :]
    heard = np.where(sign < 0, -st.last_n[:, pair], np.where(sign > 0, st.last_p[:, pair], 0.0))
    return prm["reciprocity"][:, None] * heard


def _leadership(comp: Compiled, prm: dict[str, np.ndarray], st: State, u: np.ndarray) -> None:
    """New leaders, scheduled or drawn: both sides look at the relationship afresh.

    A change in Moscow (or Washington) moves the beliefs of every pair it is in,
    and their baselines, back toward their long-run anchor by ``turnover_reset``;
    a scheduled change in Moscow also adds its magnitude to Russian
    assertiveness, a drawn one returns assertiveness to ``rus_assertiveness``.
    """
    ti = st.t
    k = len(comp.slots)
    drawn = np.zeros((st.L.shape[0], N_LEADERS), bool)
    if ti >= comp.turnover_from:
        drawn = u[:, k : k + N_LEADERS] < prm["turnover_rate"][:, None]
    changed = comp.leader_change[ti][None, :] | drawn
    st.assertive = st.assertive + comp.leadership_shock[ti]
    st.assertive = np.where(drawn[:, 0], prm["rus_assertiveness"], st.assertive)
    tau = prm["turnover_reset"][:, None]
    for i in range(N_LEADERS):
        if not changed[:, i].any():
            continue
        mask = comp.leader_pairs[i][None, :] & changed[:, i : i + 1]
        st.L = np.where(mask, st.L + tau * (st.anchor - st.L), st.L)
        st.base = np.where(mask, st.base + tau * (st.anchor - st.base), st.base)


def _domestic(comp: Compiled, st: State) -> None:
    """Candidate states' own turns (colour revolutions westward, or back eastward)."""
    dom = comp.domestic_shock[st.t]
    if not dom.any():
        return
    st.orient = st.orient + dom[None, :]
    st.L[:, comp.state_to_rus] -= DOMESTIC_SHIFT * dom[None, :]
    st.L[:, comp.rus_to_state] -= DOMESTIC_SHIFT * dom[None, :]


def _apply_effects(st: State, effects: Sequence[Effect], occ: np.ndarray) -> None:
    """Change the world for the acts that happened (``occ`` columns match ``effects``)."""
    for j, kind, size, targets in effects:
        hit = occ[:, j]
        if not hit.any():
            continue
        if kind == "member":
            for s in targets:
                st.member[:, s] |= hit
                st.promised[:, s] |= hit
        elif kind == "promise":
            for s in targets:
                st.promised[:, s] |= hit
        elif kind == "shield_on":
            st.shield |= hit
        elif kind == "shield_off":
            st.shield &= ~hit
        elif size >= 0:  # institution
            st.inst = np.where(hit, np.minimum(1.0, st.inst + size), st.inst)
        else:
            st.inst = np.where(hit, st.inst * (1.0 + size), st.inst)


def step(
    comp: Compiled,
    prm: dict[str, np.ndarray],
    st: State,
    u: np.ndarray,
    z: np.ndarray,
) -> np.ndarray:
    """Advance all replicates by one simulated year, in place.

    Args:
        comp: Compiled scenario.
        prm: Parameter arrays ``(R,)``.
        st: State at the start of year index ``st.t``; updated in place.
        u: Uniforms ``(R, K + 2)``: this year's choices and leadership draws.
        z: Standard normals ``(R, P)`` for this year's trust shocks.

    Returns:
        The chosen slots ``(R, K)`` (bool).
    """
    ti = st.t
    r, p = st.L.shape
    w_ = comp.width
    # 1. shocks
    st.threat = st.threat * (1.0 - prm["threat_decay"][:, None]) + comp.threat_shock[ti][None, :]
    _leadership(comp, prm, st, u)
    _domestic(comp, st)
    # 2. decide
    occ, _ = decide(comp, prm, st, u)
    # 3. perceive (exact sums: templates and weights live on dyadic grids)
    g = len(comp.groups)
    used = np.zeros((r, comp.template_columns.size))
    if occ.shape[1]:
        used += (occ * _salience(comp.slot_theme, st.threat)) @ comp.slot_template
    sched = comp.sched[ti]
    if sched:
        used += _salience(comp.sched_theme[ti], st.threat) @ comp.sched_template[ti]
    if st.shield.any():
        used += st.shield[:, None] * comp.standing_shield[None, :]
    acc = np.zeros((r, g * w_))
    acc[:, comp.template_columns] = used
    acc = acc.reshape(r, g, w_)
    neg = np.zeros((r, w_))
    pos = np.zeros((r, w_))
    for gi, grp in enumerate(comp.groups):  # fixed order: a replicate's sum never varies
        if grp.sign < 0:
            neg += acc[:, gi] * st.weights[:, gi : gi + 1]
        else:
            pos += acc[:, gi] * st.weights[:, gi : gi + 1]
    spill = prm["alliance_spill"][:, None]
    dn = neg[:, :p].copy()
    dp = pos[:, :p].copy()
    dn[:, comp.rus_to_state] += neg[:, w_ - 2 : w_ - 1] * spill * st.member * st.exposure
    dp[:, comp.rus_to_state] += pos[:, w_ - 2 : w_ - 1] * spill * st.member
    dn[:, 1] += neg[:, w_ - 1] * spill[:, 0]
    dp[:, 1] += pos[:, w_ - 1] * spill[:, 0]
    two = prm["two_tier"][:, None]
    nr = comp.pair_new_reader
    dn[:, nr] *= 1.0 + two
    dp[:, nr] *= 1.0 - 0.5 * two
    # A suspicious reader discounts the other's cooperative offers (its lens); the
    # new members, who look to NATO for protection from Russia, more so (two-tier).
    level = comp.pair_discount[None, :] + 2.0 * two * nr[None, :]
    dp *= 1.0 - np.minimum(1.0, prm["lens_discount"][:, None] * level)
    # The key members deal with Moscow bilaterally: the more of the agenda outside
    # the forum, the more their own channel absorbs Russia's hostile acts.
    key = comp.state_to_rus[comp.state_key]
    dn[:, key] *= 1.0 - (prm["bilateral_buffer"] * (1.0 - prm["nrc_share"]))[:, None]
    # The alliance reads Russia through its members: their voice-weighted reading,
    # and under consensus the harshest one, blended into NATO's own.
    dn[:, 0], dp[:, 0] = _collective_reading(comp, prm, st, dn, dp)
    chan = (prm["nrc_buffer"] * st.inst * prm["nrc_share"])[:, None]
    dyad = comp.pair_dyad
    dn[:, dyad] *= 1.0 - chan
    dp[:, dyad] *= 1.0 + 0.5 * chan
    # Confrontation accumulates with the hostility NATO and Russia read in each
    # other, fades, and a new beginning releases most of it.
    new_start = comp.sched_new_beginning[ti] | (occ[:, comp.slot_new_beginning].any(axis=1))
    st.cost = (1.0 - prm["cost_decay"]) * st.cost - dn[:, 0] - dn[:, 1]
    st.cost = np.where(new_start, st.cost * (1.0 - prm["cost_relief"]), st.cost)
    st.last_n, st.last_p = dn.copy(), dp.copy()
    # Expected acts carry less news: a friendly act from a trusted partner (or a
    # hostile one from a distrusted rival) is weighted by how surprising it is.
    surprise = prm["surprise"][:, None] * (2.0 * sigmoid(st.L) - 1.0)
    evidence = prm["hostile_weight"][:, None] * dn * (1.0 + surprise)
    evidence += prm["friendly_weight"][:, None] * dp * (1.0 - surprise)
    # 4. update
    keep = (1.0 - prm["memory"])[:, None]
    st.L = st.base + (st.L - st.base) * keep + evidence + prm["noise"][:, None] * z
    # Hysteresis: the baseline itself drifts toward lasting experience, so a long
    # estrangement is not forgotten as if it had been a passing shock.
    st.base = st.base + prm["baseline_drift"][:, None] * (st.L - st.base)
    # 5. effects
    _apply_effects(st, comp.slot_effects, occ)
    if sched:
        _apply_effects(st, comp.sched_effects[ti], np.ones((r, len(sched)), bool))
    st.t += 1
    return occ


@dataclass
class Trajectories:
    """Result arrays of a batch of replicates."""

    trust: np.ndarray  # (R, T, P) trust in (0, 1)
    chosen: np.ndarray  # (R, T, K) bool


def simulate(comp: Compiled, prm: dict[str, np.ndarray], noise: Noise) -> Trajectories:
    """Run every year for a batch of replicates.

    Args:
        comp: Compiled scenario.
        prm: Parameter arrays, each ``(R,)``.
        noise: The batch's random numbers (:func:`stack_noise`).

    Returns:
        Trust for every replicate, year and pair, and the chosen slots.
    """
    # Small matrix products: threaded BLAS only adds contention (measured 20x
    # slower with 2 threads on a busy 2-core machine), so use one thread.
    with threadpool_limits(limits=1, user_api="blas"):
        return _simulate(comp, prm, noise)


def _simulate(comp: Compiled, prm: dict[str, np.ndarray], noise: Noise) -> Trajectories:
    u, z = noise.u, noise.z
    st = init_state(comp, prm, noise.q)
    n_t = len(comp.years)
    r = st.L.shape[0]
    trust = np.empty((r, n_t, comp.n_pairs))
    chosen = np.empty((r, n_t, len(comp.slots)), bool)
    for ti in range(n_t):
        chosen[:, ti] = step(comp, prm, st, u[:, ti], z[:, ti])
        trust[:, ti] = sigmoid(st.L)
    return Trajectories(trust, chosen)
