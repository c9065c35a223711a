"""Direct tests of :mod:`sim.model.compile` with :mod:`~sim.model.templates` and
:mod:`~sim.model.readings`: the static arrays of constructed scenarios."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.data import perception, tables
from sim.data.geography import proximity_shares
from sim.data.perception import Catalog, Lens, Override, Tag
from sim.model import readings
from sim.model.compile import Compiled, compile_scenario
from sim.model.consistency import scheduled_events
from sim.model.core import draw_noise, simulate, stack_noise
from sim.model.params import DEFAULTS
from sim.model.readings import Figure1Spec, Term
from sim.model.resolve import load_scenario
from sim.model.routing import routed_rows
from sim.model.scenario import THEMES
from sim.model.slots import Occurrence
from sim.model.state import group_weights
from sim.model.templates import GRID, Group, TemplateBuilder
from tests.model.builders import compiled, event, params, slot, state

CAT = perception.catalog()
BASE = compiled()  # 1991-1995, no scheduled events, every choice allowed
HIST = compile_scenario(load_scenario("historical"))
ENTRIES = {e.id: e for e in tables.figure1()}
SHIELD_ACTS = ["missile_shield_deployment", "shield_cancellation", "joint_shield_offer"]


def _entries_of(o: Occurrence) -> set[str]:
    """Every Figure 1 entry some reading of an act rests on (all its readers)."""
    side = tables.actor_side(o.actor, o.action)
    out: set[str] = set()
    for r in readings.readers_of(side):
        for t in readings.terms(o.action, side, o.targets, r, CAT):
            out.update(t.entry.split(">"))
    return out


def _placed_entries(comp: Compiled, o: Occurrence) -> set[str]:
    """The entries of the readings an act's template places on some pair."""
    side = tables.actor_side(o.actor, o.action)
    readers = {"RUS"} if side in ("west", "aspirant") else {"NATO"}
    if side == "russia":
        target = readings.terms(o.action, side, o.targets, "TARGET", CAT, comp.figure1)
        for s in comp.states:
            if s.code in o.targets and target:
                readers.add("TARGET")
            else:
                readers.add("ASPIRANT" if s.role == "aspirant" else "MEMBERS")
    out: set[str] = set()
    for r in readers:
        for t in readings.terms(o.action, side, o.targets, r, CAT, comp.figure1):
            out.update(t.entry.split(">"))
    return out


def _expanded(comp: Compiled, row: np.ndarray) -> dict[tuple[Group, int], float]:
    """A compressed template row as (group, column) -> value, zeros left out."""
    full = np.zeros(len(comp.groups) * comp.width)
    full[comp.template_columns] = row
    full = full.reshape(len(comp.groups), comp.width)
    return {(comp.groups[g], c): float(full[g, c]) for g, c in zip(*np.nonzero(full), strict=True)}


# --- actors and pairs ----------------------------------------------------------------------


def test_pairs_are_the_dyad_then_russia_and_each_state_both_ways() -> None:
    codes = [s.code for s in tables.states()]
    assert [s.code for s in BASE.states] == codes
    assert BASE.actors == (tables.NATO, tables.RUS, *codes)
    want = [(tables.NATO, tables.RUS), (tables.RUS, tables.NATO)]
    for c in codes:
        want += [(tables.RUS, c), (c, tables.RUS)]
    # then trust among the key members and the first new members (1999), after the states
    ally = tuple(s.code for s in tables.states() if s.key_partner or s.accession == 1999)
    assert BASE.alliance == ally == ("FRA", "GBR", "USA", "DEU", "CZE", "HUN", "POL")
    want += [(a, b) for a in ally for b in ally if a != b]
    assert list(BASE.pairs) == want
    assert BASE.n_pairs == 2 + 2 * len(codes) + 7 * 6 and BASE.width == BASE.n_pairs + 2
    assert list(np.flatnonzero(BASE.pair_alliance)) == list(range(2 + 2 * len(codes), len(want)))
    assert all(BASE.pairs[i] == p for p, i in BASE.pair_index.items())
    for i, c in enumerate(codes):
        assert BASE.state_index[c] == i
        assert BASE.pairs[BASE.rus_to_state[i]] == (tables.RUS, c)
        assert BASE.pairs[BASE.state_to_rus[i]] == (c, tables.RUS)
    assert list(np.flatnonzero(BASE.pair_dyad)) == [0, 1]


def test_pair_flags_mark_new_members_and_aspirants_as_readers() -> None:
    new = {BASE.pairs[i] for i in np.flatnonzero(BASE.pair_new_reader)}
    asp = {BASE.pairs[i] for i in np.flatnonzero(BASE.pair_aspirant_reader)}
    assert new == {(s.code, tables.RUS) for s in tables.states() if s.tier == "new"}
    assert asp == {(c, tables.RUS) for c in ("UKR", "GEO")}
    assert ("POL", tables.RUS) in new and ("DEU", tables.RUS) not in new
    assert list(BASE.state_new) == [s.tier == "new" for s in BASE.states]
    assert list(BASE.state_aspirant) == [s.role == "aspirant" for s in BASE.states]
    assert list(BASE.state_key) == [s.key_partner for s in BASE.states]
    assert list(BASE.state_voice) == [s.voice for s in BASE.states]


@pytest.mark.parametrize("start", [1991, 1998, 1999, 2004, 2009])
def test_members_at_the_start_are_those_acceded_by_then(start: int) -> None:
    comp = compiled(start, start + 1)
    members = {s.code for s, m in zip(comp.states, comp.member0, strict=True) if m}
    assert members == {
        s.code for s in tables.states() if s.accession is not None and s.accession <= start
    }
    assert ("POL" in members) == (start >= 1999)


def test_excluded_states_have_no_pairs_slots_or_flags() -> None:
    comp = compiled(actors={"exclude": ["UKR", "FRA"]})
    assert "UKR" not in comp.state_index and "FRA" not in comp.actors
    assert comp.alliance == ("GBR", "USA", "DEU", "CZE", "HUN", "POL")
    assert comp.n_pairs == BASE.n_pairs - 4 - (7 * 6 - 6 * 5)  # and France's allied pairs
    assert comp.pair_alliance.sum() == 6 * 5
    assert not any({"UKR", "FRA"} & set(p) for p in comp.pairs)
    assert not any({"UKR", "FRA"} & {o.actor, *o.targets} for o in comp.slots)
    assert len(comp.slots) < len(BASE.slots)
    assert len(comp.state_voice) == len(comp.states) == len(BASE.states) - 2


