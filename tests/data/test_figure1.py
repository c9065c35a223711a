"""Fidelity: every tag, lens and override traces back to Figure 1, and the tables agree."""

from __future__ import annotations

from sim.data import perception, tables
from sim.model import readings
from sim.model.compile import REQUIREMENTS


def test_figure1_has_every_row_for_both_sides():
    rows = {(e.side, e.row) for e in tables.figure1()}
    expected = {
        "perceived_outside_threats",
        "perception_of_the_other",
        "strategy_for_action",
        "zones_of_tension",
        "areas_of_action",
        "possible_areas_of_cooperation",
        "strategy_to_increase_cooperation",
    }
    for side in ("NATO", "RUS"):
        assert {r for s, r in rows if s == side} == expected
    ids = [e.id for e in tables.figure1()]
    assert len(ids) == len(set(ids)), "Figure 1 ids must be unique"


def test_every_tag_names_an_entry_an_action_and_a_side():
    ids = {e.id for e in tables.figure1()}
    acts = tables.actions()
    targets = set(tables.actor_codes()) | set(tables.places())
    for t in perception.tags():
        assert t.entry in ids, f"tag {t.action}/{t.side} names unknown entry {t.entry}"
        assert t.action in acts, t
        assert t.side in ("west", "russia", "aspirant"), t
        assert t.sign in (-1, 1), t
        assert not t.target or t.target in targets, t
        assert not t.reader or t.reader in tables.READERS, t
        assert t.why, f"tag {t.action}/{t.entry} gives no reason"


def test_every_lens_is_a_perception_entry_acting_on_the_other_side():
    ents = {e.id: e for e in tables.figure1()}
    mechanisms = set()
    for lens in perception.lenses():
        assert ents[lens.entry].row == "perception_of_the_other", lens
        mechanisms.add(lens.mechanism)
        for target in lens.acts_on:
            assert target in ents, lens
    assert {e.id for e in ents.values() if e.row == "perception_of_the_other"} == {
        lens.entry for lens in perception.lenses()
    }
    assert mechanisms == {"gain", "bloc", "reach", "suspicion", "face_value", "declining"}


def test_every_override_gives_its_reason():
    for o in perception.overrides():
        assert o.why and o.entry in {e.id for e in tables.figure1()}, o


def test_every_tension_and_cooperation_entry_is_used():
    used = readings.used_entries()
    for e in tables.figure1():
        if e.row in ("zones_of_tension", "possible_areas_of_cooperation"):
            assert e.id in used, f"Figure 1 entry {e.id} ({e.label}) drives no reading"


def test_every_action_has_a_reading():
    read = {r.action for r in readings.derived_rules()}
    for name in tables.actions():
        assert name in read, f"action {name} is read by nobody"


def test_derived_readings_are_bounded():
    for r in readings.derived_rules():
        assert -3.0 <= r.valence <= 3.0, r
        assert r.reader in tables.READERS


def test_catalogue_holds_the_required_actions():
    required = {
        "enlargement_wave",
        "membership_promise",
        "missile_shield_deployment",
        "shield_cancellation",
        "joint_shield_offer",
        "reset",
        "nrc_engagement",
        "nrc_rejuvenation",
        "nrc_suspension",
        "partnership_for_peace",
        "out_of_area_intervention",
        "use_of_force",
        "energy_pressure",
        "aggressive_narrative",
        "arms_control_exit",
        "bilateral_deal",
        "joint_counterterrorism",
        "joint_nonproliferation",
        "joint_counter_piracy",
        "joint_afghanistan",
    }
    assert required <= set(tables.actions())


def test_catalogue_requirements_are_known():
    for act in tables.actions().values():
        assert set(act.requires) <= set(REQUIREMENTS), act.action


def test_timeline_events_are_known_and_sourced():
    acts = tables.actions()
    actors = set(tables.actor_codes())
    targets = actors | set(tables.places())
    years = []
    for ev in tables.timeline():
        assert ev.action in acts, ev
        assert ev.actor in actors, ev
        assert ev.targets and set(ev.targets) <= targets, ev
        assert ev.source, f"event {ev.year} {ev.action} has no source"
        assert 1991 <= ev.year <= 2024
        years.append(ev.year)
    assert years == sorted(years)


def test_every_accession_follows_its_invitation_and_matches_the_states_table():
    # The record as it is: each state joins in its accession year, after a
    # membership promise to it in an earlier year (Madrid 1997, Prague 2002,
    # Bucharest 2008, 2015, 2018, Madrid 2022).
    accession = {s.code: s.accession for s in tables.states() if s.accession}
    promised: dict[str, int] = {}
    joined = set()
    for ev in tables.timeline():
        if ev.action == "membership_promise":
            for c in ev.targets:
                promised.setdefault(c, ev.year)
        elif ev.action == "enlargement_wave":
            for c in ev.targets:
                assert accession[c] == ev.year, (c, ev.year)
                assert promised.get(c, ev.year) < ev.year, f"{c} joins in {ev.year} uninvited"
                joined.add(c)
    assert joined == {c for c, y in accession.items() if y > 1991}


def test_states_accession_years():
    st = {s.code: s for s in tables.states()}
    founders = {"BEL", "CAN", "DNK", "FRA", "ISL", "ITA", "LUX", "NLD", "NOR", "PRT", "GBR", "USA"}
    assert {c for c, s in st.items() if s.accession == 1949} == founders
    assert st["DEU"].accession == 1955 and st["ESP"].accession == 1982
    assert {c for c, s in st.items() if s.accession == 1999} == {"CZE", "HUN", "POL"}
    assert {c for c, s in st.items() if s.accession == 2004} == {
        "BGR",
        "EST",
        "LVA",
        "LTU",
        "ROU",
        "SVK",
        "SVN",
    }
    assert {c for c, s in st.items() if s.accession == 2009} == {"ALB", "HRV"}
    assert {c for c, s in st.items() if s.role == "aspirant"} >= {"UKR", "GEO"}
