"""Messages with no gaps: "did you mean", valid values, spans, strict types."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim import load_scenario
from sim.files.documents import read_document
from sim.files.errors import InputError
from sim.model.vocabulary import allowed_actors, did_you_mean, who_may

SPAN = {"name": "x", "time": {"start": 1991, "end": 1995}}


def _error(data: dict) -> InputError:
    with pytest.raises(InputError) as e:
        load_scenario(data)
    return e.value


def test_did_you_mean_spelling_case_and_names():
    codes = ["NATO", "RUS", "USA", "DEU", "UKR"]
    names = {"germany": "DEU", "ukraine": "UKR", "russia": "RUS"}
    assert (
        did_you_mean("usa", codes, names)
        == " (did you mean 'USA'?; valid: NATO, RUS, USA, DEU, UKR)"
    )
    assert did_you_mean("Germany", codes, names).startswith(" (did you mean 'DEU'?")
    assert did_you_mean("Russia", codes, names).startswith(" (did you mean 'RUS'?")
    assert did_you_mean("zzz", codes) == " (valid: NATO, RUS, USA, DEU, UKR)"
    many = [f"name_{i}" for i in range(20)]
    assert did_you_mean("zzz", many, what="things") == " (see natosim list things)"
    assert did_you_mean("name_1x", many, what="things").startswith(" (did you mean 'name_1'")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"time": {"start": "1991", "end": 1995}}, "time.start", "not the string '1991'"),
        ({"seed": True}, "seed", "must be a whole number, not true"),
        ({"timeline": "yes"}, "timeline", "must be true or false, not the string 'yes'"),
        ({"report_from": 1993.0}, "report_from", "must be a whole number, got 1993.0"),
        (
            {"shocks": [{"year": 1992, "kind": "threat", "theme": "piracy", "magnitude": "1"}]},
            "shocks[0].magnitude",
            "must be a number, not the string '1'",
        ),
        (
            {"forbid": [{"action": "reset", "from": "1992"}]},
            "forbid[0].from",
            "must be a whole number, not the string '1992'",
        ),
    ],
)
def test_types_are_strict(data: dict, field: str, message: str):
    err = _error({**SPAN, **data})
    assert err.field == field and message in err.message


def test_unknown_keys_suggest_the_known_ones():
    err = _error({**SPAN, "paramters": {"memory": 0.1}})
    assert err.field == "paramters"
    assert err.message.startswith("unknown key 'paramters' (did you mean 'parameters'")
    err = _error({**SPAN, "time": {"start": 1991, "end": 1995, "strat": 1995}})
    assert err.message == "unknown key 'strat' (did you mean 'start'?; valid: start, end)"
    err = _error({**SPAN, "remove": [{"action": "reset", "untill": 1993}]})
    assert err.field == "remove[0].untill" and "valid: action, actor, target, year, from, to" in (
        err.message
    )


def test_spans_and_ranges_are_given():
    err = _error({**SPAN, "forbid": [{"action": "reset", "to": 2001}]})
    assert (err.field, err.message) == ("forbid[0].to", "2001 is outside the time span 1991-1995")
    err = _error({**SPAN, "report_from": 1990})
    assert err.message == "1990 is outside the time span 1991-1995"
    err = _error({**SPAN, "parameters": {"memory": 0.9}})
    assert err.message == "memory must be within [0.0, 0.5], got 0.9"
    err = _error({**SPAN, "remove": [{"action": "reset", "from": 1994, "to": 1992}]})
    assert (err.field, err.message) == ("remove[0].to", "1992 is before from = 1994")


def test_unknown_codes_everywhere_get_a_hint():
    err = _error({**SPAN, "actors": {"exclude": ["Ukraine"]}})
    assert err.message.startswith("unknown actor 'Ukraine' (did you mean 'UKR'?")
    err = _error({**SPAN, "scheduled_only": ["rest"]})
    assert err.message.startswith("unknown action 'rest' (did you mean 'reset'?")
    err = _error({**SPAN, "remove": [{"target": "Kosovo"}]})
    assert err.message.startswith("unknown target 'Kosovo' (did you mean 'XKX'?")
    err = _error({**SPAN, "shocks": [{"year": 1992, "kind": "threat"}]})
    assert (
        err.message == "a threat shock needs a theme (terrorism, proliferation, piracy, narcotics)"
    )
    err = _error({**SPAN, "shocks": [{"year": 1992, "kind": "course", "actor": "USA"}]})
    assert err.field == "shocks[0]"
    assert err.message == (
        "a course shock needs actor = \"RUS\" (only Moscow's assertiveness is modelled), got 'USA'"
    )


def test_who_may_take_an_action():
    assert allowed_actors("use_of_force") == {"RUS"}
    assert who_may("use_of_force") == "RUS only"
    assert {"NATO", "USA", "POL"} <= allowed_actors("out_of_area_intervention")
    assert "RUS" not in allowed_actors("out_of_area_intervention")
    assert "UKR" not in allowed_actors("reset")  # an aspirant is not a western actor
    assert {"FIN", "UKR"} <= allowed_actors("membership_request")
    err = _error(
        {**SPAN, "events": [{"year": 1992, "actor": "UKR", "action": "reset", "target": "RUS"}]}
    )
    assert err.message == "UKR may not take reset (who may: NATO or a member state)"


def test_yaml_errors_are_one_line(tmp_path: Path):
    p = tmp_path / "s.yaml"
    p.write_text("name: x\ntime: {start: 1991, end: 1995\nevents: []\n")
    with pytest.raises(InputError) as e:
        read_document(p)
    assert "\n" not in str(e.value)
    assert e.value.message.startswith("malformed YAML: ")
    assert "(line 3, column" in e.value.message


def test_a_remove_that_takes_out_the_files_own_event_is_an_error():
    event = {"year": 1992, "actor": "USA", "action": "reset", "target": "RUS"}
    err = _error({**SPAN, "events": [event], "remove": [{"action": "reset"}]})
    assert err.field == "remove[0]"
    assert err.message == (
        "takes out events[0] (1992 USA reset RUS) of the same file; narrow it "
        "(year, actor or target) or delete the event"
    )
    # aimed at the timeline's acts instead, it loads
    sc = load_scenario(
        {**SPAN, "timeline": True, "events": [event], "remove": [{"action": "bilateral_deal"}]}
    )
    assert len(sc.events) == 1


def test_a_child_may_remove_its_parents_events(tmp_path):
    parent = tmp_path / "parent.toml"
    parent.write_text(
        'name = "p"\n[time]\nstart = 1991\nend = 1995\n'
        '[[events]]\nyear = 1992\nactor = "USA"\naction = "reset"\ntarget = "RUS"\n'
    )
    child = tmp_path / "child.toml"
    child.write_text('name = "c"\nextends = "parent.toml"\n[[remove]]\naction = "reset"\n')
    sc = load_scenario(child)
    assert len(sc.events) == 1 and len(sc.remove) == 1
