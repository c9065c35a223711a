"""Turn a resolved scenario and the data tables into static arrays for the core.

Everything that does not change from run to run is computed here once: the actors
and the directed trust pairs, the choice slots (who may choose which action toward
whom), the perception templates (how each possible act moves each trust pair, from
Figure 1: :mod:`sim.model.readings`, :mod:`sim.model.templates`), the scheduled
events and parameter changes per year, the shocks and the masks of forbidden or
scheduled-only choices.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.data import perception, tables
from sim.model import readings
from sim.model.consistency import scheduled_events
from sim.model.param_changes import steps
from sim.model.readings import Figure1Spec
from sim.model.routing import routed_rows
from sim.model.scenario import THEMES, Scenario
from sim.model.shocks import shock_arrays
from sim.model.slots import Effect, Occurrence, choice_slots, decision_arrays, effects_of
from sim.model.templates import Group, TemplateBuilder

REQUIREMENTS = (
    "target_not_member",
    "target_member",
    "target_promised",
    "target_not_promised",
    "actor_not_member",
    "shield_on",
    "institution_on",
    "institution_low",
)


@dataclass
class Compiled:
    """Static arrays of one scenario (shared by every replicate)."""

    scenario: Scenario
    years: np.ndarray
    report_from: int
    actors: tuple[str, ...]
    states: tuple[tables.State, ...]
    pairs: tuple[tuple[str, str], ...]
    pair_index: dict[tuple[str, str], int]
    state_index: dict[str, int]
    # per state (S,)
    state_new: np.ndarray
    state_aspirant: np.ndarray
    state_key: np.ndarray
    state_voice: np.ndarray
    member0: np.ndarray
    rus_to_state: np.ndarray  # pair index of RUS->s
    state_to_rus: np.ndarray  # pair index of s->RUS
    # per pair (P,)
    pair_dyad: np.ndarray  # NATO<->RUS pairs (institutional channel)
    pair_alliance: np.ndarray  # member -> member pairs (the alliance's cohesion)
    alliance: tuple[str, ...]  # the members holding trust in each other
    pair_new_reader: np.ndarray  # s->RUS with s a new (eastern) member
    pair_aspirant_reader: np.ndarray
    # choice slots (K,)
    slots: tuple[Occurrence, ...]
    slot_template: np.ndarray  # (K, C): the template columns (of G groups x (P+2)) in use
    slot_decision_pair: np.ndarray  # pair index, -1 = NATO collective
    slot_base: np.ndarray
    slot_stance: np.ndarray
    slot_lever: np.ndarray  # (K, 3) sg, nrc, global
    slot_theme: np.ndarray  # theme index or -1
    slot_rus_hostile: np.ndarray
    slot_promise_bonus: np.ndarray
    slot_target_state: np.ndarray  # state index of the target or -1
    slot_actor_state: np.ndarray  # state index of the actor or -1
    slot_requires: tuple[tuple[str, ...], ...]
    slot_requirement_index: dict[str, np.ndarray]  # requirement -> slots that need it
    slot_effects: tuple[Effect, ...]
    slot_allowed: np.ndarray  # (T, K) bool: not forbidden and not scheduled-only
    # scheduled events, per year index
    sched: list[list[Occurrence]] = field(default_factory=list)
    sched_template: list[np.ndarray] = field(default_factory=list)  # (E_t, C)
    sched_theme: list[np.ndarray] = field(default_factory=list)
    sched_effects: list[tuple[Effect, ...]] = field(default_factory=list)
    # yearly reading of a standing shield (C,), while the shield stands
    standing_shield: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # the design tables the templates were built from, and replaced core offsets
    catalog: perception.Catalog = field(default_factory=perception.catalog)
    offsets: dict[str, float] | None = None
    # Figure 1 as read: the template groups, the question-marked entries (one drawn
    # weight each per run), each pair's discount level and the choices that the
    # chooser's declining-power lens makes less restrained
    figure1: Figure1Spec = field(default_factory=Figure1Spec)
    groups: tuple[Group, ...] = ()
    question_entries: tuple[str, ...] = ()
    pair_discount: np.ndarray = field(default_factory=lambda: np.zeros(0))
    slot_declining: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    slot_tone: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    # Figure 1 entries that move some reading, discount or choice possible in this scenario
    used_entries: frozenset[str] = frozenset()
    # the reassurance game (see _decision_arrays): new-beginning acts, the pair of
    # the addressee's trust in the chooser, the state whose own turn counts, leaders
    slot_new_beginning: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    slot_reverse_pair: np.ndarray = field(default_factory=lambda: np.zeros(0, np.intp))
    slot_orient_state: np.ndarray = field(default_factory=lambda: np.zeros(0, np.intp))
    sched_new_beginning: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    leader_change: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), bool))
    leader_pairs: np.ndarray = field(default_factory=lambda: np.zeros((2, 0), bool))
    domestic_shock: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    turnover_from: int = 0
    param_changes: dict[int, dict[str, float]] = field(default_factory=dict)  # by year index
    # the shared agenda (routing.py): routed acts, bilateral minus forum form of each
    slot_routed: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    slot_bilateral: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    sched_routed: list[np.ndarray] = field(default_factory=list)
    sched_bilateral: list[np.ndarray] = field(default_factory=list)
    # which of the G*(P+2) template columns are kept (see compile_scenario)
    template_columns: np.ndarray = field(default_factory=lambda: np.zeros(0, np.intp))
    threat_shock: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (T, n_themes)
    leadership_shock: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (T,)

    @property
    def n_pairs(self) -> int:
        """Number of directed trust pairs."""
        return len(self.pairs)

    @property
    def width(self) -> int:
        """Width of one template group (pairs, spill to members, spill to NATO)."""
        return len(self.pairs) + 2


def compile_scenario(
    s: Scenario,
    catalog: perception.Catalog | None = None,
    offsets: dict[str, float] | None = None,
) -> Compiled:
    """Build the static arrays for a resolved scenario.

    Args:
        s: A resolved scenario (see :func:`sim.model.resolve.load_scenario`).
        catalog: Design tables: actions, Figure 1 tags, lenses, overrides (default: the
            shipped ones).
        offsets: Values replacing the core's hand-set log-odds offsets
            (:data:`sim.model.core.OFFSETS`); default: none replaced.

    Returns:
        The compiled scenario shared by all its replicates.
    """
    excluded = set(s.actors.exclude)
    sts = tuple(st for st in tables.states() if st.code not in excluded)
    actors = (tables.NATO, tables.RUS, *(st.code for st in sts))
    pairs: list[tuple[str, str]] = [(tables.NATO, tables.RUS), (tables.RUS, tables.NATO)]
    for st in sts:
        pairs += [(tables.RUS, st.code), (st.code, tables.RUS)]
    # trust among the members where the article puts the alliance's divisions: the
    # key members that deal with Moscow and the first new members of 1999
    alliance = tuple(st.code for st in sts if st.key_partner or st.accession == 1999)
    pairs += [(a, b) for a in alliance for b in alliance if a != b]
    pair_index = {p: i for i, p in enumerate(pairs)}
    years = np.arange(s.time.start, s.time.end + 1)
    n_pairs = len(pairs)
    state_idx = {st.code: i for i, st in enumerate(sts)}

    pair_new_reader = np.zeros(n_pairs, bool)
    pair_aspirant_reader = np.zeros(n_pairs, bool)
    for st in sts:
        p = pair_index[(st.code, tables.RUS)]
        pair_new_reader[p] = st.tier == "new"
        pair_aspirant_reader[p] = st.role == "aspirant"
    pair_dyad = np.zeros(n_pairs, bool)
    pair_dyad[:2] = True
    pair_alliance = np.zeros(n_pairs, bool)
    pair_alliance[2 + 2 * len(sts) :] = True

    comp = Compiled(
        scenario=s,
        years=years,
        report_from=s.report_from if s.report_from is not None else s.time.start,
        actors=actors,
        states=sts,
        pairs=tuple(pairs),
        pair_index=pair_index,
        state_index=state_idx,
        state_new=np.array([st.tier == "new" for st in sts], dtype=bool),
        state_aspirant=np.array([st.role == "aspirant" for st in sts], dtype=bool),
        state_key=np.array([st.key_partner for st in sts], dtype=bool),
        state_voice=np.array([st.voice for st in sts], dtype=np.float64),
        member0=np.array(
            [st.accession is not None and st.accession <= s.time.start for st in sts],
            dtype=bool,
        ),
        rus_to_state=np.array([pair_index[(tables.RUS, st.code)] for st in sts], dtype=np.intp),
        state_to_rus=np.array([pair_index[(st.code, tables.RUS)] for st in sts], dtype=np.intp),
        pair_dyad=pair_dyad,
        pair_alliance=pair_alliance,
        alliance=alliance,
        pair_new_reader=pair_new_reader,
        pair_aspirant_reader=pair_aspirant_reader,
        slots=(),
        slot_template=np.zeros((0, 0)),
        slot_decision_pair=np.zeros(0, np.intp),
        slot_base=np.zeros(0),
        slot_stance=np.zeros(0),
        slot_lever=np.zeros((0, 3)),
        slot_theme=np.zeros(0, np.intp),
        slot_rus_hostile=np.zeros(0, bool),
        slot_promise_bonus=np.zeros(0),
        slot_target_state=np.zeros(0, np.intp),
        slot_actor_state=np.zeros(0, np.intp),
        slot_requires=(),
        slot_requirement_index={},
        slot_effects=(),
        slot_allowed=np.zeros((len(years), 0), bool),
        catalog=catalog if catalog is not None else perception.catalog(),
        offsets=dict(offsets) if offsets else None,
        figure1=Figure1Spec(frozenset(s.figure1.drop), s.figure1.swap_lenses),
    )
    acts = comp.catalog.actions
    builder = TemplateBuilder(comp.catalog, comp.figure1, sts, pair_index, alliance)

    # --- choice slots
    slots = choice_slots(sts, actors, s.time.start)
    k = len(slots)
    comp.slots = tuple(slots)
    slot_rows, slot_entries = [], []
    for o in slots:
        slot_rows.append(builder.rows(o.actor, o.action, o.targets))
        slot_entries.append(builder.last_entries)
    dec = np.empty(k, np.intp)
    for i, o in enumerate(slots):
        t = o.targets[0]
        if o.actor == tables.NATO:
            dec[i] = -1
        elif o.actor == tables.RUS:
            dec[i] = pair_index.get((tables.RUS, t), pair_index[(tables.RUS, tables.NATO)])
        else:
            dec[i] = pair_index[(o.actor, tables.RUS)]
    comp.slot_decision_pair = dec
    comp.slot_base = np.array([acts[o.action].base_logit for o in slots])
    comp.slot_stance = np.array([acts[o.action].stance for o in slots])
    comp.slot_lever = np.array(
        [
            [acts[o.action].lever_sg, acts[o.action].lever_nrc, acts[o.action].lever_global]
            for o in slots
        ]
    ).reshape(k, 3)
    comp.slot_theme = np.array(
        [THEMES.index(acts[o.action].theme) if acts[o.action].theme else -1 for o in slots],
        dtype=np.intp,
    )
    # how the side each slot is addressed to reads it: -1, 0 or +1 (one tone for every use)
    comp.slot_tone = np.array(
        [
            readings.addressee_tone(
                o.action, o.actor, o.targets, state_idx, comp.catalog, comp.figure1
            )
            for o in slots
        ],
        dtype=np.int8,
    )
    comp.slot_rus_hostile = np.array([o.actor == tables.RUS for o in slots], dtype=bool) & (
        comp.slot_tone < 0
    )
    comp.slot_promise_bonus = np.array([acts[o.action].promise_bonus for o in slots])
    comp.slot_target_state = np.array([state_idx.get(o.targets[0], -1) for o in slots], np.intp)
    comp.slot_actor_state = np.array([state_idx.get(o.actor, -1) for o in slots], np.intp)
    comp.slot_requires = tuple(acts[o.action].requires for o in slots)
    index: dict[str, list[int]] = {}
    for j, reqs in enumerate(comp.slot_requires):
        for req in reqs:
            if req not in REQUIREMENTS:
                raise ValueError(f"action {slots[j].action}: unknown requirement {req!r}")
            index.setdefault(req, []).append(j)
    comp.slot_requirement_index = {r: np.array(js, dtype=np.intp) for r, js in index.items()}
    comp.slot_effects = effects_of(slots, state_idx, acts)
    allowed = np.ones((len(years), k), bool)
    until = s.scheduled_only_until
    for j, o in enumerate(slots):
        for ti, y in enumerate(years):
            if (o.action in s.scheduled_only and (until is None or y <= until)) or any(
                m.matches(int(y), o.actor, o.action, o.targets) for m in s.forbid
            ):
                allowed[ti, j] = False
    comp.slot_allowed = allowed

    # --- scheduled events
    by_year: list[list[Occurrence]] = [[] for _ in years]
    for ev in scheduled_events(s):
        by_year[ev.year - s.time.start].append(
            Occurrence(ev.actor, ev.action, ev.targets, "scheduled", ev.year, ev.note, ev.source)
        )
    comp.sched = by_year
    sched_rows = []
    used: set[str] = set()
    for evs in by_year:
        year_rows = []
        for o in evs:
            joined = frozenset(
                x.actor for x in evs if (x.action, x.targets) == (o.action, o.targets)
            )
            year_rows.append(builder.rows(o.actor, o.action, o.targets, joined))
            used |= builder.last_entries
        sched_rows.append(year_rows)
    # --- the shared agenda's bilateral forms (in the forum, the act's own template)
    key_members = [st.code for st in sts if st.key_partner]
    comp.slot_routed, slot_forms, slot_form_entries = routed_rows(builder, slots, acts, key_members)
    sched_forms = []
    comp.sched_routed = []
    for evs in by_year:
        mask, forms, ents = routed_rows(builder, evs, acts, key_members)
        comp.sched_routed.append(mask)
        sched_forms.append(forms)
        used = used.union(*ents)
    comp.sched_effects = [effects_of(evs, state_idx, acts) for evs in by_year]
    comp.sched_theme = [
        np.array(
            [THEMES.index(acts[o.action].theme) if acts[o.action].theme else -1 for o in evs],
            dtype=np.intp,
        )
        for evs in by_year
    ]

    # --- standing grievances: an act whose effect persists is read again each year
    shield = acts["missile_shield_deployment"]
    standing = builder.rows(tables.NATO, shield.action, ())
    can_stand = any(o.action == shield.action for evs in by_year for o in evs) or any(
        o.action == shield.action and slot_allowed_any
        for o, slot_allowed_any in zip(slots, comp.slot_allowed.any(axis=0), strict=True)
    )
    if can_stand:  # its standing reading counts only where a shield can be built
        used |= builder.last_entries
    standing = {g: shield.standing * v for g, v in standing.items()}

    # --- templates over every group used, then the lenses' pair and slot masks
    comp.groups = tuple(builder.groups)
    slot_t = builder.stack(slot_rows).reshape(k, -1)
    sched_t = [builder.stack(rows) for rows in sched_rows]
    stand_t = builder.stack([standing])[0]
    slot_b = builder.stack(slot_forms) - slot_t[comp.slot_routed]
    sched_b = [
        builder.stack(f) - t[m]
        for f, t, m in zip(sched_forms, sched_t, comp.sched_routed, strict=True)
    ]
    # Only the columns some act ever moves are kept (templates are sparse).
    moved = np.abs(slot_t).sum(axis=0) + np.abs(stand_t) + np.abs(slot_b).sum(axis=0)
    for t, b in zip(sched_t, sched_b, strict=True):
        moved = moved + np.abs(t).sum(axis=0) + np.abs(b).sum(axis=0)
    comp.template_columns = np.flatnonzero(moved)
    cols = comp.template_columns
    comp.slot_template = slot_t[:, cols]
    comp.sched_template = [t[:, cols] for t in sched_t]
    comp.standing_shield = stand_t[cols]
    comp.slot_bilateral = slot_b[:, cols]
    comp.sched_bilateral = [b[:, cols] for b in sched_b]
    # every question-marked entry of the figure draws its weight, used or dropped, so
    # that dropping one changes no other random number
    comp.question_entries = tuple(e.id for e in tables.figure1() if e.question)
    spec, cat = comp.figure1, comp.catalog
    level = {r: readings.discount_level(r, spec, cat) for r in ("RUS", "NATO")}
    comp.pair_discount = np.array(
        [level["RUS"] if o == tables.RUS else level["NATO"] for o, _ in pairs], dtype=np.float64
    )
    comp.pair_discount[comp.pair_alliance] = 0.0  # allies read each other at face value
    for j, ents in enumerate(slot_entries):
        if comp.slot_allowed[:, j].any():
            used |= ents
    for j, ents in zip(np.flatnonzero(comp.slot_routed), slot_form_entries, strict=True):
        if comp.slot_allowed[:, j].any():  # a routed act that can be chosen
            used |= ents
    for r in ("RUS", "NATO"):
        lens = readings.lens_entries(r, spec, cat)
        used |= {v.entry for m, v in lens.items() if m in ("suspicion", "face_value")}
    declining = {r: readings.has_declining(r, spec, cat) for r in ("RUS", "NATO")}
    comp.slot_declining = np.array(
        [
            declining["RUS" if o.actor == tables.RUS else "NATO"] and tone < 0
            for o, tone in zip(slots, comp.slot_tone, strict=True)
        ],
        dtype=bool,
    )
    for r in ("RUS", "NATO"):
        lens = readings.lens_entries(r, spec, cat)
        chooses = [o.actor == tables.RUS if r == "RUS" else o.actor != tables.RUS for o in slots]
        if "declining" in lens and any(
            d and c and comp.slot_allowed[:, j].any()
            for j, (d, c) in enumerate(zip(comp.slot_declining, chooses, strict=True))
        ):
            used.add(lens["declining"].entry)
    comp.used_entries = frozenset(used)

    # --- shocks: threats, leaders (Moscow, Washington), candidates' own turns
    sh = shock_arrays(s, len(years), state_idx)
    comp.threat_shock, comp.leadership_shock = sh.threat, sh.leadership
    comp.leader_change, comp.domestic_shock = sh.leader_change, sh.domestic
    comp.turnover_from, comp.param_changes = sh.turnover_from, steps(s.parameter_changes, years)
    decision_arrays(comp, slots, by_year)
    return comp
