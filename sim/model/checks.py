"""Checks of a resolved scenario beyond its schema: codes, spans, who acts, what matches.

Each failure is reported through ``fail(field, message)`` with the field of
the merged scenario (the caller names the file and that file's own index).
Unknown words get a "did you mean"; years outside the span are given with
the span; a ``remove`` or ``forbid`` that matches nothing is given with the
events or choices that nearly match.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NoReturn

from sim.data import tables
from sim.model.consistency import act_text
from sim.model.scenario import (
    EventSpec,
    Matcher,
    Scenario,
    ShockSpec,
    listed_events,
)
from sim.model.shock_list import SHOCK_ACTIONS, WORLD, listed_shocks, shock_act
from sim.model.slots import Occurrence, choice_slots
from sim.model.vocabulary import (
    THEMES,
    actor_aliases,
    allowed_actors,
    did_you_mean,
    place_aliases,
    who_may,
)

__all__ = ["check_scenario", "describe_matcher", "nearest", "target_problem"]

Fail = Callable[[str, str], NoReturn]
#: Whether a field of the merged scenario is the file's own (not inherited).
Own = Callable[[str], bool]

_SHOCK_NAMES = tuple(SHOCK_ACTIONS.values())


def _span(s: Scenario) -> str:
    return f"{s.time.start}-{s.time.end}"


def _mismatches(
    m: Matcher, year: int | None, actor: str, action: str, targets: tuple[str, ...]
) -> tuple[int, int, list[str]]:
    """What differs between a matcher and an act: ``(weight, year distance, texts)``."""
    weight, dist, texts = 0, 0, []
    if m.action is not None and m.action != action:
        weight, texts = weight + 4, [*texts, f"action {action}"]
    if m.actor is not None and m.actor != actor:
        weight, texts = weight + 2, [*texts, f"actor {actor}"]
    if m.target is not None and m.target not in targets:
        weight, texts = weight + 2, [*texts, f"targets {'/'.join(targets)}"]
    if year is not None:
        lo = m.year if m.year is not None else m.from_year
        hi = m.year if m.year is not None else m.to_year
        if lo is not None and year < lo:
            dist = lo - year
        elif hi is not None and year > hi:
            dist = year - hi
        if dist:
            weight, texts = weight + 2, [*texts, f"year {year}"]
    return weight, dist, texts


def nearest(
    m: Matcher, candidates: Iterable[tuple[str, int | None, str, str, tuple[str, ...]]], n: int = 3
) -> list[str]:
    """The candidates that nearly match ``m``: ``"text (what differs)"``, closest first.

    Args:
        m: The matcher.
        candidates: ``(text, year, actor, action, targets)`` of each act or choice
            (``year`` ``None`` for a choice, which any year of the span may hold).
        n: How many to give.
    """
    scored = []
    for i, (text, year, actor, action, targets) in enumerate(candidates):
        weight, dist, texts = _mismatches(m, year, actor, action, targets)
        if 0 < weight <= 4:
            scored.append(((weight, dist, i), f"{text} ({', '.join(texts)})"))
    scored.sort()
    best = [t for key, t in scored if key[0] == scored[0][0][0]] if scored else []
    return list(dict.fromkeys(best))[:n]


def describe_matcher(m: Matcher) -> str:
    """A matcher in words: ``action reset, year 2009``."""
    parts = [
        f"{k} {v}"
        for k, v in (
            ("action", m.action),
            ("actor", m.actor),
            ("target", m.target),
            ("year", m.year),
            ("from", m.from_year),
            ("to", m.to_year),
        )
        if v is not None
    ]
    return ", ".join(parts) or "everything"


def _codes(s: Scenario, fail: Fail) -> None:
    known_states = [st.code for st in tables.states()]
    for i, code in enumerate(s.actors.exclude):
        if code not in known_states:
            hint = did_you_mean(code, known_states, actor_aliases(), "actors")
            fail(f"actors.exclude[{i}]", f"unknown actor {code!r}{hint}")
    actors = [a for a in tables.actor_codes() if a not in s.actors.exclude]
    targets = [*actors, *tables.places()]
    target_aliases = {**actor_aliases(), **place_aliases()}
    acts = tables.actions()

    def action(f: str, name: str, shocks: bool = False) -> None:
        if shocks and name in _SHOCK_NAMES:
            return
        if name not in acts:
            known = [*acts, *_SHOCK_NAMES] if shocks else list(acts)
            fail(f, f"unknown action {name!r}{did_you_mean(name, known, what='actions')}")

    def actor(f: str, code: str) -> None:
        if code in s.actors.exclude:
            fail(f, f"actor {code!r} is excluded (actors.exclude)")
        if code not in actors:
            fail(
                f, f"unknown actor {code!r}{did_you_mean(code, actors, actor_aliases(), 'actors')}"
            )

    def target(f: str, code: str) -> None:
        if code not in targets:
            hint = did_you_mean(code, targets, target_aliases, "actors")
            fail(f, f"unknown target {code!r}{hint}")

    for i, name in enumerate(s.scheduled_only):
        action(f"scheduled_only[{i}]", name)
    for i, ev in enumerate(s.events):
        action(f"events[{i}].action", ev.action)
        actor(f"events[{i}].actor", ev.actor)
        for t in ev.targets:
            target(f"events[{i}].targets", t)
    for key in ("remove", "forbid"):
        for i, m in enumerate(getattr(s, key)):
            if key == "forbid" and m.action in _SHOCK_NAMES:
                fail(
                    f"forbid[{i}].action",
                    f"{m.action} is a shock, not a choice: take shocks out with [[remove]]",
                )
            if m.action is not None:
                action(f"{key}[{i}].action", m.action, shocks=key == "remove")
                if m.action in _SHOCK_NAMES:
                    _shock_matcher(m, f"{key}[{i}]", fail, actor)
                    continue
            if m.actor is not None:
                actor(f"{key}[{i}].actor", m.actor)
            if m.target is not None:
                target(f"{key}[{i}].target", m.target)


def _shock_matcher(m: Matcher, f: str, fail: Fail, actor: Callable[[str, str], None]) -> None:
    """A ``remove`` of shocks: the actor and target a shock has as an act."""
    if m.action == SHOCK_ACTIONS["threat"]:
        if m.actor is not None and m.actor != WORLD:
            fail(f"{f}.actor", f"a threat is the world's: actor {WORLD!r} or none, got {m.actor!r}")
        if m.target is not None and m.target not in THEMES:
            hint = did_you_mean(m.target, THEMES, what="themes")
            fail(f"{f}.target", f"a threat's target is its theme, got {m.target!r}{hint}")
        return
    for part, code in (("actor", m.actor), ("target", m.target)):
        if code is not None:
            actor(f"{f}.{part}", code)


def _years(s: Scenario, fail: Fail, own: Own) -> None:
    """Years inside the span: the file's own entries (a parent's later ones just drop out)."""

    def inside(f: str, y: int | None, listed: bool = True) -> None:
        if listed and not own(f):
            return
        if y is not None and not s.time.start <= y <= s.time.end:
            hint = "" if own(f) else f" (inherited: set {f} in the file that sets the span)"
            fail(f, f"{y} is outside the time span {_span(s)}{hint}")

    for i, ev in enumerate(s.events):
        inside(f"events[{i}].year", ev.year)
    for key in ("remove", "forbid"):
        for i, m in enumerate(getattr(s, key)):
            inside(f"{key}[{i}].year", m.year)
            inside(f"{key}[{i}].from", m.from_year)
            inside(f"{key}[{i}].to", m.to_year)
            if m.from_year is not None and m.to_year is not None and m.to_year < m.from_year:
                fail(f"{key}[{i}].to", f"{m.to_year} is before from = {m.from_year}")
    inside("report_from", s.report_from, listed=False)
    inside("scheduled_only_until", s.scheduled_only_until, listed=False)
    inside("turnover_from", s.turnover_from, listed=False)
    for i, sh in enumerate(s.shocks):
        inside(f"shocks[{i}].year", sh.year)
    for i, c in enumerate(s.parameter_changes):
        inside(f"parameter_changes[{i}].year", c.year)


def _candidates_turn(s: Scenario, fail: Fail) -> None:
    """A domestic shock is a candidate's own turn: not of a state that is a member throughout.

    Membership is never undone, so a state that is a member when the span starts
    is one in every year of it; a later member may stay a candidate in a
    counterfactual without its enlargement.
    """
    joined = {st.code: st.accession for st in tables.states()}
    for x in listed_shocks(s):
        sh = x.shock
        year = joined.get(sh.actor or "")
        if x.kept and sh.kind == "domestic" and year is not None and year <= s.time.start:
            fail(
                f"shocks[{x.index}].actor",
                f"a domestic shock is a candidate's own turn; {sh.actor} is a member "
                f"throughout (from {year})",
            )


def _who_acts(s: Scenario, fail: Fail) -> None:
    for i, ev in enumerate(s.events):
        if ev.actor not in allowed_actors(ev.action):
            fail(
                f"events[{i}].actor",
                f"{ev.actor} may not take {ev.action} (who may: {who_may(ev.action)})",
            )


#: What each kind of target (column ``targets`` of ``actions.csv``) is, in words.
_AIMED_AT = {
    "RUS": "Russia (RUS)",
    "NATO": "NATO",
    "candidates": "a state (one that is not yet a member)",
    "shield_hosts": "a member state that hosts the sites",
    "energy_targets": "a state",
    "cyber_targets": "a state",
    "aspirants": "a state or a place in Russia's periphery",
    "OOA": "a theatre beyond the alliance (natosim list actors: places)",
}


def target_problem(actor: str, kind: str, t: str) -> str:
    """Why ``t`` cannot be the target of an act of ``kind`` by ``actor`` ("" if it can)."""
    states = {st.code for st in tables.states()}
    places = set(tables.places())
    if t == actor:
        return "an act is aimed at another actor than its own"
    if kind == "counterpart":
        if actor == tables.RUS:
            ok, what = t == tables.NATO or t in states, "NATO or a member state"
        else:
            ok, what = t == tables.RUS, "Russia (RUS)"
    elif kind in ("RUS", "NATO"):
        ok, what = t == kind, _AIMED_AT[kind]
    elif kind == "aspirants":
        ok, what = t in states or t in places, _AIMED_AT[kind]
    elif kind == "OOA":
        ok, what = t in places, _AIMED_AT[kind]
    elif kind in _AIMED_AT:
        ok, what = t in states, _AIMED_AT[kind]
    else:
        return ""
    if ok:
        return ""
    if t == tables.RUS and kind not in ("RUS", "counterpart"):
        what += "; RUS is Russia, an actor of its own, not one of the states"
    elif t == tables.NATO and kind not in ("NATO", "counterpart"):
        what += "; NATO is the alliance, not one of the states"
    elif t in places and kind not in ("aspirants", "OOA"):
        what += f"; {t} is a place, not a state"
    return f"the act is aimed at {what}"


def _targets_fit(s: Scenario, fail: Fail) -> None:
    """Each event's targets are of the kind its action is aimed at (``actions.csv``)."""
    acts = tables.actions()
    for i, ev in enumerate(s.events):
        for t in ev.targets:
            why = target_problem(ev.actor, acts[ev.action].targets, t)
            if why:
                fail(f"events[{i}].targets", f"{ev.actor} {ev.action} {t}: {why}")


