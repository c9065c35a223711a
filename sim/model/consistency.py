"""Whether a scenario's scheduled acts can happen in the world it sets up.

An act needs a world to act on (column ``requires`` of the action table): a
shield to counter or cancel, members to host a shield, a non-member to admit
or attack, an open forum to engage in or suspend. Removing or forbidding an
act can take that world away: without the 2007 shield, Russia's 2008
counter-deployment counters nothing. This module finds, with the walk of
:mod:`sim.model.world`, the acts whose requirement cannot hold — whatever the
actors choose — and what broke it: a removal, an exclusion, a forbidden
choice, an added act, the time span, or an act dropped before it. Within a
year the acts count in the order listed: an act may rely on one listed
before it.

Three requirements only steer choices and are not checked here
(:data:`CHOICE_ONLY`): the record itself has accessions without a recorded
promise (Albania and Croatia 2009, Montenegro 2017...), promises renewed
(Madrid 1997 after Brussels 1994) and the forum founded anew while strong
(the 1997 Founding Act on top of Partnership for Peace).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sim.data import tables
from sim.model.scenario import EventSpec, Listed, Matcher, Scenario, listed_events
from sim.model.world import PRECONDITIONS, Setting, setting, walk

__all__ = [
    "CHOICE_ONLY",
    "PRECONDITIONS",
    "REQUIREMENT_TEXT",
    "Cause",
    "Problem",
    "act_text",
    "analyse",
    "problems",
    "scheduled_events",
]

#: What each requirement of the action table asks, in words.
REQUIREMENT_TEXT = {
    "target_not_member": "its targets not to be members yet",
    "target_member": "its targets to be members",
    "target_promised": "its targets to have been promised membership",
    "target_not_promised": "its targets not to have been promised membership yet",
    "actor_not_member": "its actor not to be a member yet",
    "shield_on": "a missile shield in place",
    "institution_on": "the NATO-Russia forum open (strength above 0.05)",
    "institution_low": "the NATO-Russia forum weak (strength below 0.5)",
}

#: Requirements that only steer the actors' choices, and why.
CHOICE_ONLY = {
    "target_promised": "the record has accessions without a recorded promise (ALB, HRV 2009)",
    "target_not_promised": "the record renews promises (Madrid 1997 after Brussels 1994)",
    "institution_low": "the record founds the forum anew while strong (1997 after PfP)",
}


def act_text(e: EventSpec, year: bool = True) -> str:
    """An act in one line: ``2007 USA missile_shield_deployment POL/CZE``."""
    text = f"{e.actor} {e.action} {'/'.join(e.targets)}"
    return f"{e.year} {text}" if year else text


@dataclass(frozen=True)
class Cause:
    """What broke a requirement.

    Attributes:
        kind: ``remove``, ``exclude``, ``drop`` (an act dropped before it),
            ``forbid``, ``added`` (an added event before it) or ``span`` (the
            time span leaves out the record before it).
        field: The scenario field at fault (merged indices), e.g. ``remove[0]``.
        act: The act taken out, dropped or added, if any.
    """

    kind: str
    field: str
    act: EventSpec | None = None


@dataclass(frozen=True)
class Problem:
    """A scheduled act that cannot happen."""

    listed: Listed
    requirement: str
    who: tuple[str, ...]
    cause: Cause | None = None
    provided_by: tuple[str, ...] = field(default=())

    @property
    def field(self) -> str:
        """The scenario field to name: the cause's, else the act's own."""
        if self.cause is not None:
            return self.cause.field
        return "timeline" if self.listed.origin is None else f"events[{self.listed.origin}]"

    def why(self, name: Callable[[str], str] = str) -> str:
        """Why the act cannot happen, in words (``name`` renders a field of the scenario)."""
        req = self.requirement
        who = ""
        if self.who:
            verb = "is" if len(self.who) == 1 else "are"
            who = f": {', '.join(self.who)} {verb} not"
            if req == "target_not_member" or req == "actor_not_member":
                who = f": {', '.join(self.who)} {verb} already"
        need = f"needs {REQUIREMENT_TEXT[req]} ({req}{who})"
        c = self.cause
        if c is None:
            hint = (
                f" (schedule {' or '.join(self.provided_by)} before it)" if self.provided_by else ""
            )
            return f"{need}, which nothing before it provides{hint}"
        f = name(c.field)
        act = act_text(c.act) if c.act is not None else ""
        text = {
            "remove": f"{f} takes out {act}",
            "exclude": f"{f} leaves out {act}",
            "drop": f"{act} is dropped",
            "forbid": f"{f} forbids the choices that could provide it",
            "added": f"{f} adds {act} before it",
            "span": "the time span leaves out the record's acts before it",
        }[c.kind]
        return f"{need}, but {text}"


def _providers(req: str) -> tuple[str, ...]:
    want = {
        "shield_on": ("shield_on",),
        "target_member": ("member",),
        "institution_on": ("institution",),
    }.get(req, ())
    return tuple(
        a.action
        for a in tables.actions().values()
        if a.effect in want and (a.effect != "institution" or a.effect_size > 0)
    )


def _passes(
    st: Setting,
    acts: list[Listed],
    forbid: Sequence[Matcher],
    target: Listed,
    force: Listed | None = None,
) -> bool:
    pos = next(i for i, a in enumerate(acts) if a is target)
    return all(p != pos for p, _, _ in walk(st, acts, forbid, force))


def _cause(
    s: Scenario, st: Setting, everything: list[Listed], live: set[int], target: Listed
) -> Cause | None:
    """The removal, exclusion, drop, forbid, addition or span that broke ``target``.

    ``live`` holds the ids of the acts still scheduled (kept and not dropped).
    """
    table = tables.actions()
    year = target.event.year
    base = [a for a in everything if id(a) in live or a is target]

    def plus(extra: Listed) -> list[Listed]:
        return [a for a in everything if id(a) in live or a is target or a is extra]

    missing = [
        a
        for a in everything
        if a.in_span
        and id(a) not in live
        and a is not target
        and a.event.year <= year
        and table[a.event.action].effect
    ]
    for a in reversed(missing):  # the nearest before the act first
        if _passes(st, plus(a), s.forbid, target, force=a):
            if a.kept:
                return Cause("drop", "on_inconsistent", a.event)
            if a.removed_by is None:
                return Cause("exclude", "actors.exclude", a.event)
            return Cause("remove", f"remove[{a.removed_by}]", a.event)
    for i in range(len(s.forbid)):
        lifted = [m for j, m in enumerate(s.forbid) if j != i]
        if _passes(st, base, lifted, target):
            return Cause("forbid", f"forbid[{i}]")
    for a in reversed(base):
        if a.origin is None or a is target or a.event.year > year:
            continue
        if table[a.event.action].effect and _passes(
            st, [b for b in base if b is not a], s.forbid, target
        ):
            return Cause("added", f"events[{a.origin}]", a.event)
    if s.timeline:
        early = listed_events(s, before_span=True)
        inside = [a for a in early if a.in_span]
        twin = {id(e): id(a) for a, e in zip(everything, inside, strict=True)}
        before = [a for a in early if not a.in_span]
        if before:
            acts = [a for a in early if (not a.in_span and a.removed_by is None and not a.excluded)]
            acts += [e for e in inside if twin[id(e)] in {id(b) for b in base}]
            acts.sort(key=lambda a: a.event.year)
            mine = next(e for e in inside if twin[id(e)] == id(target))
            if _passes(setting(s, start=before[0].event.year), acts, s.forbid, mine):
                return Cause("span", "time.start")
    return None


def _walked(
    s: Scenario,
) -> tuple[Setting, list[Listed], list[Listed], list[tuple[int, str, tuple[str, ...]]]]:
    st = setting(s)
    everything = listed_events(s)
    kept = [a for a in everything if a.kept]
    return st, everything, kept, walk(st, kept, s.forbid)


def analyse(s: Scenario, explain: bool = True) -> tuple[list[Listed], list[Problem]]:
    """The scenario's listed events and those of its scheduled acts that cannot happen.

    Each problem is found as if the acts before it that cannot happen were
    dropped (so with ``on_inconsistent = "drop"`` the list is what is dropped);
    its ``listed`` is one of the returned listed events.

    Args:
        s: A resolved scenario.
        explain: Also find what broke each requirement (slower).

    Returns:
        ``(listed, problems)``: :func:`~sim.model.scenario.listed_events` and one
        :class:`Problem` per act that cannot happen, in order.
    """
    st, everything, kept, found = _walked(s)
    out: list[Problem] = []
    live = {id(a) for a in kept}
    for pos, req, who in found:
        target = kept[pos]
        live.discard(id(target))
        cause = _cause(s, st, everything, live, target) if explain else None
        out.append(Problem(target, req, who, cause, _providers(req)))
    return everything, out


def problems(s: Scenario, explain: bool = True) -> list[Problem]:
    """The scheduled acts of ``s`` that cannot happen, in order (see :func:`analyse`)."""
    return analyse(s, explain)[1]


def scheduled_events(s: Scenario) -> list[EventSpec]:
    """The scenario's scheduled events: timeline (if used) plus its own, minus removals.

    With ``on_inconsistent = "drop"``, minus the acts that cannot happen too.

    Args:
        s: A resolved scenario.

    Returns:
        Events within the time span, in year order (stable within a year).
    """
    if s.on_inconsistent != "drop":
        return [a.event for a in listed_events(s) if a.kept]
    _, _, kept, found = _walked(s)
    gone = {pos for pos, _, _ in found}
    return [a.event for i, a in enumerate(kept) if i not in gone]
