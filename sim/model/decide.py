"""Which acts each actor chooses this year (sub-step 2 of a year; docs/ODD.md §4.12).

Every choice slot's log-odds: its base rate, the chooser's trust in the other
side, the levers, threat salience, promises, Russian assertiveness, the
reassurance game (Kydd 2005), reciprocity (Goldstein 1991), own turns — masked
by what the world allows — against a uniform drawn up front for that run.
"""

from __future__ import annotations

import numpy as np

from sim.model.compile import Compiled
from sim.model.state import FORUM_OPEN, THREAT_WEIGHT, State, sigmoid
from sim.model.templates import WEIGHT_GRID
from sim.model.voices import over_members

#: Every choice slot (the default selection of :func:`chances` and its terms).
SLOTS = slice(None)


def nato_decision_trust(comp: Compiled, prm: dict[str, np.ndarray], st: State) -> np.ndarray:
    """NATO's collective trust in Russia as used for its decisions, ``(R,)``.

    The alliance's own view is blended with its current members' views: a
    vote-weighted mean and, with weight ``consensus``, the most distrustful
    member (unanimity). Summed member by member in a fixed order.
    """
    own = st.L[:, 0]
    # every state: aspirants may join in a scenario
    (wl,), ws, (lowest,) = over_members(comp.state_voice, st.member, [st.L[:, comp.state_to_rus]])
    wmean = np.where(ws > 0, wl / np.where(ws > 0, ws, 1.0), own)
    lowest = np.where(np.isinf(lowest), own, lowest)
    members = (1.0 - prm["consensus"]) * wmean + prm["consensus"] * lowest
    return (1.0 - prm["member_voice"]) * own + prm["member_voice"] * members


def cohesion(comp: Compiled, st: State) -> np.ndarray:
    """The alliance's cohesion ``(R,)``: mean trust among the members that hold it.

    Summed pair by pair in a fixed order.
    """
    idx = np.flatnonzero(comp.pair_alliance)
    held = np.ascontiguousarray(sigmoid(st.L[:, idx]).T)  # pair-major (n, R)
    acc = np.zeros(st.L.shape[0])
    for row in held:
        acc = acc + row
    return acc / max(len(idx), 1)


def requirements(comp: Compiled, st: State) -> np.ndarray:
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
            ok[:, idx] &= (st.inst > FORUM_OPEN)[:, None]
        else:  # "institution_low"; compile_scenario rejects unknown requirements
            ok[:, idx] &= (st.inst < 0.5)[:, None]
    return ok


def salience(theme_idx: np.ndarray, threat: np.ndarray) -> np.ndarray:
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
    prob = np.zeros((r, k))
    # Only the slots this year allows (not forbidden, not scheduled-only) have a chance.
    cols = np.flatnonzero(comp.slot_allowed[st.t]) if k else np.zeros(0, np.intp)
    if cols.size:
        prob[:, cols] = chances(comp, prm, st, cols)
    return u[:, :k] < prob, prob