def test_years_and_reporting_start() -> None:
    assert list(BASE.years) == [1991, 1992, 1993, 1994, 1995]
    assert BASE.report_from == 1991
    assert compiled(report_from=1993).report_from == 1993


# --- choice slots --------------------------------------------------------------------------


def test_slots_decide_on_the_choosers_trust_in_the_other() -> None:
    assert len(BASE.slots) == len(BASE.slot_decision_pair) > 0
    for j, o in enumerate(BASE.slots):
        assert o.origin == "chosen" and len(o.targets) == 1 and o.targets[0] != o.actor
        t = o.targets[0]
        d = BASE.slot_decision_pair[j]
        if o.actor == tables.NATO:
            assert d == -1  # the alliance's collective view
        elif o.actor == tables.RUS:
            other = t if t in BASE.state_index else tables.NATO
            assert BASE.pairs[d] == (tables.RUS, other), o
        else:
            assert BASE.pairs[d] == (o.actor, tables.RUS), o
        assert BASE.slot_target_state[j] == BASE.state_index.get(t, -1)
        assert BASE.slot_actor_state[j] == BASE.state_index.get(o.actor, -1)
    assert BASE.pairs[BASE.slot_decision_pair[slot(BASE, "RUS", "use_of_force", "GEO")]] == (
        tables.RUS,
        "GEO",
    )


def test_slots_follow_the_catalogue() -> None:
    acts = CAT.actions
    for j, o in enumerate(BASE.slots):
        a = acts[o.action]
        assert BASE.slot_base[j] == a.base_logit and BASE.slot_stance[j] == a.stance
        assert list(BASE.slot_lever[j]) == [a.lever_sg, a.lever_nrc, a.lever_global]
        assert BASE.slot_theme[j] == (THEMES.index(a.theme) if a.theme else -1)
        assert BASE.slot_promise_bonus[j] == a.promise_bonus
        assert BASE.slot_requires[j] == a.requires
    for req, idx in BASE.slot_requirement_index.items():
        assert set(idx) == {j for j, r in enumerate(BASE.slot_requires) if req in r}
    shield_hosts = {o.targets[0] for o in BASE.slots if o.action == "missile_shield_deployment"}
    assert shield_hosts == {"POL", "CZE", "ROU", "TUR"}
    assert not any(o.action == "partnership_for_peace" for o in BASE.slots)  # nobody chooses it


def test_slot_effects_name_the_target_states() -> None:
    eff = {BASE.slots[j]: (kind, size, tg) for j, kind, size, tg in BASE.slot_effects}
    ukr = BASE.state_index["UKR"]
    occ = {(o.actor, o.action, o.targets): v for o, v in eff.items()}
    assert occ[(tables.NATO, "enlargement_wave", ("UKR",))] == ("member", 0.0, (ukr,))
    assert occ[(tables.NATO, "membership_promise", ("UKR",))] == ("promise", 0.0, (ukr,))
    assert occ[("USA", "shield_cancellation", ("RUS",))] == ("shield_off", 0.0, ())
    assert occ[(tables.NATO, "nrc_suspension", ("RUS",))] == ("institution", -0.8, ())
    pol = BASE.state_index["POL"]
    assert occ[(tables.NATO, "missile_shield_deployment", ("POL",))] == ("shield_on", 0.0, (pol,))
    assert all(CAT.actions[BASE.slots[j].action].effect for j, *_ in BASE.slot_effects)
    assert ("USA", "reset", ("RUS",)) not in occ  # no effect on the world


def test_slot_rus_hostile_marks_russias_acts_the_west_reads_as_hostile() -> None:
    hostile = {BASE.slots[j].action for j in np.flatnonzero(BASE.slot_rus_hostile)}
    assert {"energy_pressure", "cyber_operation", "nrc_suspension"} <= hostile
    assert not {a for a in hostile if a.startswith("joint_")}
    assert all(BASE.slots[j].actor == tables.RUS for j in np.flatnonzero(BASE.slot_rus_hostile))
    # hostile = read as hostile by the act's addressee (the state targeted, else NATO)
    codes = list(BASE.state_index)
    assert set(np.flatnonzero(BASE.slot_rus_hostile)) == {
        j
        for j, o in enumerate(BASE.slots)
        if o.actor == tables.RUS
        and readings.addressee_tone(o.action, o.actor, o.targets, codes, CAT) < 0
    }


def test_russias_use_of_force_is_hostile_for_its_assertiveness() -> None:
    for target in ("UKR", "GEO"):
        assert BASE.slot_rus_hostile[slot(BASE, tables.RUS, "use_of_force", target)]


def test_an_unknown_requirement_is_rejected() -> None:
    acts = {**CAT.actions, "reset": replace(CAT.actions["reset"], requires=("moon_landing",))}
    sc = load_scenario({"name": "unit", "time": {"start": 1991, "end": 1995}})
    with pytest.raises(ValueError, match="reset: unknown requirement 'moon_landing'"):
        compile_scenario(sc, catalog=replace(CAT, actions=acts))


# --- masks ---------------------------------------------------------------------------------


def test_scheduled_only_and_forbid_masks() -> None:
    comp = compiled(
        scheduled_only=["reset", "membership_promise"],
        scheduled_only_until=1993,
        forbid=[
            {"action": "use_of_force", "target": "GEO", "from": 1993},
            {"actor": "USA", "action": "bilateral_deal", "year": 1992},
            {"action": "cyber_operation", "to": 1992},
        ],
    )

    def allowed(actor: str, action: str, target: str) -> list[bool]:
        return [bool(x) for x in comp.slot_allowed[:, slot(comp, actor, action, target)]]

    assert comp.slot_allowed.shape == (5, len(comp.slots))
    assert allowed("USA", "reset", "RUS") == [False, False, False, True, True]
    assert allowed("NATO", "membership_promise", "GEO") == [False, False, False, True, True]
    assert allowed("RUS", "use_of_force", "GEO") == [True, True, False, False, False]
    assert allowed("RUS", "use_of_force", "UKR") == [True] * 5
    assert allowed("USA", "bilateral_deal", "RUS") == [True, False, True, True, True]
    assert allowed("FRA", "bilateral_deal", "RUS") == [True] * 5
    for target in ("UKR", "EST"):
        assert allowed("RUS", "cyber_operation", target) == [False, False, True, True, True]
    changed = {comp.slots[j].action for j in np.flatnonzero(~comp.slot_allowed.all(axis=0))}
    assert changed == {
        "reset",
        "membership_promise",
        "use_of_force",
        "bilateral_deal",
        "cyber_operation",
    }


