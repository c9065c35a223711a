"""Each lever changes trust through the path docs/ODD.md (§4.1, the levers) names.

For every lever two paths are shown apart, on the same random numbers: how an
act that happened is *read* (choices switched off), and which acts are *chosen*
(the choice probabilities). The shared agenda's channel for ``nrc_share`` has its
own tests (tests/model/test_routing.py).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sim.model import core, decide, state
from sim.model.core import draw_noise, stack_noise
from tests.model.builders import QUIET, compiled, event, pair, param_rows, slot

Y = 1993 - 1991  # the year of the one scheduled act


def _read(
    act: tuple[str, str, str], lever: str, values: list[float], forum: bool = False
) -> np.ndarray:
    """What one scheduled 1993 act adds to each pair that year, per lever value ``(R, P)``.

    No choice is taken; the same scenario without the act, on the same random
    numbers, is the reference. ``forum``: a new forum opens in 1991 (in both).
    """
    opening = [event(1991, "NATO", "nrc_rejuvenation", "RUS")] if forum else []
    comp = compiled(events=[*opening, event(1993, *act)])
    comp = dataclasses.replace(comp, slot_allowed=np.zeros_like(comp.slot_allowed))
    none = dataclasses.replace(comp, sched=[*comp.sched[:Y], [], *comp.sched[Y + 1 :]])
    prm = param_rows([{**QUIET, lever: v} for v in values])
    noise = stack_noise([draw_noise(3, comp)] * len(values))
    return core.simulate(comp, prm, noise).trust[:, Y] - core.simulate(none, prm, noise).trust[:, Y]


def _chance(actor: str, action: str, target: str, lever: str, values: list[float]) -> np.ndarray:
    """The probability that a slot is chosen in 1992, per lever value ``(R,)``.

    The forum is open (engagement requires it).
    """
    comp = compiled()
    prm = param_rows([{lever: v} for v in values])
    st = state.init_state(comp, prm)
    st.t = 1
    st.inst[:] = 1.0
    _, prob = decide.decide(comp, prm, st, np.ones((len(values), len(comp.slots) + 2)))
    return prob[:, slot(comp, actor, action, target)]


def test_the_secretary_general_makes_natos_initiatives_better_received() -> None:
    # a new forum (lens sg): Moscow reads NATO's cooperative initiative better
    gain = _read(("NATO", "nrc_rejuvenation", "RUS"), "sg_entrepreneurship", [0.0, 0.5, 1.0])
    rn = pair(compiled(), "RUS", "NATO")
    assert 0 < gain[0, rn] < gain[1, rn] < gain[2, rn]


def test_the_secretary_general_makes_natos_initiatives_likelier() -> None:
    p = _chance("NATO", "nrc_engagement", "RUS", "sg_entrepreneurship", [0.0, 1.0])
    assert p[1] > p[0] > 0


def test_a_global_nato_is_read_as_more_threatening() -> None:
    # an out-of-area mission (lens global): hostile in Moscow's reading, more so the
    # more global the alliance
    fall = _read(("NATO", "out_of_area_intervention", "BIH"), "nato_globalism", [0.0, 0.5, 1.0])
    rn = pair(compiled(), "RUS", "NATO")
    assert 0 > fall[0, rn] > fall[1, rn] > fall[2, rn]


def test_a_global_nato_acts_beyond_its_area_more_often() -> None:
    p = _chance("NATO", "out_of_area_intervention", "OOA", "nato_globalism", [0.0, 1.0])
    assert p[1] > p[0] > 0


@pytest.mark.parametrize(
    ("actor", "action", "target", "direction"),
    [("NATO", "nrc_engagement", "RUS", 1), ("RUS", "bilateral_deal", "DEU", -1)],
)
def test_the_forum_share_moves_engagement_into_the_forum(
    actor: str, action: str, target: str, direction: int
) -> None:
    p = _chance(actor, action, target, "nrc_share", [0.0, 1.0])
    assert direction * (p[1] - p[0]) > 0


def test_the_forum_damps_hostile_shocks_to_the_dyad_as_far_as_it_is_used() -> None:
    # a mission Moscow reads as hostile: with a forum open, the larger the share of the
    # agenda in it the less of the blow reaches the dyad; without a forum, no damping
    act = ("NATO", "out_of_area_intervention", "BIH")
    rn = pair(compiled(), "RUS", "NATO")
    used = _read(act, "nrc_share", [0.0, 1.0], forum=True)
    assert 0 > used[1, rn] > used[0, rn]
    closed = _read(act, "nrc_share", [0.0, 1.0])
    assert closed[1, rn] == closed[0, rn] < 0
