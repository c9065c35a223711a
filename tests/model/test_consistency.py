"""Consistency after inheritance: scheduled acts whose world a scenario takes away."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import load_scenario, run
from sim.data import locate, tables
from sim.files.errors import InputError
from sim.model.compile import REQUIREMENTS
from sim.model.consistency import (
    CHOICE_ONLY,
    PRECONDITIONS,
    REQUIREMENT_TEXT,
    act_text,
    problems,
    scheduled_events,
)
from sim.model.vocabulary import allowed_actors

NO_SHIELD = {
    "name": "no_shield",
    "extends": "historical",
    "remove": [{"action": "missile_shield_deployment", "year": 2007}],
    "forbid": [{"action": "missile_shield_deployment", "to": 2010}],
}

#: What no_enlargement drops: the shield sites in states that are not members
#: there, and Russia's counter-deployment and the US cancellation that need them.
NO_ENLARGEMENT_DROPS = [
    "2007 USA missile_shield_deployment POL/CZE",
    "2008 RUS counter_deployment NATO",
    "2009 USA shield_cancellation RUS",
    "2011 NATO missile_shield_deployment ROU/TUR",
    "2012 NATO missile_shield_deployment ROU/TUR",
]


def test_every_requirement_is_checked_or_said_to_steer_choices_only():
    assert PRECONDITIONS | set(CHOICE_ONLY) == set(REQUIREMENTS)
    assert not PRECONDITIONS & set(CHOICE_ONLY)
    assert set(REQUIREMENT_TEXT) == set(REQUIREMENTS)


@pytest.mark.parametrize("name", locate.scenario_names())
def test_every_bundled_scenario_is_consistent(name: str):
    s = load_scenario(name)
    found = [act_text(p.listed.event) for p in problems(s)]
    if s.on_inconsistent == "error":
        assert found == []
    else:  # it says so, and drops exactly what cannot happen
        assert name == "no_enlargement"
        assert found == NO_ENLARGEMENT_DROPS


def test_the_whole_record_is_consistent_and_its_actors_allowed():
    assert problems(load_scenario("historical_1991_2024")) == []
    for ev in tables.timeline():
        assert ev.actor in allowed_actors(ev.action), ev


def test_removing_the_2007_shield_breaks_what_needs_it():
    with pytest.raises(InputError) as e:
        load_scenario(NO_SHIELD)
    err = e.value
    assert err.field == "remove[0]"
    assert err.message.startswith(
        "2008 RUS counter_deployment NATO needs a missile shield in place (shield_on), "
        "but this entry takes out 2007 USA missile_shield_deployment POL/CZE"
    )
    assert 'on_inconsistent = "drop"' in err.message


def test_drop_lists_and_drops_what_cannot_happen(caplog):
    cf = {**NO_SHIELD, "on_inconsistent": "drop"}
    with caplog.at_level(logging.WARNING, logger="sim"):
        s = load_scenario(cf)
    (record,) = caplog.records
    assert "dropped 2 scheduled act(s)" in record.getMessage()
    assert "2008 RUS counter_deployment NATO needs a missile shield" in record.getMessage()
    assert "2009 USA shield_cancellation RUS needs a missile shield" in record.getMessage()
    acts = {(e.year, e.action) for e in scheduled_events(s)}
    assert (2008, "counter_deployment") not in acts and (2009, "shield_cancellation") not in acts
    assert (2011, "missile_shield_deployment") in acts
    res = run(s)
    sched = res.events.query("origin == 'scheduled'")
    assert not ((sched.year == 2008) & (sched.action == "counter_deployment")).any()


def test_the_bundled_no_enlargement_removes_what_cannot_happen():
    s = load_scenario("no_enlargement")
    kept = {act_text(e) for e in scheduled_events(s)}
    assert not kept & set(NO_ENLARGEMENT_DROPS)
    assert s.on_inconsistent == "error"  # consistent as written


def test_no_enlargement_drops_the_shield_acts_with_their_reasons(caplog, tmp_path):
    path = tmp_path / "no_enlargement.toml"
    path.write_text(
        'name = "no_enlargement"\nextends = "historical"\non_inconsistent = "drop"\n'
        '[[remove]]\naction = "enlargement_wave"\n'
        '[[remove]]\naction = "membership_promise"\nto = 2002\n'
        '[[forbid]]\naction = "enlargement_wave"\n'
    )
    with caplog.at_level(logging.WARNING, logger="sim"):
        s = load_scenario(path)
    msg = caplog.records[0].getMessage()
    assert "no_enlargement.toml" in msg and "dropped 5 scheduled act(s)" in msg
    assert (
        "2007 USA missile_shield_deployment POL/CZE needs its targets to be members "
        "(target_member: POL, CZE are not), but remove[0] takes out 1999 NATO enlargement_wave "
        "CZE/HUN/POL"
    ) in msg
    assert (
        "2008 RUS counter_deployment NATO needs a missile shield in place (shield_on), but "
        "2007 USA missile_shield_deployment POL/CZE is dropped"
    ) in msg
    kept = {act_text(e) for e in scheduled_events(s)}
    assert not kept & set(NO_ENLARGEMENT_DROPS)


def test_a_forbidden_choice_can_break_a_requirement():
    counter = {"year": 1993, "actor": "RUS", "action": "counter_deployment", "target": "NATO"}
    base = {"name": "x", "time": {"start": 1991, "end": 1995}, "events": [counter]}
    load_scenario(base)  # the actors may choose a shield before 1993: the act may happen
    with pytest.raises(InputError) as e:
        load_scenario({**base, "forbid": [{"action": "missile_shield_deployment", "to": 1992}]})
    assert e.value.field == "forbid[0]"
    assert e.value.message.startswith(
        "1993 RUS counter_deployment NATO needs a missile shield in place (shield_on), "
        "but this entry forbids the choices that could provide it"
    )


def test_an_added_act_can_break_a_later_one():
    with pytest.raises(InputError) as e:
        load_scenario(
            {
                "name": "x",
                "extends": "historical",
                "events": [
                    {"year": 1995, "actor": "NATO", "action": "enlargement_wave", "target": "POL"}
                ],
            }
        )
    assert e.value.field == "events[0]"
    assert e.value.message.startswith(
        "1997 NATO membership_promise CZE/HUN/POL needs its targets not to be members yet "
        "(target_not_member: POL is already), but this entry adds 1995 NATO enlargement_wave POL"
    )


def test_an_act_nothing_provides_names_its_own_entry(tmp_path: Path):
    p = tmp_path / "alone.toml"
    p.write_text(
        'name = "alone"\nscheduled_only = ["missile_shield_deployment"]\n'
        "[time]\nstart = 1991\nend = 1995\n"
        '[[events]]\nyear = 1993\nactor = "RUS"\naction = "counter_deployment"\ntarget = "NATO"\n'
    )
    with pytest.raises(InputError) as e:
        load_scenario(p)
    assert e.value.path == str(p.resolve()) and e.value.field == "events[0]"
    assert e.value.message.startswith(
        "1993 RUS counter_deployment NATO needs a missile shield in place (shield_on), which "
        "nothing before it provides (schedule missile_shield_deployment before it)"
    )


def test_a_later_start_leaves_out_the_world_the_record_built():
    with pytest.raises(InputError) as e:
        load_scenario({"name": "x", "timeline": True, "time": {"start": 2008, "end": 2012}})
    assert e.value.field == "time.start"
    assert e.value.message.startswith("2008 NATO nrc_suspension RUS needs the NATO-Russia forum")
    assert "but the time span leaves out the record's acts before it" in e.value.message


def test_same_year_acts_count_in_the_order_listed():
    ok = {"year": 1993, "actor": "USA", "action": "missile_shield_deployment", "target": "TUR"}
    counter = {"year": 1993, "actor": "RUS", "action": "counter_deployment", "target": "NATO"}
    only = {"scheduled_only": ["missile_shield_deployment"], "time": {"start": 1991, "end": 1995}}
    load_scenario({"name": "x", **only, "events": [ok, counter]})
    with pytest.raises(InputError, match="1993 RUS counter_deployment NATO needs a missile"):
        load_scenario({"name": "x", **only, "events": [counter, ok]})


_RECORD = [e for e in tables.timeline() if e.year <= 2012]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sets(st.integers(0, len(_RECORD) - 1), max_size=6))
def test_what_drop_keeps_is_consistent(picked: set[int]):
    """Remove any few record events with drop: what is left has no act that cannot happen."""
    remove = [
        {"action": _RECORD[i].action, "actor": _RECORD[i].actor, "year": _RECORD[i].year}
        for i in sorted(picked)
    ]
    logging.disable(logging.WARNING)
    try:
        s = load_scenario(
            {"name": "x", "extends": "historical", "remove": remove, "on_inconsistent": "drop"}
        )
    finally:
        logging.disable(logging.NOTSET)
    kept = scheduled_events(s)
    explicit = s.model_copy(
        update={
            "timeline": False,
            "remove": (),
            "events": tuple(kept),
            "on_inconsistent": "error",
        }
    )
    assert problems(explicit) == []
    assert [act_text(e) for e in scheduled_events(explicit)] == [act_text(e) for e in kept]