def test_scheduled_only_without_an_end_holds_every_year() -> None:
    comp = compiled(scheduled_only=["reset"])
    assert not comp.slot_allowed[:, slot(comp, "USA", "reset", "RUS")].any()
    assert BASE.slot_allowed.all()


# --- scheduled events and shocks -----------------------------------------------------------


def test_scheduled_events_land_in_their_year() -> None:
    comp = compiled(
        events=[
            event(1994, "USA", "reset", "RUS"),
            event(1992, tables.NATO, "membership_promise", "UKR", "GEO"),
            event(1994, tables.RUS, "joint_counterterrorism", tables.NATO),
        ]
    )
    got = [[(o.actor, o.action, o.targets, o.year) for o in evs] for evs in comp.sched]
    assert got == [
        [],
        [(tables.NATO, "membership_promise", ("UKR", "GEO"), 1992)],
        [],
        [("USA", "reset", ("RUS",), 1994), (tables.RUS, "joint_counterterrorism", ("NATO",), 1994)],
        [],
    ]
    assert all(o.origin == "scheduled" for evs in comp.sched for o in evs)
    c = comp.template_columns.size
    assert [t.shape for t in comp.sched_template] == [(0, c), (1, c), (0, c), (2, c), (0, c)]
    assert all(np.abs(t).sum(axis=1).min(initial=1.0) > 0 for t in comp.sched_template)
    ukr, geo = comp.state_index["UKR"], comp.state_index["GEO"]
    assert comp.sched_effects[1] == ((0, "promise", 0.0, (ukr, geo)),)
    assert comp.sched_effects[3] == ()
    assert list(comp.sched_theme[3]) == [-1, THEMES.index("terrorism")]


def test_every_timeline_event_lands_in_its_year() -> None:
    events = scheduled_events(HIST.scenario)
    assert len(events) > 20
    assert sum(len(evs) for evs in HIST.sched) == len(events)
    for ti, evs in enumerate(HIST.sched):
        year = int(HIST.years[ti])
        assert [(o.actor, o.action, o.targets) for o in evs] == [
            (e.actor, e.action, e.targets) for e in events if e.year == year
        ]
        assert HIST.sched_template[ti].shape[0] == len(evs)


def test_shocks_land_in_their_year_and_theme() -> None:
    comp = compiled(
        shocks=[
            {"year": 1992, "kind": "threat", "theme": "terrorism", "magnitude": 1.0},
            {"year": 1992, "kind": "threat", "theme": "terrorism", "magnitude": 0.5},
            {"year": 1994, "kind": "threat", "theme": "piracy", "magnitude": -0.25},
            {"year": 1993, "kind": "leadership", "actor": "RUS", "magnitude": 0.8},
        ]
    )
    want = np.zeros((5, len(THEMES)))
    want[1, THEMES.index("terrorism")] = 1.5
    want[3, THEMES.index("piracy")] = -0.25
    assert np.array_equal(comp.threat_shock, want)
    assert list(comp.leadership_shock) == [0.0, 0.0, 0.8, 0.0, 0.0]
    assert not BASE.threat_shock.any() and BASE.threat_shock.shape == (5, len(THEMES))


# --- templates -----------------------------------------------------------------------------


@pytest.mark.parametrize("comp", [BASE, HIST], ids=["base", "historical"])
def test_templates_are_on_the_grid(comp: Compiled) -> None:
    for a in (comp.slot_template, comp.standing_shield, *comp.sched_template):
        assert np.array_equal(a / GRID, np.round(a / GRID))
    assert comp.slot_template.shape == (len(comp.slots), comp.template_columns.size)
    assert GRID == 2.0**-12


@pytest.mark.parametrize("comp", [BASE, HIST], ids=["base", "historical"])
def test_template_compression_keeps_every_nonzero_column(comp: Compiled) -> None:
    b = TemplateBuilder(CAT, comp.figure1, comp.states, comp.pair_index, comp.alliance)
    slot_rows = [b.rows(o.actor, o.action, o.targets) for o in comp.slots]

    def joined(o: Occurrence, evs: list[Occurrence]) -> frozenset[str]:
        return frozenset(x.actor for x in evs if (x.action, x.targets) == (o.action, o.targets))

    sched_rows = [
        [b.rows(o.actor, o.action, o.targets, joined(o, evs)) for o in evs] for evs in comp.sched
    ]
    key = [st.code for st in comp.states if st.key_partner]
    slot_forms = routed_rows(b, comp.slots, CAT.actions, key)[1]
    sched_forms = [routed_rows(b, evs, CAT.actions, key)[1] for evs in comp.sched]
    shield = CAT.actions["missile_shield_deployment"]
    standing = {g: shield.standing * v for g, v in b.rows("NATO", shield.action, ()).items()}
    assert tuple(b.groups) == comp.groups
    slot_t, sched_t = b.stack(slot_rows), [b.stack(r) for r in sched_rows]
    full = [slot_t, b.stack([standing]), *sched_t]
    kept = [comp.slot_template, comp.standing_shield[None, :], *comp.sched_template]
    # the shared agenda's bilateral forms, kept as their difference from the forum form
    full.append(b.stack(slot_forms) - slot_t[comp.slot_routed])
    kept.append(comp.slot_bilateral)
    for forms, t, m, k in zip(
        sched_forms, sched_t, comp.sched_routed, comp.sched_bilateral, strict=True
    ):
        full.append(b.stack(forms) - t[m])
        kept.append(k)
    cols = comp.template_columns
    assert np.all(np.diff(cols) > 0)
    moved = np.zeros(len(comp.groups) * comp.width, bool)
    for f, k in zip(full, kept, strict=True):
        assert np.array_equal(f[:, cols], k)
        assert not np.delete(f, cols, axis=1).any()  # nothing moved is left out
        moved |= (f != 0).any(axis=0)
    assert np.array_equal(np.flatnonzero(moved), cols)  # nothing kept is unmoved
    assert cols.size < moved.size / 2


def test_standing_shield_reads_the_deployment_at_its_standing_weight() -> None:
    b = TemplateBuilder(CAT, BASE.figure1, BASE.states, BASE.pair_index)
    rows = b.rows(tables.NATO, "missile_shield_deployment", ())
    standing = CAT.actions["missile_shield_deployment"].standing
    assert standing == 0.25
    want = {
        (list(b.groups)[g], int(c)): round(vec[c] * standing / GRID) * GRID
        for g, vec in rows.items()
        for c in np.flatnonzero(vec)
    }
    assert _expanded(BASE, BASE.standing_shield) == want
    assert min(want.values()) < 0.0