def _event_row(e: EventSpec) -> tuple[str, int | None, str, str, tuple[str, ...]]:
    return act_text(e), e.year, e.actor, e.action, e.targets


def _slot_row(o: Occurrence) -> tuple[str, int | None, str, str, tuple[str, ...]]:
    return f"{o.actor} {o.action} {'/'.join(o.targets)}", None, o.actor, o.action, o.targets


def _shock_row(sh: ShockSpec) -> tuple[str, int | None, str, str, tuple[str, ...]]:
    year, actor, action, targets = shock_act(sh)
    return f"{year} {actor} {action} {'/'.join(targets)}", year, actor, action, targets


def _matches(s: Scenario, fail: Fail, own: Own) -> None:
    events = [a.event for a in listed_events(s)]
    shocks = [sh for sh in s.shocks if s.time.start <= sh.year <= s.time.end]
    for i, m in enumerate(s.remove):
        if not own(f"remove[{i}]"):
            continue  # a parent's: it matched under the parent's span
        if m.action in _SHOCK_NAMES:
            if not any(m.matches(*shock_act(sh)) for sh in shocks):
                near = nearest(m, map(_shock_row, shocks))
                tail = f"; nearest: {', '.join(near)}" if near else ""
                fail(f"remove[{i}]", f"matches no shock ({describe_matcher(m)}){tail}")
            continue
        if not any(m.matches(e.year, e.actor, e.action, e.targets) for e in events):
            near = nearest(m, map(_event_row, events))
            tail = f"; nearest: {', '.join(near)}" if near else ""
            fail(f"remove[{i}]", f"matches no scheduled event ({describe_matcher(m)}){tail}")
    sts = [st for st in tables.states() if st.code not in s.actors.exclude]
    slots = choice_slots(sts, (tables.NATO, tables.RUS, *(st.code for st in sts)), s.time.start)
    for i, m in enumerate(s.forbid):
        anyyear = m.model_copy(update={"year": None, "from_year": None, "to_year": None})
        if any(anyyear.matches(0, o.actor, o.action, o.targets) for o in slots):
            continue
        if m.action is not None and not tables.actions()[m.action].choosers:
            fail(
                f"forbid[{i}]",
                f"matches no choice: nobody chooses {m.action}, it happens only when "
                "scheduled (take scheduled ones out with [[remove]])",
            )
        near = nearest(m, map(_slot_row, slots))
        tail = f"; nearest: {', '.join(near)}" if near else ""
        fail(f"forbid[{i}]", f"matches no choice any actor can make ({describe_matcher(m)}){tail}")


def _contradictions(s: Scenario, fail: Fail, scheduled: list[EventSpec]) -> None:
    for ev in scheduled:
        for i, m in enumerate(s.forbid):
            if m.matches(ev.year, ev.actor, ev.action, ev.targets):
                fail(
                    f"forbid[{i}]",
                    f"contradiction: scheduled event {act_text(ev)} is also forbidden "
                    "(remove it with [[remove]])",
                )


def check_scenario(s: Scenario, fail: Fail, own: Own = lambda _f: True) -> None:
    """Check a resolved scenario; report the first problem through ``fail``.

    Args:
        s: The validated, resolved scenario.
        fail: Raises for a field of the merged scenario and a message.
        own: Whether a field is the file's own; a parent's entries were checked
            with the parent, and those outside a shorter span simply drop out.
    """
    _codes(s, fail)
    _years(s, fail, own)
    _who_acts(s, fail)
    _targets_fit(s, fail)
    _candidates_turn(s, fail)
    _matches(s, fail, own)
    _contradictions(s, fail, [a.event for a in listed_events(s) if a.kept])
