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
   (from the Figure 1 rules, and the allies' readings of each other; the shared
   agenda's joint acts in their forum or bilateral form by ``nrc_share``), with
   institutional channel, lens, two-tier and key-member multipliers and NATO's
   reading of Russia through its members; a standing missile shield is read
   again every year; the confrontation and the year's readings are kept;
4. **update** — trust log-odds relax toward a baseline (memory), take the
   year's evidence (hostile reads weighted more than friendly ones, expected
   news discounted) and a small drawn shock; the baseline itself drifts toward
   lasting experience (hysteresis);
5. **effects** — acts change the world (membership, promises, the shield, the
   NATO-Russia forum).

Only elementwise operations, exact matrix products (see :mod:`sim.model.templates`)
and reductions in a fixed order touch the replicate axis, so each replicate's
numbers are the same whatever batch it is computed in. The Mesa model
(:mod:`sim.model.mesa_model`) runs this same code with ``R = 1``. The pieces live
beside it: :mod:`sim.model.state` (state, random numbers, the first year),
:mod:`sim.model.decide` (sub-step 2), :mod:`sim.model.changes` (leaders, own turns,
effects of acts).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from sim.model.changes import apply_effects, domestic_turns, leadership
from sim.model.compile import Compiled
from sim.model.decide import decide
from sim.model.perceive import collective_reading, read_acts, weigh_groups
from sim.model.state import (
    OFFSETS,
    THREAT_WEIGHT,
    Noise,
    State,
    batch_noise,
    draw_noise,
    init_state,
    logit,
    noise_from,
    retune,
    sigmoid,
    stack_noise,
)

__all__ = [
    "OFFSETS",
    "THREAT_WEIGHT",
    "Noise",
    "State",
    "Trajectories",
    "batch_noise",
    "collective_reading",
    "decide",
    "draw_noise",
    "init_state",
    "logit",
    "noise_from",
    "sigmoid",
    "simulate",
    "stack_noise",
    "step",
]


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
    leadership(comp, prm, st, u)
    domestic_turns(comp, st)
    # 2. decide
    occ, _ = decide(comp, prm, st, u)
    # 3. perceive (exact sums: templates and weights live on dyadic grids)
    used = read_acts(comp, prm, st, occ)
    neg, pos = weigh_groups(comp, used, st.weights)  # in the groups' order
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
    dn[:, 0], dp[:, 0] = collective_reading(comp, prm, st, dn, dp)
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
    apply_effects(st, comp.slot_effects, occ)
    sched = comp.sched[ti]
    if sched:
        apply_effects(st, comp.sched_effects[ti], np.ones((r, len(sched)), bool))
    st.t += 1
    return occ


@dataclass
class Trajectories:
    """Result arrays of a batch of replicates."""

    trust: np.ndarray  # (R, T, P) trust in (0, 1)
    chosen: np.ndarray  # (R, T, K) bool
    leaders: np.ndarray | None = None  # (R, T, 2) drawn changes of leader (Moscow, Washington)


def simulate(comp: Compiled, prm: dict[str, np.ndarray], noise: Noise) -> Trajectories:
    """Run every year for a batch of replicates.

    Args:
        comp: Compiled scenario.
        prm: Parameter arrays, each ``(R,)``.
        noise: The batch's random numbers (:func:`batch_noise`, :func:`stack_noise`).

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
    leaders = np.empty((r, n_t, st.drawn_leaders.shape[1]), bool)
    for ti in range(n_t):
        prm = retune(comp, prm, st, noise.q)  # the scenario's parameter changes, if any
        chosen[:, ti] = step(comp, prm, st, u[:, ti], z[:, ti])
        trust[:, ti] = sigmoid(st.L)
        leaders[:, ti] = st.drawn_leaders
    return Trajectories(trust, chosen, leaders)
