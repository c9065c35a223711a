"""The words a scenario may use, and help for the ones it gets wrong.

Actors, targets, actions, parameters and themes are fixed vocabularies (the
data tables and :mod:`sim.model.params`). This module says which actors may
take an action and turns a near miss into a hint: "did you mean" (difflib)
and, when the list is short, every valid value.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from functools import cache

from sim.data import tables

#: Lists up to this long are spelled out in messages.
SHORT = 8

#: Shared-threat themes (of shocks and of the joint actions).
THEMES = ("terrorism", "proliferation", "piracy", "narcotics")


def did_you_mean(
    value: str, choices: Iterable[str], aliases: Mapping[str, str] | None = None, what: str = ""
) -> str:
    """A hint for an unknown ``value``: the closest valid values, or all when few.

    Args:
        value: What the user wrote.
        choices: The valid values.
        aliases: Other spellings (lower case, e.g. a state's name) of a valid value.
        what: Plural noun for the list command (``"actors"``): named when the list
            is too long to print.

    Returns:
        A text starting with a space, e.g. ``" (did you mean 'USA'?)"``, or ``""``.
    """
    choices = list(dict.fromkeys(choices))
    by_lower: dict[str, str] = {c.lower(): c for c in choices}
    for k, v in (aliases or {}).items():
        by_lower.setdefault(k.lower(), v)
    low = str(value).strip().lower()
    if low in by_lower and by_lower[low] != value:
        close = [by_lower[low]]
    else:
        close = difflib.get_close_matches(low, list(by_lower), n=3, cutoff=0.6)
        close = list(dict.fromkeys(by_lower[c] for c in close))
    parts = []
    if close:
        parts.append("did you mean " + " or ".join(repr(c) for c in close) + "?")
    if len(choices) <= SHORT:
        parts.append("valid: " + ", ".join(choices))
    elif what:
        parts.append(f"see natosim list {what}")
    return f" ({'; '.join(parts)})" if parts else ""


@cache
def actor_aliases() -> dict[str, str]:
    """Other names of actors (``russia``, ``united states``, ``germany``...)."""
    out = {"russia": tables.RUS, "russian federation": tables.RUS, "alliance": tables.NATO}
    out.update({s.name.lower(): s.code for s in tables.states()})
    return out


def place_aliases() -> dict[str, str]:
    """Other names of non-actor targets (``kosovo``, ``afghanistan``...)."""
    return {name.lower(): code for code, name in tables.places().items()}


@cache
def allowed_actors(action: str) -> frozenset[str]:
    """Actors that may take ``action`` as a scheduled act.

    The action's ``choosers`` and, beyond them, the side it belongs to
    (column ``side``): a Russian act only Russia takes; a western act NATO or
    a member state; an act of either side NATO, Russia or a member state; an
    aspirant's act any state (``actor_not_member`` then says when). The record
    has members acting where the catalogue lets only NATO choose (the UK and
    Poland in Iraq, 2003), and NATO where only Russia chooses (the Wales summit
    condemning Russia, 2014), so the side decides, not only the choosers.
    """
    act = tables.actions()[action]
    states = tables.states()
    members = {s.code for s in states if s.role == "member"}
    out: set[str] = set()
    for c in act.choosers:
        if c == "key":
            out |= {s.code for s in states if s.key_partner}
        elif c == "aspirants":
            out |= {s.code for s in states if s.role == "aspirant"}
        elif c == "candidates":  # any state not yet a member may seek to join
            out |= {s.code for s in states if s.role == "aspirant" or s.accession}
        else:
            out.add(c)
    if act.side == "russia":
        out.add(tables.RUS)
    elif act.side == "west":
        out |= {tables.NATO, *members}
    elif act.side == "both":
        out |= {tables.NATO, tables.RUS, *members}
    elif act.side == "aspirant":
        out |= {s.code for s in states}
    return frozenset(out)


def who_may(action: str) -> str:
    """In words, who may take ``action`` (for messages and ``natosim list``)."""
    act = tables.actions()[action]
    allowed = allowed_actors(action)
    if allowed == {tables.RUS}:
        return "RUS only"
    if act.side == "aspirant":
        return "a state that is not yet a member"
    if tables.RUS in allowed:
        return "NATO, RUS or a member state"
    return "NATO or a member state"