def test_a_western_act_is_read_by_russia_and_spills() -> None:
    b = TemplateBuilder(CAT, Figure1Spec(), BASE.states, BASE.pair_index)
    w = b.width
    pi = BASE.pair_index
    rows = b.rows(tables.NATO, "enlargement_wave", ("UKR",))
    ts = readings.terms("enlargement_wave", "west", ("UKR",), "RUS", CAT)
    groups = list(b.groups)
    assert rows and ts
    for g, vec in rows.items():
        grp = groups[g]
        want = sum(
            t.value for t in ts if t.component == grp.component and (t.value > 0) == (grp.sign > 0)
        )
        assert vec[pi[(tables.RUS, tables.NATO)]] == pytest.approx(want)
        assert vec[w - 2] == vec[pi[(tables.RUS, tables.NATO)]]  # spills to members
        assert vec[pi[(tables.RUS, "UKR")]] == pytest.approx(want * 0.8)  # complicity
        others = np.delete(vec, [pi[(tables.RUS, tables.NATO)], w - 2, pi[(tables.RUS, "UKR")]])
        assert not others.any()
        # Russia reads NATO's reach (a "global" act) with nato_globalism when hostile
        assert grp.modifier == ("global" if grp.sign < 0 else "")
    us = b.rows("USA", "reset", ("RUS",))
    for vec in us.values():
        assert vec[pi[(tables.RUS, "USA")]] > 0.0 and vec[w - 1] == vec[pi[(tables.RUS, "USA")]]
        assert np.count_nonzero(vec) == 2  # spills to Russia's trust in NATO
    assert b.last_entries == {"R.increase.bilateral_key_members"}
    asp = b.rows("UKR", "membership_request", ("NATO",))
    for vec in asp.values():
        assert vec[pi[(tables.RUS, "UKR")]] != 0.0 and vec[w - 1] == vec[pi[(tables.RUS, "UKR")]]


def test_a_russian_act_is_read_by_each_state_as_its_reader() -> None:
    b = TemplateBuilder(CAT, Figure1Spec(), BASE.states, BASE.pair_index)
    rows = b.rows(tables.RUS, "energy_pressure", ("EST",))
    groups = list(b.groups)
    assert sorted(groups[g].modifier for g in rows) == ["", "near"]
    (vec,) = (v for g, v in rows.items() if groups[g] == Group("tension", -1, ""))
    (near,) = (v for g, v in rows.items() if groups[g] == Group("tension", -1, "near"))

    def val(reader: str) -> float:
        return readings.valence(
            readings.terms("energy_pressure", "russia", ("EST",), reader, CAT), {"tension": 1.0}
        )

    pi = BASE.pair_index
    assert vec[pi[(tables.NATO, tables.RUS)]] == pytest.approx(val("NATO"))
    assert vec[pi[("EST", tables.RUS)]] == pytest.approx(val("TARGET"))
    assert vec[pi[("UKR", tables.RUS)]] == pytest.approx(val("ASPIRANT"))
    for code in ("LVA", "DEU", "USA"):  # members read energy pressure by their dependence
        scale = 0.5 + state(code).gas_dependence
        assert vec[pi[(code, tables.RUS)]] == pytest.approx(val("MEMBERS") * scale), code
    assert not vec[BASE.rus_to_state].any() and vec[pi[(tables.RUS, tables.NATO)]] == 0.0
    assert vec[-2:].tolist() == [0.0, 0.0]
    # the members' shares by proximity to Tallinn: only the members, nearer reads more
    readers = [s for s in BASE.states if s.role == "member" and s.code != "EST"]
    share = proximity_shares(
        ("EST",), [s.code for s in readers], weights=[s.voice for s in readers]
    )
    for code in ("LVA", "DEU", "USA"):
        extra = val("MEMBERS") * (0.5 + state(code).gas_dependence) * (share[code] - 1.0)
        assert near[pi[(code, tables.RUS)]] == pytest.approx(extra), code
    assert near[pi[("LVA", tables.RUS)]] < 0 < near[pi[("USA", tables.RUS)]]
    assert near[pi[(tables.NATO, tables.RUS)]] == 0.0  # the alliance's own reading
    assert near[pi[("EST", tables.RUS)]] == 0.0  # the target reads as the target
    assert near[pi[("UKR", tables.RUS)]] == 0.0  # an aspirant reads as an aspirant
    # a deal is not a threat: the members read Russia's deal with Washington alike
    deal = b.rows(tables.RUS, "bilateral_deal", ("USA",))
    assert {list(b.groups)[g].modifier for g in deal} == {""}
    force = b.rows(tables.RUS, "use_of_force", ("GEO",))
    (vec,) = (v for g, v in force.items() if list(b.groups)[g].modifier == "")
    assert vec[pi[("GEO", tables.RUS)]] == -2.0 and vec[pi[("UKR", tables.RUS)]] == -1.5
    assert vec[pi[("LVA", tables.RUS)]] == -1.0 and vec[pi[(tables.NATO, tables.RUS)]] == -1.0


def test_stack_rounds_to_the_grid_over_all_groups() -> None:
    b = TemplateBuilder(CAT, Figure1Spec(), BASE.states, BASE.pair_index)
    b.rows(tables.RUS, "energy_pressure", ("EST",))
    b.rows("USA", "reset", ("RUS",))
    w = b.width
    row = {1: np.full(w, 0.1)}
    out = b.stack([row, {}])
    assert out.shape == (2, len(b.groups) * w)
    assert not out[:, :w].any() and not out[1].any()
    assert np.all(out[0, w : 2 * w] == round(0.1 / GRID) * GRID)


def test_group_modifiers_and_their_signs() -> None:
    for comp in (BASE, HIST):
        for grp in comp.groups:
            assert grp.modifier in ("", "global", "sg", "near")
            if grp.modifier == "near":  # members' shares of Russia's threats to a place
                assert grp.sign < 0
            if grp.modifier == "global":
                assert grp.sign < 0
            if grp.modifier == "sg":
                assert grp.sign > 0


# --- the alliance's own readings (alliance.csv) -------------------------------------------

ALLIES = ("FRA", "GBR", "USA", "DEU", "CZE", "HUN", "POL")
OOA, DEAL, SHIELD = "out_of_area_intervention", "bilateral_deal", "missile_shield_deployment"


