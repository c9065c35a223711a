"""The world along a scenario's scheduled timeline: what may be true, year by year.

:func:`walk` applies a scenario's scheduled acts in order, as the model
does, to a world of facts — who is a member, who was promised membership,
whether a missile shield stands, how strong the NATO-Russia forum is — each
known to be true, known to be false, or possibly either: what the actors may
still *choose* (an act neither forbidden nor scheduled-only whose own
requirements may hold) counts as possibly happened. An act whose
precondition fails for certain is reported and passed over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sim.data import tables
from sim.model.scenario import Listed, Matcher, Scenario
from sim.model.slots import Occurrence, choice_slots

__all__ = ["PRECONDITIONS", "Setting", "World", "apply", "blocked", "setting", "walk"]

#: Requirements a scheduled act must meet.
PRECONDITIONS = frozenset(
    {"target_not_member", "target_member", "actor_not_member", "shield_on", "institution_on"}
)

_OPEN, _LOW = 0.05, 0.5  # the core's thresholds (sim.model.core._requirements)


@dataclass
class World:
    """What may be true at a point of the timeline (each fact: may be true / may be false)."""

    member_t: set[str]
    member_f: set[str]
    promised_t: set[str]
    promised_f: set[str]
    shield_t: bool = False
    shield_f: bool = True
    lo: float = 0.0  # forum strength, lowest and highest possible
    hi: float = 0.0

    def copy(self) -> World:
        """An independent copy."""
        return replace(
            self,
            member_t=set(self.member_t),
            member_f=set(self.member_f),
            promised_t=set(self.promised_t),
            promised_f=set(self.promised_f),
        )


def blocked(
    req: str, actor: str, targets: Sequence[str], w: World, codes: set[str]
) -> tuple[str, ...] | None:
    """Who fails ``req`` for certain (``()`` when not about anyone), or ``None`` if it may hold."""
    bad: list[str]
    if req == "target_not_member":
        bad = [t for t in targets if t in codes and t not in w.member_f]
    elif req == "target_member":
        bad = [t for t in targets if t not in codes or t not in w.member_t]
    elif req == "target_promised":
        bad = [t for t in targets if t not in codes or t not in w.promised_t]
    elif req == "target_not_promised":
        bad = [t for t in targets if t in codes and t not in w.promised_f]
    elif req == "actor_not_member":
        bad = [actor] if actor in codes and actor not in w.member_f else []
    elif req == "shield_on":
        return None if w.shield_t else ()
    elif req == "institution_on":
        return None if w.hi > _OPEN else ()
    else:  # institution_low
        return None if w.lo < _LOW else ()
    return tuple(bad) if bad else None


def apply(
    w: World, act: tables.Action, targets: Sequence[str], codes: set[str], sure: bool
) -> None:
    """Change the world for an act that happens (``sure``) or may happen."""
    states = [t for t in targets if t in codes]
    if act.effect == "member":
        w.member_t.update(states)
        w.promised_t.update(states)
        if sure:
            w.member_f.difference_update(states)
            w.promised_f.difference_update(states)
    elif act.effect == "promise":
        w.promised_t.update(states)
        if sure:
            w.promised_f.difference_update(states)
    elif act.effect == "shield_on":
        w.shield_t = True
        w.shield_f = w.shield_f and not sure
    elif act.effect == "shield_off":
        w.shield_f = True
        w.shield_t = w.shield_t and not sure
    elif act.effect == "institution" and act.effect_size >= 0:
        w.hi = min(1.0, w.hi + act.effect_size)
        if sure:
            w.lo = min(1.0, w.lo + act.effect_size)
    elif act.effect == "institution":
        w.lo = w.lo * (1.0 + act.effect_size)
        if sure:
            w.hi = w.hi * (1.0 + act.effect_size)


@dataclass(frozen=True)
class Setting:
    """What the walk needs of a scenario besides its acts."""

    start: int
    end: int
    codes: frozenset[str]
    member0: frozenset[str]
    slots: tuple[Occurrence, ...]  # choice slots that change the world
    scheduled_only: frozenset[str]
    until: int | None


def setting(s: Scenario, start: int | None = None) -> Setting:
    """What :func:`walk` needs of ``s``; ``start`` walks from an earlier year."""
    excluded = set(s.actors.exclude)
    sts = tuple(st for st in tables.states() if st.code not in excluded)
    actors = (tables.NATO, tables.RUS, *(st.code for st in sts))
    start = s.time.start if start is None else start
    acts = tables.actions()
    return Setting(
        start=start,
        end=s.time.end,
        codes=frozenset(st.code for st in sts),
        member0=frozenset(
            st.code for st in sts if st.accession is not None and st.accession <= start
        ),
        slots=tuple(o for o in choice_slots(sts, actors, start) if acts[o.action].effect),
        scheduled_only=frozenset(s.scheduled_only),
        until=s.scheduled_only_until,
    )


def walk(
    st: Setting, acts: Sequence[Listed], forbid: Sequence[Matcher], force: Listed | None = None
) -> list[tuple[int, str, tuple[str, ...]]]:
    """Walk the acts year by year; ``(position, requirement, who)`` of each that cannot happen.

    An act that cannot happen is passed over (its effects do not apply), as if
    dropped; the act ``force`` (if given) happens whatever its requirements.
    """
    codes = set(st.codes)
    table = tables.actions()
    w = World(set(st.member0), codes - st.member0, set(st.member0), codes - st.member0)
    out: list[tuple[int, str, tuple[str, ...]]] = []
    pos = 0
    while pos < len(acts) and acts[pos].event.year < st.start:
        pos += 1
    for year in range(st.start, st.end + 1):
        w0 = w.copy()
        while pos < len(acts) and acts[pos].event.year == year:
            ev = acts[pos].event
            act = table[ev.action]
            failed = None
            for req in () if acts[pos] is force else act.requires:
                if req in PRECONDITIONS:
                    who = blocked(req, ev.actor, ev.targets, w, codes)
                    if who is not None:
                        failed = (pos, req, who)
                        break
            if failed:
                out.append(failed)
            else:
                apply(w, act, ev.targets, codes, sure=True)
            pos += 1
        for o in st.slots:
            if o.action in st.scheduled_only and (st.until is None or year <= st.until):
                continue
            if any(m.matches(year, o.actor, o.action, o.targets) for m in forbid):
                continue
            act = table[o.action]
            if all(blocked(r, o.actor, o.targets, w0, codes) is None for r in act.requires):
                apply(w, act, o.targets, codes, sure=False)
    return out
