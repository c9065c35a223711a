"""The shared agenda's channel (``nrc_share``): what Russia reads, not only damping.

The lever's path (docs/ODD.md, levers): a share of NATO's joint acts against a
shared threat toward Russia is handled in the forum and read as an act between
the two; the rest is done by the key members and read by Russia in its trust in
them. Russia's part is read by the West alike in either channel.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sim.model import core
from sim.model.compile import compile_scenario
from sim.model.core import draw_noise, stack_noise
from sim.model.resolve import load_scenario
from sim.model.routing import is_routed
from tests.model.builders import QUIET, compiled, event, pair, param_rows

KEY = ("DEU", "FRA", "GBR", "USA")
#: Every other path of the lever switched off: no forum damping, no bilateral buffer.
ONLY_ROUTING = {**QUIET, "nrc_buffer": 0.0, "bilateral_buffer": 0.0}


def _one_act(actor: str, target: str, action: str = "joint_counterterrorism", forum: bool = True):
    """One scheduled joint act in 1993, with no choices (and a forum opened in 1991)."""
    opening = [event(1991, "NATO", "nrc_rejuvenation", "RUS")] if forum else []
    comp = compiled(events=[*opening, event(1993, actor, action, target)])
    return dataclasses.replace(comp, slot_allowed=np.zeros_like(comp.slot_allowed))


def _simulate(comp, shares: list[float]) -> np.ndarray:
    prm = param_rows([{**ONLY_ROUTING, "nrc_share": s} for s in shares])
    noise = stack_noise([draw_noise(7, comp)] * len(shares))
    return core.simulate(comp, prm, noise).trust


def _effect(comp, shares: list[float]) -> np.ndarray:
    """What the 1993 act adds to each pair's trust that year ``(R, P)``, per forum share.

    Against the same scenario without the act, on the same random numbers.
    """
    y = 1993 - 1991
    none = dataclasses.replace(comp, sched=[*comp.sched[:y], [], *comp.sched[y + 1 :]])
    return _simulate(comp, shares)[:, y] - _simulate(none, shares)[:, y]


def test_the_routed_acts_are_natos_part_of_the_shared_agenda() -> None:
    comp = compile_scenario(load_scenario("historical"))
    routed = {
        (o.actor, o.action, o.targets)
        for o, m in zip(comp.slots, comp.slot_routed, strict=True)
        if m
    }
    assert {a for _, a, _ in routed} == {
        "joint_counterterrorism",
        "joint_nonproliferation",
        "joint_afghanistan",
        "joint_counter_piracy",
        "joint_counter_narcotics",
    }
    assert {(x, t) for x, _, t in routed} == {("NATO", ("RUS",))}
    # scheduled ones too (NATO's 2009 counter-piracy and 2010 Afghan transit) ...
    years = [int(comp.years[t]) for t, m in enumerate(comp.sched_routed) if m.any()]
    assert years == [2009, 2010]
    # ... and never Russia's part, a deal, a forum act or peacekeeping in Bosnia
    acts = comp.catalog.actions
    for evs, mask in zip(comp.sched, comp.sched_routed, strict=True):
        for o, m in zip(evs, mask, strict=True):
            assert m == is_routed(o, acts)
            if o.actor == "RUS" or o.action in (
                "bilateral_deal",
                "nrc_rejuvenation",
                "joint_peacekeeping",
            ):
                assert not m


def test_natos_act_done_in_the_forum_reaches_russias_trust_in_nato() -> None:
    comp = _one_act("NATO", "RUS")
    gain = _effect(comp, [1.0, 0.0])  # all in the forum / all bilateral
    rn, ita = pair(comp, "RUS", "NATO"), pair(comp, "RUS", "ITA")
    assert gain[0, rn] > 0 and gain[1, rn] > 0  # the bilateral part still spills to NATO
    assert gain[0, rn] > gain[1, rn]  # but the forum brings the business to NATO
    for k in KEY:  # bilaterally, Russia reads each key member as the one it dealt with
        assert gain[1, pair(comp, "RUS", k)] > gain[0, pair(comp, "RUS", k)] > 0
    assert gain[0, ita] > 0 == pytest.approx(gain[1, ita], abs=1e-12)  # not a key member
    # before the act nothing differs: the two runs share their random numbers
    t = _simulate(comp, [1.0, 0.0])
    np.testing.assert_array_equal(t[0, :2], t[1, :2])


def test_russias_part_is_read_alike_in_either_channel() -> None:
    # the alliance credits Russia's cooperation wherever it is given (9/11, then Rome)
    comp = _one_act("RUS", "NATO")
    assert not any(m.any() for m in comp.sched_routed)
    gain = _effect(comp, [1.0, 0.0])
    nr = pair(comp, "NATO", "RUS")
    assert gain[0, nr] > 0
    np.testing.assert_array_equal(gain[0], gain[1])


def test_every_key_member_reads_the_same_bilateral_form() -> None:
    comp = _one_act("NATO", "RUS")
    row = comp.sched_bilateral[1993 - 1991][0]
    g, w = len(comp.groups), comp.width
    full = np.zeros(g * w)
    full[comp.template_columns] = row
    full = full.reshape(g, w)
    per_member = [full[:, comp.pair_index[("RUS", k)]].sum() for k in KEY]
    assert per_member[0] > 0
    assert per_member == pytest.approx([per_member[0]] * len(KEY))


@pytest.mark.parametrize("share", [0.0, 0.3, 1.0])
def test_a_share_blends_the_two_forms_linearly(share: float) -> None:
    # the year's evidence is linear in the forum share: evidence(s) = s*forum + (1-s)*bilateral
    comp = _one_act("NATO", "RUS")
    t = _simulate(comp, [1.0, 0.0, share])
    y = 1993 - 1991
    logit = np.log(t[:, y] / (1 - t[:, y]))
    expected = share * logit[0] + (1.0 - share) * logit[1]
    np.testing.assert_allclose(logit[2], expected, atol=1e-12)


def test_with_no_key_member_nothing_is_routed() -> None:
    comp = compiled(
        events=[event(1993, "NATO", "joint_counterterrorism", "RUS")], actors={"exclude": list(KEY)}
    )
    assert not comp.slot_routed.any()
    assert not any(m.any() for m in comp.sched_routed)


def _without_routing(comp):
    """The same compiled scenario with every routed act read in its forum form only."""
    return dataclasses.replace(
        comp,
        slot_routed=np.zeros_like(comp.slot_routed),
        sched_routed=[np.zeros_like(m) for m in comp.sched_routed],
    )


def test_the_lever_moves_history_through_routing() -> None:
    # The issue's test of mechanism: with the forum's damping and the key members'
    # buffer off, routing adds to what the lever does (on the same random numbers):
    # the share of the agenda in the forum raises Russia's 2012 trust in NATO by
    # more with routing than with the other paths alone (choices, exposure), and
    # its trust in the key members by less.
    comp = compile_scenario(load_scenario("historical"))
    noise = stack_noise([draw_noise(x, comp) for x in range(40)])

    def lever_effect(c) -> np.ndarray:
        out = []
        for s in (0.0, 1.0):
            prm = param_rows([{"nrc_buffer": 0.0, "bilateral_buffer": 0.0, "nrc_share": s}] * 40)
            out.append(np.median(core.simulate(c, prm, noise).trust[:, -1], axis=0))
        return out[1] - out[0]

    with_routing, without = lever_effect(comp), lever_effect(_without_routing(comp))
    rn = comp.pair_index[("RUS", "NATO")]
    assert with_routing[rn] > without[rn] + 0.005, (with_routing[rn], without[rn])
    key = [comp.pair_index[("RUS", k)] for k in KEY]
    assert (with_routing[key] < without[key]).mean() >= 0.75


def test_while_there_is_no_forum_all_of_the_agenda_is_bilateral() -> None:
    # no forum in 1993 (nothing opens one): the share is moot, the act is read bilaterally
    closed = _effect(_one_act("NATO", "RUS", forum=False), [1.0, 0.0])
    np.testing.assert_array_equal(closed[0], closed[1])
    opened = _effect(_one_act("NATO", "RUS"), [1.0, 0.0])
    assert not np.array_equal(opened[0], opened[1])  # with a forum, the share matters


def test_the_secretary_general_does_not_amplify_business_outside_the_forum() -> None:
    # the bilateral form of NATO's act is a key member's, read without the lever modifiers
    comp = _one_act("NATO", "RUS")
    routed = comp.sched_bilateral[2][0]  # the 1993 act
    full = np.zeros(len(comp.groups) * comp.width)
    full[comp.template_columns] = routed
    full = full.reshape(len(comp.groups), comp.width)
    for k in KEY:
        col = comp.pair_index[("RUS", k)]
        mods = {comp.groups[g].modifier for g in np.flatnonzero(full[:, col])}
        assert mods == {""}, (k, mods)


def test_only_routed_acts_that_can_happen_count_as_used_entries() -> None:
    # piracy cooperation reserved for the schedule and never scheduled: its entry is unused
    comp = compiled(scheduled_only=["joint_counter_piracy"])
    assert "R.coop.piracy" not in comp.used_entries
    assert "R.coop.piracy" in compiled().used_entries