def _rule(action: str, reader: str) -> float:
    """The value of one row of ``alliance.csv``."""
    (v,) = [r.value for r in CAT.alliance if (r.action, r.reader) == (action, reader)]
    return v


def _allied(b: TemplateBuilder, rows: dict[int, np.ndarray]) -> dict[tuple[str, str], tuple]:
    """The alliance component of a template: (reader, actor) -> (group, value).

    Checks that the alliance component lands only on member-to-member pairs and
    that nothing else does.
    """
    groups, pairs = list(b.groups), list(b.pair_index)
    out: dict[tuple[str, str], tuple] = {}
    for g, vec in rows.items():
        for c in np.flatnonzero(vec):
            allied = c < len(pairs) and set(pairs[c]) <= set(ALLIES)
            assert allied == (groups[g].component == "alliance"), (groups[g], c)
            if allied:
                out[pairs[c]] = (groups[g], float(vec[c]))
    return out


def _builder() -> TemplateBuilder:
    return TemplateBuilder(CAT, Figure1Spec(), BASE.states, BASE.pair_index, BASE.alliance)


def test_alliance_rules_read_the_alliances_divisions() -> None:
    assert BASE.alliance == ALLIES
    assert {(r.action, r.reader) for r in CAT.alliance} == {
        (OOA, "joined"),
        (OOA, "others"),
        (DEAL, "old"),
        (DEAL, "new"),
        (SHIELD, "host"),
        (SHIELD, "old"),
    }
    assert _rule(OOA, "joined") > 0.0 > _rule(OOA, "others")  # Iraq 2003
    assert _rule(DEAL, "new") < _rule(DEAL, "old") < 0.0  # the two-tier alliance
    assert _rule(SHIELD, "host") > 0.0 > _rule(SHIELD, "old")  # the security blanket


@pytest.mark.parametrize(
    "coalition", [("USA", "GBR", "POL"), ("USA",), ()], ids=["iraq", "alone", "unnamed"]
)
def test_members_who_join_an_intervention_draw_closer_the_others_apart(coalition) -> None:
    b = _builder()
    got = _allied(b, b.rows("USA", OOA, ("IRQ",), frozenset(coalition)))
    mag = CAT.actions[OOA].magnitude
    assert set(got) == {(x, "USA") for x in ALLIES if x != "USA"}  # no member reads itself
    for (reader, _), (grp, v) in got.items():
        rule = "joined" if reader in coalition else "others"
        assert v == pytest.approx(_rule(OOA, rule) * mag, rel=1e-15), reader
        assert (grp.component, grp.sign) == ("alliance", 1 if rule == "joined" else -1)


@pytest.mark.parametrize("actor", ["FRA", "GBR", "USA", "DEU"])
def test_old_and_new_members_read_a_key_members_deal_with_moscow(actor: str) -> None:
    b = _builder()
    got = _allied(b, b.rows(actor, DEAL, (tables.RUS,)))
    mag = CAT.actions[DEAL].magnitude
    assert set(got) == {(x, actor) for x in ALLIES if x != actor}
    for (reader, _), (grp, v) in got.items():
        tier = "new" if reader in ("CZE", "HUN", "POL") else "old"
        assert state(reader).tier == tier
        assert v == pytest.approx(_rule(DEAL, tier) * mag, rel=1e-15), reader
        assert grp == Group("alliance", -1, "")


@pytest.mark.parametrize("hosts", [("POL", "CZE"), ("POL",), ("ROU",)])
def test_a_shields_hosts_welcome_it_and_the_old_members_object(hosts) -> None:
    b = _builder()
    got = _allied(b, b.rows("USA", SHIELD, hosts))
    mag = CAT.actions[SHIELD].magnitude
    want = {(x, "USA"): _rule(SHIELD, "old") * mag for x in ("FRA", "GBR", "DEU")}
    # a host among the allies welcomes it; the other new members have no rule
    want |= {(h, "USA"): _rule(SHIELD, "host") * mag for h in hosts if h in ALLIES}
    assert {k: v for k, (_, v) in got.items()} == pytest.approx(want, rel=1e-15)
    assert all(grp.modifier == "" for grp, _ in got.values())
    assert ("HUN", "USA") not in got


@pytest.mark.parametrize(
    ("actor", "action", "targets"),
    [
        (tables.NATO, OOA, ("IRQ",)),  # the alliance as a whole: no member acts
        (tables.NATO, SHIELD, ("POL",)),
        ("ESP", OOA, ("IRQ",)),  # a member outside the divided core
        ("ITA", DEAL, (tables.RUS,)),
        ("USA", "reset", (tables.RUS,)),  # no rule for the act
        ("POL", "democracy_promotion", ("UKR",)),
        (tables.RUS, DEAL, ("DEU", "FRA")),  # Russia's side of a deal
        ("UKR", "membership_request", (tables.NATO,)),
    ],
)
def test_no_alliance_reading_without_an_ally_acting_under_a_rule(actor, action, targets):
    b = _builder()
    assert _allied(b, b.rows(actor, action, targets, frozenset({actor}))) == {}


def test_the_2003_timeline_splits_the_alliance_in_its_templates() -> None:
    ti = 2003 - 1991
    evs = {(o.actor, o.action): e for e, o in enumerate(HIST.sched[ti])}
    assert {("USA", OOA), ("GBR", OOA), ("POL", OOA), ("DEU", DEAL), ("FRA", DEAL)} <= set(evs)

    def cells(actor: str, action: str) -> dict[tuple[str, str], float]:
        row = _expanded(HIST, HIST.sched_template[ti][evs[(actor, action)]])
        return {HIST.pairs[c]: v for (g, c), v in row.items() if g.component == "alliance"}

    def grid(x: float) -> float:
        return round(x / GRID) * GRID

    m_ooa, m_deal = CAT.actions[OOA].magnitude, CAT.actions[DEAL].magnitude
    coalition = {"USA", "GBR", "POL"}
    for actor in coalition:
        assert cells(actor, OOA) == {
            (x, actor): grid(_rule(OOA, "joined" if x in coalition else "others") * m_ooa)
            for x in ALLIES
            if x != actor
        }, actor
    for actor in ("DEU", "FRA"):
        assert cells(actor, DEAL) == {
            (x, actor): grid(_rule(DEAL, state(x).tier) * m_deal) for x in ALLIES if x != actor
        }, actor


