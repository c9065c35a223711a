"""Fidelity: every perception rule traces back to Figure 1, and the tables agree."""

from __future__ import annotations

from sim.data import tables
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


def test_every_rule_cites_existing_figure1_entries():
    ids = {e.id for e in tables.figure1()}
    for rule in tables.rules():
        assert rule.figure1, f"rule {rule.action}/{rule.reader} cites nothing"
        for ref in rule.figure1:
            assert ref in ids, f"rule {rule.action}/{rule.reader} cites unknown entry {ref}"


def test_every_tension_and_cooperation_entry_is_used():
    used = {ref for rule in tables.rules() for ref in rule.figure1}
    for e in tables.figure1():
        if e.row in ("zones_of_tension", "possible_areas_of_cooperation"):
            assert e.id in used, f"Figure 1 entry {e.id} ({e.label}) drives no rule"


def test_rules_refer_to_catalogue_actions_and_known_readers():
    acts = tables.actions()
    for rule in tables.rules():
        assert rule.action in acts
        assert rule.reader in tables.READERS
        assert -2.0 <= rule.valence <= 2.0
        assert rule.actor_side in ("west", "russia", "aspirant")


def test_every_action_has_a_reading():
    read = {r.action for r in tables.rules()}
    for name in tables.actions():
        assert name in read, f"action {name} has no perception rule"


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