def chances(
    comp: Compiled, prm: dict[str, np.ndarray], st: State, cols: np.ndarray | slice = SLOTS
) -> np.ndarray:
    """The probability of each of the slots ``cols`` this year, ``(R, len(cols))``.

    From the slot's score (base rate, trust, levers, threat, promises, Russian
    assertiveness, reassurance, reciprocity, own turns), zero where a
    requirement fails; NATO's collective acts scaled by the alliance's cohesion
    under consensus. Computed column by column, so any selection of slots gets
    the same numbers.
    """
    dp = comp.slot_decision_pair[cols]
    ldec = st.L[:, np.where(dp >= 0, dp, 0)]
    if (dp < 0).any():
        ldec[:, dp < 0] = nato_decision_trust(comp, prm, st)[:, None]
    # Trust enters choices bounded, as 4 * (trust - 1/2) in [-2, 2]: very low
    # trust makes hostile acts likelier but cannot make them certain.
    ldec = 4.0 * (sigmoid(ldec) - 0.5)
    lev = comp.slot_lever[cols]
    score = (
        comp.slot_base[cols][None, :]
        + prm["activity"][:, None]
        + comp.slot_stance[cols][None, :]
        * prm["trust_sensitivity"][:, None]
        * ldec
        * (1.0 - comp.slot_declining[cols][None, :] * prm["lens_declining"][:, None])
        + lev[None, :, 0] * (prm["sg_entrepreneurship"][:, None] - 0.5)
        + lev[None, :, 1] * (prm["nrc_share"][:, None] - 0.5)
        + lev[None, :, 2] * (prm["nato_globalism"][:, None] - 0.5)
        + comp.slot_rus_hostile[cols][None, :] * st.assertive[:, None]
    )
    th = comp.slot_theme[cols]
    if (th >= 0).any():
        score[:, th >= 0] += THREAT_WEIGHT * np.maximum(st.threat[:, th[th >= 0]], 0.0)
    tgt = comp.slot_target_state[cols]
    promise = comp.slot_promise_bonus[cols]
    bonus = promise != 0
    if bonus.any():
        has_t = bonus & (tgt >= 0)
        courted = st.promised[:, tgt[has_t]] & ~st.member[:, tgt[has_t]]
        score[:, has_t] += promise[has_t] * courted
    score += reassurance_terms(comp, prm, st, cols)
    score += reciprocity_terms(comp, prm, st, cols)
    og = comp.slot_orient_state[cols]
    if (og >= 0).any():  # a state's own turn west makes it, and NATO, seek membership
        score[:, og >= 0] += st.orient[:, og[og >= 0]]
    ok = requirements(comp, st)[:, cols] & comp.slot_allowed[st.t][cols][None, :]
    prob = np.where(ok, sigmoid(score), 0.0)
    collective = dp < 0
    if collective.any() and comp.pair_alliance.any():
        # A collective act needs the members to agree: under consensus a divided
        # alliance acts less (the chance scales with its cohesion).
        agree = 1.0 - prm["consensus"] * (1.0 - cohesion(comp, st))
        prob[:, collective] *= agree[:, None]
    return prob


def reassurance_terms(
    comp: Compiled, prm: dict[str, np.ndarray], st: State, cols: np.ndarray | slice = SLOTS
) -> np.ndarray:
    """The reassurance game's terms of the choice scores, ``(R, K)`` (Kydd 2005).

    A new-beginning act (a reset, a forum, a shield offer, a deal, engagement)
    becomes likelier the more the addressee distrusts the chooser — a security
    seeker reassures a rival who doubts it, with a costly signal an expansionist
    would not send — and the more confrontation has accumulated between NATO and
    Russia (the rising cost of confrontation). ``cols``: only these slots.
    """
    nb = comp.slot_new_beginning[cols]
    out = np.zeros((st.L.shape[0], nb.size))
    if not nb.any():
        return out
    rev = comp.slot_reverse_pair[cols]
    has = nb & (rev >= 0)
    doubt = np.maximum(0.0, 4.0 * (0.5 - sigmoid(st.L[:, rev[has]])))
    out[:, has] += prm["reassurance"][:, None] * doubt
    out[:, nb] += (prm["confrontation_cost"] * st.cost)[:, None]
    return out


def reciprocity_terms(
    comp: Compiled, prm: dict[str, np.ndarray], st: State, cols: np.ndarray | slice = SLOTS
) -> np.ndarray:
    """Answer in kind (Goldstein 1991), ``(R, K)``; ``cols``: only these slots.

    Last year's hostility read in the target makes an act its addressee reads as
    hostile likelier, its friendliness one the addressee reads as friendly.
    """
    dp = comp.slot_decision_pair[cols]
    pair = np.where(dp >= 0, dp, 0)  # NATO's collective choices answer Russia's acts
    sign = comp.slot_tone[cols][None, :]
    heard = np.where(sign < 0, -st.last_n[:, pair], np.where(sign > 0, st.last_p[:, pair], 0.0))
    return prm["reciprocity"][:, None] * heard