def test_members_reading_each_other_weigh_one_whatever_the_levers() -> None:
    q = np.full((2, len(HIST.question_entries)), 0.5)
    levers = {**params(2), "nato_globalism": np.array([0.0, 1.0])}  # the lever at both ends
    w = group_weights(HIST, levers, q)
    allied = [g for g, grp in enumerate(HIST.groups) if grp.component == "alliance"]
    assert len({HIST.groups[g].sign for g in allied}) == 2
    assert np.all(w[:, allied] == 1.0)


# --- Figure 1 entries used -----------------------------------------------------------------


@pytest.mark.parametrize("comp", [BASE, HIST], ids=["base", "historical"])
def test_used_entries_contain_those_of_scheduled_acts_and_allowed_slots(comp: Compiled):
    for evs in comp.sched:
        for o in evs:
            assert _entries_of(o) <= comp.used_entries, o
    for j, o in enumerate(comp.slots):
        if comp.slot_allowed[:, j].any():
            assert _entries_of(o) <= comp.used_entries, o
    lenses = {"R.perception.cold_war_mentality", "N.perception.non_zero_sum"}
    assert lenses <= comp.used_entries  # the discount lenses of both readers
    assert comp.used_entries <= set(ENTRIES)


def test_an_entry_only_a_never_allowed_act_engages_is_not_used() -> None:
    force = "N.tension.use_of_force_sphere"  # engaged by use of force and recognition
    assert force in BASE.used_entries
    quiet = compiled(scheduled_only=["use_of_force"])
    assert force not in quiet.used_entries
    once = compiled(
        scheduled_only=["use_of_force"], events=[event(1993, tables.RUS, "use_of_force", "GEO")]
    )
    assert force in once.used_entries
    # the Chechen wars engage Russia's own area, which no reader of a Russian act reads
    assert any("RU-CE" in o.targets for evs in HIST.sched for o in evs)
    assert "R.area.chechnya" not in HIST.used_entries


def test_declining_lens_is_used_when_its_holder_may_choose_a_hostile_act() -> None:
    declining = "N.perception.declining_power"
    assert declining in BASE.used_entries
    west_hostile = sorted(
        {
            BASE.slots[j].action
            for j in np.flatnonzero(BASE.slot_declining)
            if BASE.slots[j].actor != tables.RUS
        }
    )
    assert west_hostile
    assert declining not in compiled(scheduled_only=west_hostile).used_entries


SHIELDLESS = {"scheduled_only": [*SHIELD_ACTS, "arms_control_exit"]}


def test_with_no_shield_possible_the_shield_tension_entry_changes_nothing() -> None:
    """The entry of the standing shield moves no trust when no shield can stand."""
    entry = "R.tension.missile_shield"
    a = compiled(**SHIELDLESS)
    b = compiled(**SHIELDLESS, figure1={"drop": [entry]})
    noise = stack_noise([draw_noise(s, a) for s in (1, 2, 3)])
    ta, tb = simulate(a, params(3), noise), simulate(b, params(3), noise)
    assert np.array_equal(ta.trust, tb.trust)


def test_standing_shield_entries_are_used_only_if_a_shield_can_stand() -> None:
    assert "R.tension.missile_shield" not in compiled(**SHIELDLESS).used_entries
    assert "R.tension.missile_shield" in BASE.used_entries  # a shield may be chosen


# --- dropping entries and swapping lenses --------------------------------------------------


def _all_readings() -> list[tuple[str, str, tuple[str, ...], str]]:
    out = []
    sides = {(t.action, t.side) for t in CAT.tags} | {(o.action, o.side) for o in CAT.overrides}
    for action, side in sorted(sides):
        own = sorted({t.target for t in CAT.tags if t.action == action and t.side == side} - {""})
        for targets in ((), *((t,) for t in own)):
            for reader in readings.readers_of(side):
                out.append((action, side, targets, reader))
    return out


@pytest.mark.parametrize("entry", sorted(ENTRIES))
def test_drop_removes_exactly_the_terms_resting_on_the_entry(entry: str) -> None:
    spec = Figure1Spec(frozenset({entry}))
    removed = 0
    for action, side, targets, reader in _all_readings():
        before = readings.terms(action, side, targets, reader, CAT)
        after = readings.terms(action, side, targets, reader, CAT, spec)
        assert after == [t for t in before if entry not in t.entry.split(">")]
        removed += len(before) - len(after)
    if entry in readings.used_entries() and ENTRIES[entry].row != "perception_of_the_other":
        assert removed > 0


def test_drop_changes_exactly_the_templates_of_acts_resting_on_the_entry() -> None:
    for entry in sorted(BASE.used_entries):
        comp = compiled(figure1={"drop": [entry]})
        assert entry not in comp.used_entries
        assert comp.slots == BASE.slots
        changed = 0
        for j, o in enumerate(BASE.slots):
            a = _expanded(BASE, BASE.slot_template[j])
            b = _expanded(comp, comp.slot_template[j])
            rests = entry in _placed_entries(BASE, o)
            assert (a != b) == rests, (entry, o)
            changed += rests
        lens = {x.entry: x.mechanism for x in CAT.lenses}
        if lens.get(entry) not in ("suspicion", "face_value", "declining"):
            assert changed, entry


def test_swap_lenses_swaps_the_discount_levels() -> None:
    # the pairs of a reader of the other side (the allies' pairs: see
    # test_allies_do_not_read_each_other_with_the_lens_for_russia in test_core)
    sides = ~BASE.pair_alliance
    rus = np.array([o == tables.RUS for o, _ in BASE.pairs])[sides]

    def levels(comp: Compiled) -> np.ndarray:
        assert np.array_equal(comp.pair_alliance, BASE.pair_alliance)
        return comp.pair_discount[sides]

    assert np.array_equal(levels(BASE), np.where(rus, 2.0, 0.0))
    swapped = compiled(figure1={"swap_lenses": True})
    assert np.array_equal(levels(swapped), np.where(rus, 0.0, 2.0))
    no_cold_war = compiled(figure1={"drop": ["R.perception.cold_war_mentality"]})
    assert np.array_equal(levels(no_cold_war), np.where(rus, 1.0, 0.0))
    no_face_value = compiled(figure1={"drop": ["N.perception.non_zero_sum"]})
    assert np.array_equal(levels(no_face_value), np.where(rus, 2.0, 1.0))


