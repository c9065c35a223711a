"""Resolution you can predict: names, ``extends`` from anywhere, the Python API, file indices."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim import load_scenario, run
from sim.data import locate
from sim.files.errors import InputError
from sim.model.consistency import scheduled_events
from sim.model.resolve import resolve
from sim.model.shock_list import scheduled_shocks


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user's own folder, outside the checkout, as the working directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("ref", ["historical", "historical.toml"])
def test_extends_a_bundled_scenario_from_the_users_folder(elsewhere: Path, ref: str):
    p = elsewhere / "mine.toml"
    p.write_text(f'name = "mine"\nextends = "{ref}"\n[parameters]\nnrc_share = 0.5\n')
    s = load_scenario(p)
    hist = load_scenario("historical")
    assert s.timeline and s.time == hist.time and s.shocks == hist.shocks
    assert s.parameters == {"nrc_share": 0.5}
    assert resolve(p).parent == locate.bundled_scenario("historical").resolve()


def test_extends_a_neighbour_before_a_bundled_one(elsewhere: Path):
    (elsewhere / "historical.toml").write_text(
        'name = "my_history"\n[time]\nstart = 1991\nend = 1995\n'
    )
    (elsewhere / "sub").mkdir()
    child = elsewhere / "sub" / "child.toml"
    child.write_text('name = "child"\nextends = "../historical.toml"\n')
    assert load_scenario(child).time.end == 1995
    near = elsewhere / "near.toml"
    near.write_text('name = "near"\nextends = "historical"\n')
    assert load_scenario(near).time.end == 1995  # the file next to it comes first


def test_a_missing_parent_says_where_it_looked(elsewhere: Path):
    p = elsewhere / "mine.toml"
    p.write_text('name = "mine"\nextends = "histroical.toml"\n')
    with pytest.raises(InputError) as e:
        load_scenario(p)
    assert e.value.field == "extends"
    assert f"looked for {elsewhere / 'histroical.toml'}" in e.value.message
    assert "then among the bundled scenarios: early_reset, hindcast, historical," in e.value.message


def test_the_python_api_follows_extends(elsewhere: Path):
    s = load_scenario({"name": "mine", "extends": "historical", "parameters": {"memory": 0.1}})
    assert s.timeline and s.time.end == 2012
    assert len(s.shocks) == len(load_scenario("historical").shocks)
    res = run({"extends": "historical", "name": "mine"}, replicates=1)
    hist = run("historical", replicates=1)
    assert res.trajectory.trust.equals(hist.trajectory.trust)
    with pytest.raises(InputError, match="looked for"):
        load_scenario({"name": "mine", "extends": "nope"})


def test_indices_are_counted_within_the_users_file(elsewhere: Path):
    p = elsewhere / "mine.toml"
    p.write_text(
        'name = "mine"\nextends = "historical"\n'
        '[[shocks]]\nyear = 2005\nkind = "threat"\ntheme = "terrorism"\n'
        '[[shocks]]\nyear = 2027\nkind = "threat"\ntheme = "terrorism"\n'
    )
    with pytest.raises(InputError) as e:
        load_scenario(p)
    assert (e.value.path, e.value.field) == (str(p.resolve()), "shocks[1].year")
    assert e.value.message == "2027 is outside the time span 1991-2012"


def test_a_parents_field_is_named_in_the_parents_file(elsewhere: Path):
    parent = elsewhere / "parent.toml"
    parent.write_text(
        'name = "parent"\nextends = "historical"\n'
        '[[events]]\nyear = 2005\nactor = "USA"\naction = "reset"\ntarget = "RUS"\n'
    )
    child = elsewhere / "child.toml"
    child.write_text('name = "child"\nextends = "parent.toml"\n[actors]\nexclude = ["USA"]\n')
    with pytest.raises(InputError) as e:
        load_scenario(child)
    assert (e.value.path, e.value.field) == (str(parent.resolve()), "events[0].actor")
    assert e.value.message == "actor 'USA' is excluded (actors.exclude)"


def test_a_shorter_span_leaves_out_the_parents_later_entries(elsewhere: Path):
    """A child that ends earlier keeps what falls in its span, as the timeline does.

    The parent's own event and shock of 2005 and the bundled parent's shocks after
    2004 simply do not happen; the child's own entries must lie inside its span.
    """
    parent = elsewhere / "parent.toml"
    parent.write_text(
        'name = "parent"\nextends = "historical"\n'
        '[[events]]\nyear = 2005\nactor = "USA"\naction = "reset"\ntarget = "RUS"\n'
        '[[shocks]]\nyear = 2005\nkind = "threat"\ntheme = "narcotics"\n'
    )
    child = elsewhere / "child.toml"
    child.write_text('name = "child"\nextends = "parent.toml"\n[time]\nstart = 1991\nend = 2004\n')
    s = load_scenario(child)
    assert max(e.year for e in scheduled_events(s)) <= 2004
    assert not [e for e in scheduled_events(s) if e.action == "reset"]
    assert sorted(sh.year for sh in scheduled_shocks(s)) == sorted(
        sh.year for sh in load_scenario("historical").shocks if sh.year <= 2004
    )
    child.write_text(
        child.read_text() + '[[shocks]]\nyear = 2005\nkind = "threat"\ntheme = "piracy"\n'
    )
    with pytest.raises(InputError) as e:
        load_scenario(child)
    assert (e.value.path, e.value.field) == (str(child.resolve()), "shocks[0].year")
    assert e.value.message == "2005 is outside the time span 1991-2004"


def test_inherited_lists_keep_their_order_and_events(elsewhere: Path):
    p = elsewhere / "mine.toml"
    p.write_text(
        'name = "mine"\nextends = "early_reset"\n'
        '[[events]]\nyear = 2001\nactor = "USA"\naction = "reset"\ntarget = "RUS"\n'
    )
    s = load_scenario(p)
    mine = [e for e in scheduled_events(s) if e.action == "reset"]
    assert [e.year for e in mine] == [2000, 2001]
