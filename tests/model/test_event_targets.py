"""An event's targets must be what its action is aimed at; a shock takes only its own fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim import load_scenario
from sim.data import tables
from sim.files.errors import InputError
from sim.model.checks import target_problem


def _scenario(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "mine.toml"
    p.write_text(f'name = "mine"\nextends = "historical"\n{body}')
    return p


def _event(year: int, actor: str, action: str, target: str) -> str:
    return (
        f'[[events]]\nyear = {year}\nactor = "{actor}"\naction = "{action}"\ntarget = "{target}"\n'
    )


@pytest.mark.parametrize(
    ("event", "says"),
    [
        (("NATO", "enlargement_wave", "RUS"), "aimed at a state (one that is not yet a member)"),
        (("NATO", "enlargement_wave", "NATO"), "aimed at another actor than its own"),
        (("RUS", "energy_pressure", "RUS"), "aimed at another actor than its own"),
        (("USA", "reset", "POL"), "aimed at Russia (RUS)"),
        (("NATO", "aggressive_narrative", "POL"), "aimed at Russia (RUS)"),
        (("RUS", "aggressive_narrative", "AFG"), "aimed at NATO or a member state"),
        (("NATO", "out_of_area_intervention", "POL"), "aimed at a theatre beyond the alliance"),
        (("RUS", "counter_deployment", "POL"), "aimed at NATO"),
    ],
)
def test_an_event_aimed_at_the_wrong_kind_of_target_is_refused(
    tmp_path: Path, event: tuple[str, str, str], says: str
) -> None:
    actor, action, target = event
    p = _scenario(tmp_path, _event(2005, actor, action, target))
    with pytest.raises(InputError) as e:
        load_scenario(p)
    assert (e.value.path, e.value.field) == (str(p.resolve()), "events[0].target")
    assert e.value.message.startswith(f"{actor} {action} {target}: ")
    assert says in e.value.message


def test_every_event_of_the_record_is_aimed_at_what_its_action_is_aimed_at() -> None:
    acts = tables.actions()
    wrong = [
        (ev.year, ev.actor, ev.action, t)
        for ev in tables.timeline()
        for t in ev.targets
        if target_problem(ev.actor, acts[ev.action].targets, t)
    ]
    assert wrong == []


def test_fitting_targets_are_accepted(tmp_path: Path) -> None:
    body = (
        _event(2005, "RUS", "use_of_force", "RU-CE")  # a place in Russia's periphery
        + _event(2005, "RUS", "bilateral_deal", "ITA")  # Moscow's deal with a member
        + _event(2005, "NATO", "humanitarian_intervention", "SOM")
    )
    assert len(load_scenario(_scenario(tmp_path, body)).events) == 3


@pytest.mark.parametrize(
    ("shock", "field", "says"),
    [
        ('kind = "leadership"\nactor = "RUS"\ntheme = "terrorism"', "shocks[0]", "takes no theme"),
        ('kind = "threat"\ntheme = "terrorism"\nactor = "USA"', "shocks[0]", "takes no actor"),
        ('kind = "domestic"\nactor = "USA"', "shocks[0].actor", "USA is a member throughout"),
    ],
)
def test_a_shock_with_a_field_of_another_kind_is_refused(
    tmp_path: Path, shock: str, field: str, says: str
) -> None:
    p = _scenario(tmp_path, f"[[shocks]]\nyear = 2005\n{shock}\n")
    with pytest.raises(InputError) as e:
        load_scenario(p)
    assert e.value.field == field
    assert says in e.value.message


def test_a_later_member_may_still_turn_as_a_candidate(tmp_path: Path) -> None:
    """Poland joins in 1999 in history; a counterfactual may keep it a candidate."""
    p = _scenario(tmp_path, '[[shocks]]\nyear = 1995\nkind = "domestic"\nactor = "POL"\n')
    assert load_scenario(p).shocks[-1].actor == "POL"