def test_declining_lens_follows_its_holder() -> None:
    def declining(comp: Compiled) -> set[str]:
        return {comp.slots[j].actor for j in np.flatnonzero(comp.slot_declining)}

    def hostile(spec: Figure1Spec) -> set[int]:
        """Slots the act's addressee reads as hostile, with the scenario's Figure 1."""
        codes = list(BASE.state_index)
        return {
            j
            for j, o in enumerate(BASE.slots)
            if readings.addressee_tone(o.action, o.actor, o.targets, codes, CAT, spec) < 0
        }

    assert slot(BASE, tables.RUS, "use_of_force", "GEO") in hostile(Figure1Spec())
    assert set(np.flatnonzero(BASE.slot_declining)) == {
        j for j in hostile(Figure1Spec()) if BASE.slots[j].actor != tables.RUS
    }
    assert tables.RUS not in declining(BASE) and "NATO" in declining(BASE)
    swapped = compiled(figure1={"swap_lenses": True})
    assert swapped.slots == BASE.slots
    assert declining(swapped) == {tables.RUS}
    assert set(np.flatnonzero(swapped.slot_declining)) == {
        j for j in hostile(Figure1Spec(swap_lenses=True)) if BASE.slots[j].actor == tables.RUS
    }
    assert not compiled(figure1={"drop": ["N.perception.declining_power"]}).slot_declining.any()


def test_question_marked_entries_appear_in_question_entries() -> None:
    marked = {e.id for e in tables.figure1() if e.question}
    assert marked == {"N.coop.iran", "R.coop.afghanistan"}
    in_figure_order = tuple(e.id for e in tables.figure1() if e.question)
    assert in_figure_order == ("N.coop.iran", "R.coop.afghanistan")
    for comp in (BASE, HIST):
        qs = {g.component[2:] for g in comp.groups if g.component.startswith("q:")}
        assert comp.question_entries == tuple(sorted(qs)) == in_figure_order
        assert marked <= comp.used_entries
    # a dropped entry still draws its weight (the others' random numbers stay), unused
    dropped = compiled(figure1={"drop": ["N.coop.iran"]})
    assert dropped.question_entries == in_figure_order
    assert not any(g.component == "q:N.coop.iran" for g in dropped.groups)
    assert "N.coop.iran" not in dropped.used_entries


# --- readings on a constructed catalogue ---------------------------------------------------


def _cat(tags=(), lenses=None, overrides=()) -> Catalog:
    return Catalog(
        CAT.actions, tuple(tags), CAT.lenses if lenses is None else tuple(lenses), tuple(overrides)
    )


def _tag(action: str, side: str, entry: str, sign: int = 1, target: str = "", reader: str = ""):
    return Tag(action, side, target, reader, entry, sign, "")


ROW_ENTRIES = [
    ("R.tension.enlargement", "tension", -1),
    ("R.area.georgia", "area", -1),
    ("R.coop.terrorism", "cooperation", 1),
    ("R.threat.terrorism", "threat", 1),
    ("R.strategy.realpolitik", "strategy", 1),
    ("R.increase.bilateral_key_members", "increase", 1),
    ("R.coop.afghanistan", "q:R.coop.afghanistan", 1),
]


@pytest.mark.parametrize(("entry", "component", "sign"), ROW_ENTRIES)
@pytest.mark.parametrize("tag_sign", [1, -1])
def test_an_own_column_entry_contributes_by_its_row(entry, component, sign, tag_sign) -> None:
    cat = _cat([_tag("joint_shield_offer", "west", entry, tag_sign)], lenses=())
    m = CAT.actions["joint_shield_offer"].magnitude
    assert readings.terms("joint_shield_offer", "west", (), "RUS", cat) == [
        Term(component, sign * tag_sign * m, entry)
    ]


def test_lenses_read_the_others_entries() -> None:
    m = CAT.actions["reset"].magnitude
    tags = [
        _tag("reset", "west", "N.strategy.partnership"),  # zero-sum: a gain of the other
        _tag("reset", "west", "N.strategy.deterrence", -1),  # military bloc, undone
        _tag("reset", "west", "N.coop.iran"),  # no lens acts on it: no reading
    ]
    cat = _cat(tags)
    assert readings.terms("reset", "west", (), "RUS", cat) == [
        Term("gain", -m, "R.perception.zero_sum>N.strategy.partnership"),
        Term("bloc", m, "R.perception.military_bloc>N.strategy.deterrence"),
    ]
    swapped = Figure1Spec(swap_lenses=True)
    assert readings.terms("reset", "west", (), "RUS", cat, swapped) == []
    # with the lenses swapped, the West reads Russia with Russia's zero-sum lens
    cat = _cat([_tag("bilateral_deal", "russia", "R.strategy.bilateral_sco")])
    mb = CAT.actions["bilateral_deal"].magnitude
    assert readings.terms("bilateral_deal", "russia", (), "NATO", cat) == []
    assert readings.terms("bilateral_deal", "russia", (), "NATO", cat, swapped) == [
        Term("gain", -mb, "R.perception.zero_sum>R.strategy.bilateral_sco")
    ]


def test_exposure_scales_hostile_terms_only() -> None:
    tags = [
        _tag("use_of_force", "russia", "N.tension.use_of_force_sphere"),
        _tag("use_of_force", "russia", "N.coop.terrorism"),
    ]
    cat = _cat(tags)
    for reader, expo in (("NATO", 1.0), ("MEMBERS", 1.0), ("ASPIRANT", 1.5), ("TARGET", 2.0)):
        ts = readings.terms("use_of_force", "russia", (), reader, cat)
        assert [t.value for t in ts] == [-expo, 1.0], reader
        assert readings.EXPOSURE[reader] == expo


def test_tags_for_a_target_or_a_reader_apply_only_to_it() -> None:
    tags = [
        _tag("use_of_force", "russia", "N.tension.use_of_force_sphere", target="GEO"),
        _tag("use_of_force", "russia", "N.increase.transparency", -1, reader="MEMBERS"),
        _tag("use_of_force", "west", "N.tension.cybersecurity"),  # another acting side
    ]
    cat = _cat(tags)
    assert readings.terms("use_of_force", "russia", ("UKR",), "NATO", cat) == []
    assert [t.entry for t in readings.terms("use_of_force", "russia", ("GEO",), "NATO", cat)] == [
        "N.tension.use_of_force_sphere"
    ]
    members = readings.terms("use_of_force", "russia", ("UKR",), "MEMBERS", cat)
    assert members == [Term("increase", -1.0, "N.increase.transparency")]


def test_overrides_are_read_and_dropped_with_their_entry() -> None:
    entry = "R.perception.cold_war_mentality"
    cat = _cat(overrides=[Override("reset", "west", "RUS", -0.5, entry, "")])
    m = CAT.actions["reset"].magnitude
    assert readings.terms("reset", "west", (), "RUS", cat) == [Term("override", -0.5 * m, entry)]
    assert readings.terms("reset", "west", (), "RUS", cat, Figure1Spec(frozenset({entry}))) == []
    assert readings.terms("reset", "west", ("RUS",), "RUS", cat)  # targets do not matter


