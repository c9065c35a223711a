"""Taking a parent's shocks out with ``[[remove]]``, under the names ``events.csv`` gives them."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim import load_scenario, run
from sim.experiments.evaluation.variants import free, long_run
from sim.files.errors import InputError
from sim.model.consistency import scheduled_events
from sim.model.describe import describe
from sim.model.shock_list import scheduled_shocks


def _write(folder: Path, name: str, body: str) -> Path:
    p = folder / f"{name}.toml"
    p.write_text(f'name = "{name}"\nextends = "historical"\n{body}')
    return p


def _fails(p: Path) -> InputError:
    with pytest.raises(InputError) as e:
        load_scenario(p)
    assert e.value.path == str(p.resolve())
    return e.value


def test_history_without_9_11_loses_that_shock_and_its_effect(tmp_path: Path):
    p = _write(
        tmp_path,
        "no_9_11",
        '[[remove]]\naction = "threat_shock"\ntarget = "terrorism"\nyear = 2001\n',
    )
    s = load_scenario(p)
    base = load_scenario("historical")
    assert len(scheduled_shocks(s)) == len(scheduled_shocks(base)) - 1
    assert not [sh for sh in scheduled_shocks(s) if sh.year == 2001 and sh.kind == "threat"]
    # the event log no longer records it, and 2001 reads differently
    res, hist = run(s, replicates=20), run(base, replicates=20)
    shocks = res.events[res.events["origin"] == "shock"]
    assert not ((shocks["year"] == 2001) & (shocks["action"] == "threat_shock")).any()
    rise = [
        float(m[2002] - m[2000]) for m in (res.median("NATO", "RUS"), hist.median("NATO", "RUS"))
    ]
    assert rise[0] < rise[1]  # the shared threat made Russia's help count for more
    # validate --show lists it among the changes, with the entry that took it out
    changes = [(c.kind, c.what, c.why) for c in describe(p).changes]
    assert ("removed", "2001 threat terrorism +1.5", "remove[0]") in changes


def test_a_change_of_leader_is_taken_out_by_actor_and_year(tmp_path: Path):
    p = _write(tmp_path, "no_putin", '[[remove]]\naction = "leadership_change"\nactor = "RUS"\n')
    s = load_scenario(p)
    assert not [sh for sh in scheduled_shocks(s) if sh.kind == "leadership" and sh.actor == "RUS"]
    assert [sh for sh in scheduled_shocks(s) if sh.kind == "leadership" and sh.actor == "USA"]


def test_a_remove_that_matches_no_shock_names_the_nearest(tmp_path: Path):
    p = _write(
        tmp_path, "off", '[[remove]]\naction = "leadership_change"\nactor = "RUS"\nyear = 2001\n'
    )
    e = _fails(p)
    assert e.field == "remove[0]"
    assert e.message.startswith("matches no shock (action leadership_change, actor RUS, year 2001)")
    assert "2000 RUS leadership_change RUS (year 2000)" in e.message


def test_a_files_own_shock_cannot_be_removed_by_the_same_file(tmp_path: Path):
    p = _write(
        tmp_path,
        "own",
        '[[shocks]]\nyear = 2005\nkind = "threat"\ntheme = "piracy"\n'
        '[[remove]]\naction = "threat_shock"\ntarget = "piracy"\n',
    )
    e = _fails(p)
    assert e.field == "remove[0]"
    assert "takes out shocks[0] (2005 WORLD threat_shock piracy) of the same file" in e.message


@pytest.mark.parametrize(
    ("body", "field", "start"),
    [
        (
            '[[remove]]\naction = "threat_shok"\n',
            "remove[0].action",
            "unknown action 'threat_shok'",
        ),
        (
            '[[remove]]\naction = "threat_shock"\nactor = "RUS"\n',
            "remove[0].actor",
            "a threat is the world's",
        ),
        (
            '[[remove]]\naction = "threat_shock"\ntarget = "terorism"\n',
            "remove[0].target",
            "a threat's target is its theme, got 'terorism' (did you mean 'terrorism'",
        ),
        (
            '[[forbid]]\naction = "domestic_turn"\n',
            "forbid[0].action",
            "domestic_turn is a shock, not a choice",
        ),
    ],
)
def test_a_mistaken_shock_remove_is_one_clear_message(
    tmp_path: Path, body: str, field: str, start: str
):
    e = _fails(_write(tmp_path, "bad", body))
    assert e.field == field
    assert e.message.startswith(start)


def test_a_file_that_extends_another_names_itself(tmp_path: Path):
    p = tmp_path / "unnamed.toml"
    p.write_text('extends = "historical"\n[parameters]\nnrc_share = 0.4\n')
    e = _fails(p)
    assert e.field == "name"
    assert "'historical'" in e.message and "replace the parent's" in e.message
    # a dict (the Python API) writes no folder: it may keep its parent's name
    assert load_scenario({"extends": "historical", "parameters": {"nrc_share": 0.4}}).name == (
        "historical"
    )


def test_a_remove_without_an_action_takes_out_events_only(tmp_path: Path):
    p = _write(tmp_path, "no_rus_2000", '[[remove]]\nactor = "RUS"\nyear = 2000\n')
    s, base = load_scenario(p), load_scenario("historical")
    assert scheduled_shocks(s) == scheduled_shocks(base)  # Putin's election stays
    assert len(scheduled_events(s)) < len(scheduled_events(base))


def test_the_shocks_only_variant_keeps_a_removed_shock_out(tmp_path: Path):
    p = _write(
        tmp_path,
        "no_9_11",
        '[[remove]]\naction = "threat_shock"\ntarget = "terrorism"\nyear = 2001\n',
    )
    s = load_scenario(p)
    assert scheduled_shocks(free(s)) == scheduled_shocks(s)
    assert scheduled_shocks(long_run(s, 2013, 2030, 0.5)) == []


def test_a_parents_own_mistake_is_still_named_in_the_parents_file(tmp_path: Path):
    parent = tmp_path / "parent.toml"
    parent.write_text(
        'name = "parent"\nextends = "historical"\n'
        '[[shocks]]\nyear = 2030\nkind = "threat"\ntheme = "piracy"\n'
    )
    child = tmp_path / "child.toml"
    child.write_text('name = "child"\nextends = "parent.toml"\n[time]\nstart = 1991\nend = 2005\n')
    with pytest.raises(InputError) as e:
        load_scenario(child)
    assert (e.value.path, e.value.field) == (str(parent.resolve()), "shocks[0].year")


def test_a_candidates_turn_outside_a_shorter_span_is_not_checked(tmp_path: Path):
    """Poland's turn of 1995 is a candidate's; a child from 2000, where it is a member
    throughout, leaves it out instead of refusing it."""
    parent = tmp_path / "parent.toml"
    parent.write_text(
        'name = "parent"\nextends = "historical"\n'
        '[[shocks]]\nyear = 1995\nkind = "domestic"\nactor = "POL"\nmagnitude = 0.5\n'
    )
    child = tmp_path / "child.toml"
    child.write_text(
        'name = "child"\nextends = "parent.toml"\ntimeline = false\n'
        "[time]\nstart = 2000\nend = 2012\n"
    )
    s = load_scenario(child)
    assert not [sh for sh in scheduled_shocks(s) if sh.actor == "POL"]
