"""How the world changes: new leaders, candidates' own turns, the effects of acts."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim.model.compile import Compiled
from sim.model.slots import Effect
from sim.model.state import DOMESTIC_SHIFT, N_LEADERS, State


def leadership(comp: Compiled, prm: dict[str, np.ndarray], st: State, u: np.ndarray) -> None:
    """New leaders, scheduled or drawn: both sides look at the relationship afresh.

    A change in Moscow (or Washington) moves the beliefs of every pair it is in,
    and their baselines, back toward their long-run anchor by ``turnover_reset``;
    a scheduled change in Moscow also adds its magnitude to Russian
    assertiveness, a drawn one returns assertiveness to ``rus_assertiveness``. A
    change of course (``course`` shock) adds its magnitude to assertiveness and
    changes no leader (its magnitude is in ``leadership_shock``, not
    ``leader_change``).
    """
    ti = st.t
    k = len(comp.slots)
    drawn = np.zeros((st.L.shape[0], N_LEADERS), bool)
    if ti >= comp.turnover_from:
        drawn = u[:, k : k + N_LEADERS] < prm["turnover_rate"][:, None]
    st.drawn_leaders = drawn
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


def domestic_turns(comp: Compiled, st: State) -> None:
    """Candidate states' own turns (colour revolutions westward, or back eastward)."""
    dom = comp.domestic_shock[st.t]
    if not dom.any():
        return
    st.orient = st.orient + dom[None, :]
    st.L[:, comp.state_to_rus] -= DOMESTIC_SHIFT * dom[None, :]
    st.L[:, comp.rus_to_state] -= DOMESTIC_SHIFT * dom[None, :]


def apply_effects(st: State, effects: Sequence[Effect], occ: np.ndarray) -> None:
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
