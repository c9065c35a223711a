"""The text of ``natosim validate SCENARIO --show`` (see :mod:`sim.model.describe`)."""

from __future__ import annotations

from sim.model.describe import Description

_NOTE = 60  # characters of an event's note shown


def _short(text: str, n: int = _NOTE) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def show(d: Description) -> list[str]:
    """The lines to print: timeline by year, parameters off their defaults, changes."""
    s = d.scenario
    out = [f"Scenario {s.name!r} ({d.path}), {s.time.start}-{s.time.end}"]
    if s.description:
        out.append(f"  {s.description}")
    if d.parent is not None:
        out.append(f"  extends {d.parent_name!r} ({d.parent})")
    acts = sum(r.kind == "act" for r in d.rows)
    shocks = sum(r.kind == "shock" for r in d.rows)
    out += ["", f"Timeline: {acts} scheduled acts, {shocks} shocks"]
    width = max((len(r.text) for r in d.rows), default=0)
    last = None
    for r in d.rows:
        year = str(r.year) if r.year != last else ""
        last = r.year
        if r.kind == "dropped":
            out.append(f"  {year:4}  {'(dropped) ' + r.text}  — {r.source}")
            continue
        where = f"[{r.source}] " if r.source else ""
        out.append(f"  {year:4}  {r.text.ljust(width)}  {where}{_short(r.note)}".rstrip())
    out += ["", "Parameters differing from the defaults:"]
    if not d.parameters:
        out.append("  none (all at their defaults; natosim list parameters)")
    for name, value, default in d.parameters:
        out.append(f"  {name} = {value:g} (default {default:g})")
    if s.parameter_changes:
        out += ["", "Parameters changed from a year on:"]
        for c in sorted(s.parameter_changes, key=lambda c: c.year):
            values = ", ".join(f"{k} = {v:g}" for k, v in c.parameters.items())
            if c.year > s.time.end:
                where = "  (after the time span: dropped)"
            elif c.year < s.time.start:
                where = f"  (before the time span: holds from {s.time.start})"
            else:
                where = ""
            note = f" — {c.note}" if c.note else ""
            out.append(f"  from {c.year}: {values}{where}{note}")
    if d.parent is not None:
        out += ["", f"Changes from {d.parent_name!r}:"]
        if not d.changes:
            out.append("  none")
        kw = max((len(c.kind) for c in d.changes), default=0)
        for c in d.changes:
            why = f"  ({c.why})" if c.why else ""
            out.append(f"  {c.kind.ljust(kw)}  {c.what}{why}")
    return out
