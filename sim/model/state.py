"""The state of a batch of replicates, and every random number a run uses, drawn up front.

Holds the trust log-odds and the world (members, promises, shield, forum,
threats, assertiveness, confrontation, own turns) with a leading replicate
axis ``R``; draws each run's numbers from its own seed
(:func:`draw_noise`); and sets up the first year (:func:`init_state`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim.model.compile import Compiled
from sim.model.readings import COMPONENTS as COMPONENT_PARAMS

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
FORUM_OPEN = 0.05  # the NATO-Russia forum exists (and can carry business) above this strength
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
    """Logistic function (inverse of :func:`logit`); log-odds past ±700 give 0 or 1."""
    return 1.0 / (1.0 + np.exp(-np.clip(x, -700.0, 700.0)))


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
    drawn_leaders: np.ndarray  # (R, 2) this year's drawn changes of leader (Moscow, Washington)


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
    t, k = len(comp.years), len(comp.slots) + N_LEADERS
    out = Noise(np.empty((t, k)), np.empty((t, comp.n_pairs)), np.empty(len(comp.question_entries)))
    _draw_into(rng, out)
    return out


def batch_noise(seeds: Sequence[int], comp: Compiled) -> Noise:
    """The noise of a batch of runs, each drawn from its own seed.

    Equal to ``stack_noise([draw_noise(s, comp) for s in seeds])``, drawn straight
    into the batch's arrays.
    """
    t, k = len(comp.years), len(comp.slots) + N_LEADERS
    r, n_q = len(seeds), len(comp.question_entries)
    out = Noise(np.empty((r, t, k)), np.empty((r, t, comp.n_pairs)), np.empty((r, n_q)))
    for i, seed in enumerate(seeds):
        _draw_into(np.random.default_rng(seed), Noise(out.u[i], out.z[i], out.q[i]))
    return out


def _draw_into(rng: np.random.Generator, out: Noise) -> None:
    """Draw one run's numbers, in the order of :func:`noise_from`, into ``out``'s arrays."""
    (t, k), p = out.u.shape, out.z.shape[1]
    out.q[:] = rng.random(out.q.shape[0])
    half = (p + 1) // 2
    block = rng.random((t, k + 2 * half))
    out.u[:] = block[:, :k]
    radius = np.sqrt(-2.0 * np.log1p(-block[:, k : k + half]))
    angle = 2.0 * np.pi * block[:, k + half :]
    np.multiply(radius, np.cos(angle), out=out.z[:, :half])
    np.multiply(radius[:, : p - half], np.sin(angle)[:, : p - half], out=out.z[:, half:])


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
    sg_entrepreneurship`` for Russia reading NATO's cooperative initiatives, and
    ``proximity`` for a member's share of a threat to a place beyond the even share.
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
        elif grp.modifier == "near":
            out[:, g] *= prm["proximity"]
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
    exposure = _exposure(comp, prm)
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
        drawn_leaders=np.zeros((r, N_LEADERS), bool),
    )


def _exposure(comp: Compiled, prm: dict[str, np.ndarray]) -> np.ndarray:
    """Each member's share ``(R, S)`` of the alliance's hostile acts (key members' less)."""
    return 1.0 - comp.state_key[None, :] * (1.0 - prm["nrc_share"][:, None]) * 0.5


#: Parameters of the readings' weights (:func:`group_weights`).
WEIGHT_PARAMS = frozenset(
    [p for p in COMPONENT_PARAMS.values() if p]
    + ["fig_cooperation", "nato_globalism", "sg_entrepreneurship", "proximity"]
)


def retune(
    comp: Compiled, prm: dict[str, np.ndarray], st: State, q: np.ndarray
) -> dict[str, np.ndarray]:
    """The parameters from this year's step on, after the scenario's changes in it.

    What the changed parameters shaped at the start is derived again (the
    readings' weights, the members' exposure); Russia's assertiveness moves by
    the change of ``rus_assertiveness`` (see :mod:`sim.model.param_changes`).

    Args:
        comp: Compiled scenario (``param_changes`` by year index).
        prm: The parameters so far, each ``(R,)``.
        st: The state before this year's step (``st.t`` is its year index).
        q: The replicates' question-mark weights ``(R, n_q)``.

    Returns:
        ``prm`` itself when nothing changes this year, else a new dict.
    """
    values = comp.param_changes.get(st.t)
    if not values:
        return prm
    r = st.L.shape[0]
    new = {**prm, **{k: np.full(r, v) for k, v in values.items()}}
    if "rus_assertiveness" in values:
        if st.t == 0:  # nothing added yet: the value itself, exactly as [parameters] set it
            st.assertive = new["rus_assertiveness"].copy()
        else:
            st.assertive = st.assertive + (new["rus_assertiveness"] - prm["rus_assertiveness"])
    if WEIGHT_PARAMS.intersection(values):
        st.weights = group_weights(comp, new, q)
    if "nrc_share" in values:
        st.exposure = _exposure(comp, new)
    return new
