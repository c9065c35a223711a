"""What a resolved scenario holds, and how it differs from its parent (``validate --show``).

:func:`describe` gathers the timeline of scheduled acts and shocks by year,
the parameters that differ from the defaults, the acts dropped as
inconsistent, and — for a scenario that extends another — the difference
from its parent: events removed, added or dropped, choices forbidden,
parameters and settings changed, shocks added.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sim.model import params as P
from sim.model.checks import describe_matcher
from sim.model.consistency import act_text, analyse, problems, scheduled_events
from sim.model.resolve import Resolution, resolve, validate
from sim.model.scenario import EventSpec, Scenario, ShockSpec, listed_events
from sim.model.shock_list import listed_shocks

__all__ = ["Change", "Description", "Row", "describe", "shock_text"]

_SETTINGS = (
    "time",
    "seed",
    "timeline",
    "scheduled_only",
    "scheduled_only_until",
    "report_from",
    "turnover_from",
    "actors",
    "on_inconsistent",
)


@dataclass(frozen=True)
class Row:
    """One line of the timeline: a scheduled act, a shock or a dropped act."""

    year: int
    kind: str  # "act", "shock" or "dropped"
    text: str
    source: str  # the field of the file read it comes from ("" if not), or why it is dropped
    note: str = ""


@dataclass(frozen=True)
class Change:
    """One difference from the parent: ``kind`` (removed, added, ...), what, and why."""

    kind: str
    what: str
    why: str = ""


@dataclass
class Description:
    """A resolved scenario as ``validate --show`` prints it."""

    scenario: Scenario
    path: Path
    parent: Path | None
    rows: list[Row] = field(default_factory=list)
    parameters: list[tuple[str, float, float]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    parent_name: str = ""


def shock_text(sh: ShockSpec) -> str:
    """A shock in one line: ``shock threat terrorism +1.5``."""
    what = sh.theme if sh.kind == "threat" else sh.actor
    return f"shock {sh.kind} {what} {sh.magnitude:+g}"


def _timeline(s: Scenario, res: Resolution) -> list[Row]:
    listed, found = analyse(s)
    dropped = {id(p.listed): p for p in found} if s.on_inconsistent == "drop" else {}

    def mine(merged: str) -> str:
        path, local = res.locate(merged)
        return local if path == res.path else ""

    rows: list[Row] = []
    for a in listed:
        if not a.kept:
            continue
        ev = a.event
        text = act_text(ev, year=False)
        if id(a) in dropped:
            rows.append(Row(ev.year, "dropped", text, dropped[id(a)].why(res.name)))
        else:
            where = "" if a.origin is None else mine(f"events[{a.origin}]")
            rows.append(Row(ev.year, "act", text, where, ev.note))
    for x in listed_shocks(s):
        if x.kept:
            sh = x.shock
            rows.append(Row(sh.year, "shock", shock_text(sh), mine(f"shocks[{x.index}]"), sh.note))
    order = {"act": 0, "dropped": 0, "shock": 1}
    return sorted(rows, key=lambda r: (r.year, order[r.kind]))


def _key(e: EventSpec) -> tuple:
    return (e.year, e.actor, e.action, e.targets)


def _diff(s: Scenario, parent: Scenario, res: Resolution) -> list[Change]:
    out: list[Change] = []
    mine, theirs = (
        Counter(map(_key, scheduled_events(s))),
        Counter(map(_key, scheduled_events(parent))),
    )
    dropped = {_key(p.listed.event): p for p in problems(s)} if s.on_inconsistent == "drop" else {}
    fate: dict[tuple, str] = {}
    for a in listed_events(s):
        k = _key(a.event)
        if a.removed_by is not None:
            fate.setdefault(k, res.name(f"remove[{a.removed_by}]"))
        elif a.excluded:
            fate.setdefault(k, "actors.exclude")
        elif k in dropped:
            fate.setdefault(k, dropped[k].why(res.name))
    for k in sorted((theirs - mine).elements()):
        ev = EventSpec(year=k[0], actor=k[1], action=k[2], targets=k[3])
        kind = "dropped" if k in dropped else "removed"
        out.append(Change(kind, act_text(ev), fate.get(k, "outside the time span")))
    origins = {_key(e): res.name(f"events[{i}]") for i, e in enumerate(s.events)}
    for k in sorted((mine - theirs).elements()):
        ev = EventSpec(year=k[0], actor=k[1], action=k[2], targets=k[3])
        out.append(Change("added", act_text(ev), origins.get(k, "timeline")))
    for i, m in enumerate(s.forbid[len(parent.forbid) :], start=len(parent.forbid)):
        out.append(Change("forbidden", describe_matcher(m), res.name(f"forbid[{i}]")))
    new, old = s.resolved_parameters(), parent.resolved_parameters()
    for name in P.PARAM_NAMES:
        if new[name] != old[name]:
            out.append(Change("parameter", f"{name} {old[name]:g} -> {new[name]:g}"))
    n = len(parent.parameter_changes)
    for i, c in enumerate(s.parameter_changes[n:], start=n):
        values = ", ".join(f"{k} -> {v:g}" for k, v in c.parameters.items())
        out.append(
            Change("parameter", f"from {c.year}: {values}", res.name(f"parameter_changes[{i}]"))
        )
    a, b = s.model_dump(mode="json", by_alias=True), parent.model_dump(mode="json", by_alias=True)
    for key in _SETTINGS:
        if a[key] != b[key]:
            out.append(Change("setting", f"{key}: {_plain(b[key])} -> {_plain(a[key])}"))
    out += _shock_changes(s, parent, res)
    return out


def _shock_key(sh: ShockSpec) -> tuple[int, str, str | None, str | None, float]:
    return (sh.year, sh.kind, sh.actor, sh.theme, sh.magnitude)


def _shock_changes(s: Scenario, parent: Scenario, res: Resolution) -> list[Change]:
    """Shocks added by the file (or its chain below the parent) and the parent's taken out."""
    listed = listed_shocks(s)
    kept = Counter(_shock_key(x.shock) for x in listed if x.kept)
    theirs = Counter(_shock_key(x.shock) for x in listed_shocks(parent) if x.kept)
    by_key = {_shock_key(x.shock): x.shock for x in listed_shocks(parent)}
    fate = {
        _shock_key(x.shock): res.name(f"remove[{x.removed_by}]")
        for x in reversed(listed)  # the first remove that takes a shock out names it
        if x.removed_by is not None
    }
    out = [
        Change("removed", _shock_words(by_key[k]), fate.get(k, "outside the time span"))
        for k in sorted((theirs - kept).elements(), key=lambda k: (k[0], str(k)))
    ]
    extra = kept - theirs
    for x in listed:
        k = _shock_key(x.shock)
        if x.kept and extra[k] > 0:
            extra[k] -= 1
            out.append(Change("shock", _shock_words(x.shock), res.name(f"shocks[{x.index}]")))
    return out


def _shock_words(sh: ShockSpec) -> str:
    """``2001 threat terrorism +1.5``."""
    return f"{sh.year} {shock_text(sh).removeprefix('shock ')}"


def _plain(v: object) -> str:
    if isinstance(v, dict) and set(v) == {"start", "end"}:
        return f"{v['start']}-{v['end']}"
    if isinstance(v, list):
        return "[" + ", ".join(map(str, v)) + "]"
    return "none" if v is None else str(v)


def describe(source: str | Path | dict) -> Description:
    """Resolve and validate a scenario and describe it.

    Args:
        source: A file path, a bundled scenario's name, or a dict of a file's keys.

    Raises:
        InputError: As :func:`sim.model.resolve.load_scenario`.
    """
    res = resolve(source)
    s = validate(res)
    out = Description(scenario=s, path=res.path, parent=res.parent)
    out.rows = _timeline(s, res)
    values = s.resolved_parameters()
    out.parameters = [
        (n, values[n], P.DEFAULTS[n]) for n in P.PARAM_NAMES if values[n] != P.DEFAULTS[n]
    ]
    if res.parent is not None:
        parent = validate(resolve(res.parent), warn=False)
        out.parent_name = parent.name
        out.changes = _diff(s, parent, res)
    return out