@pytest.mark.parametrize(
    ("mechanisms", "level"),
    [((), 1), (("suspicion",), 2), (("face_value",), 0), (("suspicion", "face_value"), 1)],
)
def test_discount_level_counts_suspicion_and_face_value(mechanisms, level) -> None:
    entry = {"suspicion": "R.perception.cold_war_mentality", "face_value": "R.perception.zero_sum"}
    cat = _cat(lenses=[Lens(entry[m], m, (), "") for m in mechanisms])
    assert readings.discount_level("RUS", Figure1Spec(), cat) == level
    assert readings.discount_level("NATO", Figure1Spec(), cat) == 1
    assert readings.discount_level("NATO", Figure1Spec(swap_lenses=True), cat) == level


@given(st.floats(0.0, 2.0), st.floats(0.0, 3.0), st.floats(0.0, 1.0))
@settings(max_examples=30)
def test_valence_is_the_weighted_sum_of_terms(coop: float, tension: float, q: float) -> None:
    prm = {**DEFAULTS, "fig_cooperation": coop, "fig_tension": tension}
    w = readings.component_weights(prm, question=q)
    assert w["cooperation"] == coop and w["tension"] == tension and w["override"] == 1.0
    assert w["q:N.coop.iran"] == pytest.approx(coop * q)
    ts = [Term("tension", -1.0, "x"), Term("q:N.coop.iran", 0.5, "y"), Term("override", 0.25, "z")]
    assert readings.valence(ts, w) == pytest.approx(-tension + 0.5 * coop * q + 0.25)


def test_tone_is_the_sign_of_the_other_sides_mean_reading() -> None:
    assert readings.tone("energy_pressure", tables.RUS) == -1
    assert readings.tone("joint_counterterrorism", tables.RUS) == 1
    assert readings.tone("enlargement_wave", tables.NATO) == -1
    cat = _cat()
    assert readings.tone("reset", "USA", cat) == 0  # no tags: no reading


# --- the addressee's tone ------------------------------------------------------------------

STATES = [s.code for s in tables.states()]


@pytest.mark.parametrize(
    ("actor", "action", "targets", "reader", "tone"),
    [
        ("USA", "reset", (tables.RUS,), "RUS", 1),  # the West's acts: Russia reads them
        (tables.NATO, "enlargement_wave", ("UKR",), "RUS", -1),
        ("UKR", "membership_request", (tables.NATO,), "RUS", -1),  # an aspirant's too
        (tables.RUS, "use_of_force", ("GEO",), "TARGET", -1),  # Russia's: the state it targets
        (tables.RUS, "energy_pressure", ("EST",), "TARGET", -1),
        (tables.RUS, DEAL, ("DEU", "FRA"), "TARGET", 1),  # the partners welcome the deal
        (tables.RUS, "joint_counterterrorism", (tables.NATO,), "NATO", 1),  # else the alliance
        (tables.RUS, "nrc_suspension", (tables.NATO,), "NATO", -1),
        (tables.RUS, "use_of_force", ("RU-CE",), "NATO", 0),  # Chechnya: Russia's own area
    ],
)
def test_addressee_tone_is_the_sign_of_the_addressees_reading(
    actor, action, targets, reader, tone
) -> None:
    side = tables.actor_side(actor, action)
    w = readings.component_weights(DEFAULTS)
    v = readings.valence(readings.terms(action, side, targets, reader, CAT), w)
    assert (v > 0) - (v < 0) == tone
    assert readings.addressee_tone(action, actor, targets, STATES, CAT) == tone


def test_addressee_tone_reads_the_targets_own_tags() -> None:
    # the cause of a former finding: the target-independent tone reads no tag of use of
    # force (every one names a target), so Russia's use of force seemed neutral
    assert readings.tone("use_of_force", tables.RUS, CAT) == 0
    assert readings.addressee_tone("use_of_force", tables.RUS, ("GEO",), STATES, CAT) == -1
    assert readings.addressee_tone("use_of_force", tables.RUS, ("UKR",), STATES, CAT) == -1


def test_addressee_tone_routes_russias_act_to_the_state_only_if_it_is_one() -> None:
    # a deal with Berlin and Paris: they read it as friendly, the alliance as bypassing it
    deal = (DEAL, tables.RUS, ("DEU", "FRA"))
    assert readings.addressee_tone(*deal, STATES, CAT) == 1
    assert readings.addressee_tone(*deal, (), CAT) == -1  # not a state here: NATO reads it
    assert readings.addressee_tone(*deal, ["FRA"], CAT) == 1  # one state targeted suffices
    # on a constructed catalogue: a tag read by the target only
    cat = _cat([_tag("use_of_force", "russia", "N.tension.use_of_force_sphere", reader="TARGET")])
    assert readings.addressee_tone("use_of_force", tables.RUS, ("GEO",), ["GEO"], cat) == -1
    assert readings.addressee_tone("use_of_force", tables.RUS, ("GEO",), [], cat) == 0
    cat = _cat([_tag("use_of_force", "russia", "N.tension.use_of_force_sphere", reader="NATO")])
    assert readings.addressee_tone("use_of_force", tables.RUS, ("GEO",), ["GEO"], cat) == 0
    assert readings.addressee_tone("use_of_force", tables.RUS, (tables.NATO,), ["GEO"], cat) == -1
    assert readings.addressee_tone("reset", "USA", (tables.RUS,), STATES, _cat()) == 0


def test_addressee_tone_follows_the_scenarios_figure1() -> None:
    force = ("use_of_force", tables.RUS, ("GEO",), STATES, CAT)
    assert readings.addressee_tone(*force) == -1
    spec = Figure1Spec(frozenset({t.entry for t in CAT.tags if t.action == "use_of_force"}))
    assert readings.addressee_tone(*force, spec) == 0  # every entry it rests on dropped
    deal = (DEAL, tables.RUS, ("FRA",), STATES, CAT)
    assert readings.addressee_tone(*deal) == 1
    assert readings.addressee_tone(*deal, Figure1Spec(swap_lenses=True)) == -1
    j = slot(BASE, tables.RUS, DEAL, "FRA")
    assert not BASE.slot_rus_hostile[j]
    assert compiled(figure1={"swap_lenses": True}).slot_rus_hostile[j]
