"""How each side reads an act (``sim.model.events``), and the events of a run.

Readings must follow from Figure 1 (checked against the CSV files read here
independently), and the event lists must be those of ``run``.
"""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from sim import DiplomacyModel, load_scenario, run
from sim.data import tables
from sim.data.locate import catalog_dir, seeds_dir
from sim.model import events as E
from sim.model import readings
from sim.model.params import DEFAULTS
from sim.model.readings import EXPOSURE


def _play(model: DiplomacyModel) -> DiplomacyModel:
    while model.running:
        model.step()
    return model


def _csv(path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def tags() -> list[dict[str, str]]:
    return _csv(catalog_dir() / "tags.csv")


@pytest.fixture(scope="module")
def figure1() -> dict[str, str]:
    return {r["id"]: r["label"] for r in _csv(seeds_dir() / "figure1.csv")}


def _why(tags, action, side, ids, target=""):
    return "; ".join(
        r["why"]
        for r in tags
        if r["action"] == action
        and r["side"] == side
        and r["entry"] in ids
        and r["target"] in ("", target)
    )


def test_russian_use_of_force_is_hostile_to_nato(tags, figure1) -> None:
    # From the CSV files alone: NATO's own column holds one entry the act engages,
    # its first zone of tension; Russia's own entries reach NATO through no lens.
    r = E.readings("RUS", "use_of_force", "GEO")
    ids = ("N.tension.use_of_force_sphere",)
    assert r.side == "russia"
    assert r.moscow is None  # Russia's own act
    assert r.other is r.nato
    assert r.nato.reader == "NATO"
    assert r.nato.valence == pytest.approx(-DEFAULTS["fig_tension"]) and r.nato.valence < 0
    assert r.nato.word == "hostile"
    assert r.nato.figure1 == ids
    assert r.nato.labels == tuple(figure1[i] for i in ids)
    assert r.nato.why == _why(tags, "use_of_force", "russia", ids, "GEO")
    # Georgia, the state attacked, takes it harder (its exposure)
    assert r.target is not None
    assert r.target.valence == pytest.approx(EXPOSURE["TARGET"] * r.nato.valence)
    # a theatre is not a state: no target reading
    assert E.readings("RUS", "use_of_force", "OOA").target is None


def test_a_chechen_war_engages_none_of_natos_rows() -> None:
    # Chechnya is Russia's own area of action in Figure 1; NATO's column holds no
    # entry the war engages, so NATO reads nothing into it (unlike Georgia 2008).
    assert E.readings("RUS", "use_of_force", "RU-CE").nato is None


def test_enlargement_is_read_in_moscow_only() -> None:
    r = E.readings("NATO", "enlargement_wave", ("POL", "CZE"))
    expected = -(DEFAULTS["fig_tension"] + DEFAULTS["lens_gain"] + DEFAULTS["lens_bloc"])
    assert (r.side, r.nato, r.target) == ("west", None, None)
    assert r.other is r.moscow
    assert r.moscow.reader == "RUS"
    assert r.moscow.valence == pytest.approx(expected)
    assert "R.tension.enlargement" in r.moscow.figure1


def test_nato_falls_back_to_the_members_rule() -> None:
    rules = readings.derived_rules()
    members_only = {
        (r.action, r.actor_side)
        for r in rules
        if r.reader == "MEMBERS" and r.actor_side == "russia" and not r.target
    } - {(r.action, r.actor_side) for r in rules if r.reader == "NATO" and not r.target}
    for action, _ in members_only:
        assert E.readings("RUS", action).nato.reader == "MEMBERS"


def test_shocks_are_read_by_nobody() -> None:
    for actor, action in (
        ("WORLD", "threat_shock"),
        ("RUS", "leadership_change"),
        ("RUS", "course_change"),
    ):
        r = E.readings(actor, action, "terrorism")
        assert (r.side, r.moscow, r.nato, r.other) == ("world", None, None, None)
    assert E.label("threat_shock", "terrorism") == "A shared threat rises: terrorism"
    assert E.label("leadership_change") == "New leader in Moscow"
    assert E.label("course_change") == "Moscow changes course"
    acts = E.shock_acts(load_scenario("historical"))
    assert (2012, "RUS", "course_change", "RUS") in {a[:4] for a in acts}
    assert not any(a[0] == 2012 and a[2] == "leadership_change" for a in acts)


def test_labels_and_names_come_from_the_tables() -> None:
    for action, act in tables.actions().items():
        assert E.label(action) == act.label
    assert E.who("POL;GEO") == "Poland, Georgia"
    assert E.who(("RUS", "OOA")) == f"Russia, {tables.places()['OOA']}"
    assert E.who("XYZ") == "XYZ"  # unknown codes are shown as they are


def test_side_is_the_tables_actor_side() -> None:
    for action in tables.actions():
        for actor in ("NATO", "RUS", "UKR"):
            assert E.side(actor, action) == tables.actor_side(actor, action)


@pytest.mark.parametrize("scenario", ["historical", "projection_2030", "no_kosovo"])
def test_fixed_events_are_the_runs_scheduled_events_and_shocks(scenario) -> None:
    ev = run(scenario, replicates=2).events
    fixed = ~ev.origin.isin(["chosen", "drawn"])  # what does not depend on the draw
    want = ev[fixed & (ev.replicate == 0)].reset_index(drop=True)
    got = E.fixed_events(load_scenario(scenario))
    pd.testing.assert_frame_equal(got, want)
    assert list(got.columns) == list(E.EVENT_COLUMNS)


def test_fixed_events_list_every_shock() -> None:
    sc = load_scenario("historical")
    got = E.fixed_events(sc)
    shocks = got[got.origin == "shock"]
    assert len(shocks) == len(sc.shocks) > 0
    assert set(shocks.action) <= set(E.SHOCK_ACTIONS)


def test_event_log_is_run_events() -> None:
    m = _play(DiplomacyModel("projection_2030", rng=5))
    res = run("projection_2030", seed=5)
    rows = E.event_rows(m)
    ev = res.events
    assert [(r.year, r.actor, r.action, r.origin) for r in rows] == list(
        ev[["year", "actor", "action", "origin"]].itertuples(index=False, name=None)
    )
    assert all(r.year >= 2012 for r in rows)  # reported years only, like natosim run
    assert all(r.note == "" for r in rows if r.origin == "chosen")


def test_scheduled_events_carry_their_timeline_notes() -> None:
    m = _play(DiplomacyModel("historical"))
    notes = [r.note for r in E.event_rows(m) if r.origin == "scheduled"]
    expected = [o.note for evs in m.compiled.sched for o in evs]
    assert notes == expected


def _pair(actor: str, action: str) -> tuple:
    r = E.readings(actor, action)
    return r.moscow, r.nato


def test_readings_come_from_the_derived_rules() -> None:
    rules = {
        (r.action, r.actor_side, r.reader): r for r in readings.derived_rules() if not r.target
    }
    moscow, nato = _pair("NATO", "enlargement_wave")
    rule = rules[("enlargement_wave", "west", "RUS")]
    assert nato is None
    assert moscow.valence == pytest.approx(rule.valence)
    assert moscow.figure1 == rule.figure1
    moscow, nato = _pair("RUS", "nrc_suspension")
    rule = rules[("nrc_suspension", "russia", "NATO")]
    assert moscow is None
    assert nato.valence == pytest.approx(rule.valence) and nato.why
