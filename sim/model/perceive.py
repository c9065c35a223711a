"""Sub-step 3 of a year, in parts: the template groups weighed, NATO's collective reading.

The year's acts give, per replicate, a value in each template column in use
(``Compiled.template_columns``: group ``g``, column ``c`` of ``W = P + 2``).
:func:`weigh_groups` weighs each column by its group's weight and adds the
groups of each sign into hostile and friendly evidence — for every column, in
the groups' order, so a replicate's sums never vary. :func:`collective_reading`
forms NATO's evidence on Russia with its members'.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from sim.model.compile import Compiled
from sim.model.decide import salience
from sim.model.state import FORUM_OPEN, State
from sim.model.voices import over_members

__all__ = ["GroupSums", "collective_reading", "group_sums", "read_acts", "weigh_groups"]


def read_acts(comp: Compiled, prm: dict[str, np.ndarray], st: State, occ: np.ndarray) -> np.ndarray:
    """The year's value in each template column in use, column-major ``(C, R)``.

    The chosen acts' templates, the scheduled events' and a standing shield's,
    each act weighted by its threat salience. The shared agenda's share handled
    bilaterally (``1 - nrc_share``, or all of it while there is no forum) is
    read in its bilateral form (:mod:`sim.model.routing`), blended elementwise
    per replicate. The products of templates and salience are exact (both live
    on dyadic grids), so leaving out what adds nothing — the slots no replicate
    chose, the columns an act does not move — changes no number.
    """
    used = np.zeros((comp.template_columns.size, occ.shape[0]))
    bilateral = 1.0 - prm["nrc_share"] * (st.inst > FORUM_OPEN)
    acts = np.flatnonzero(occ.any(axis=0))
    if acts.size:
        taken = (occ[:, acts] * salience(comp.slot_theme[acts], st.threat)).T
        used += comp.slot_template[acts].T @ taken
        routed = comp.slot_routed[acts]
        if routed.any():  # rows of slot_bilateral: the routed slots in order
            forms = (np.cumsum(comp.slot_routed) - 1)[acts[routed]]
            _add_bilateral(used, bilateral, comp.slot_bilateral[forms], taken[routed])
    ti = st.t
    if comp.sched[ti]:
        happened = salience(comp.sched_theme[ti], st.threat).T
        events = comp.sched_template[ti]
        moved = np.flatnonzero(events.any(axis=0))
        used[moved] += events[:, moved].T @ happened
        routed = comp.sched_routed[ti]
        if routed.any():
            _add_bilateral(used, bilateral, comp.sched_bilateral[ti], happened[routed])
    if st.shield.any():
        used += comp.standing_shield[:, None] * st.shield[None, :]
    return used


def _add_bilateral(
    used: np.ndarray, bilateral: np.ndarray, forms: np.ndarray, weights: np.ndarray
) -> None:
    """Add routed acts' bilateral share to ``used`` ``(C, R)``, in the columns they move.

    ``forms``: the acts' bilateral forms minus their forum forms ``(n, C)``;
    ``weights``: their salience in each replicate ``(n, R)``; ``bilateral``: the
    share handled bilaterally ``(R,)``.
    """
    moved = np.flatnonzero(forms.any(axis=0))
    used[moved] += bilateral * (forms[:, moved].T @ weights)


@dataclass(frozen=True)
class GroupSums:
    """How the template columns in use add up into hostile and friendly evidence.

    Attributes:
        column_group: The group of each column in use ``(C,)``.
        layers: ``(into, from)`` index pairs: step ``d`` adds, for every evidence
            column (hostile ``0..W-1``, then friendly ``W..2W-1``), the term of its
            ``d``-th group (groups in their order) taken from column ``from``. An
            evidence column appears at most once in a step.
    """

    column_group: np.ndarray
    layers: tuple[tuple[np.ndarray, np.ndarray], ...]


@lru_cache(maxsize=32)
def _group_sums(columns: bytes, signs: tuple[int, ...], width: int) -> GroupSums:
    cols = np.frombuffer(columns, np.intp)
    group = cols // width
    into = cols % width + width * (np.asarray(signs, np.intp)[group] > 0)
    depth = np.zeros(cols.size, np.intp)
    seen: dict[int, int] = {}
    for i in np.argsort(group, kind="stable"):  # groups in order
        depth[i] = seen.get(int(into[i]), 0)
        seen[int(into[i])] = int(depth[i]) + 1
    steps = range(int(depth.max(initial=-1)) + 1)
    layers = tuple((into[depth == d], np.flatnonzero(depth == d)) for d in steps)
    return GroupSums(group, layers)


def group_sums(comp: Compiled) -> GroupSums:
    """The order of the group sums of a compiled scenario (computed once per scenario)."""
    signs = tuple(g.sign for g in comp.groups)
    return _group_sums(np.asarray(comp.template_columns, np.intp).tobytes(), signs, comp.width)


def weigh_groups(
    comp: Compiled, used: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Hostile and friendly evidence ``(R, W)`` each, from the year's template columns.

    Args:
        comp: Compiled scenario.
        used: The year's value in each template column in use, column-major
            ``(C, R)`` (:func:`read_acts`).
        weights: Each replicate's group weights ``(R, G)``.

    Returns:
        ``(neg, pos)``: for each column of a group, the sum over the groups of
        that sign, in their order, of value times weight (columns no act moves
        add nothing).
    """
    plan = group_sums(comp)
    w_ = comp.width
    # Column-major (C, R) and (2W, R): each step moves whole rows.
    terms = used * weights.T[plan.column_group]
    acc = np.zeros((2 * w_, used.shape[1]))
    for into, frm in plan.layers:
        acc[into] += terms[frm]
    return acc[:w_].T, acc[w_:].T


def collective_reading(
    comp: Compiled, prm: dict[str, np.ndarray], st: State, dn: np.ndarray, dp: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """NATO's hostile and friendly evidence on Russia, formed with its members, ``(R,)`` each.

    The members' evidence on their own trust in Russia, weighted by voice (and,
    with weight ``consensus``, the harshest member's: the most hostile reading
    and the least friendly), is blended with the alliance's own by
    ``member_voice``. Summed member by member in a fixed order.
    """
    own_n, own_p = dn[:, 0], dp[:, 0]
    j = comp.state_to_rus
    (sum_n, sum_p), ws, (low_n, low_p) = over_members(
        comp.state_voice, st.member, [dn[:, j], dp[:, j]]
    )
    has = ws > 0
    safe = np.where(has, ws, 1.0)
    cons = prm["consensus"]
    coll_n = np.where(has, (1.0 - cons) * sum_n / safe + cons * np.where(has, low_n, 0.0), own_n)
    coll_p = np.where(has, (1.0 - cons) * sum_p / safe + cons * np.where(has, low_p, 0.0), own_p)
    mv = prm["member_voice"]
    return (1.0 - mv) * own_n + mv * coll_n, (1.0 - mv) * own_p + mv * coll_p
