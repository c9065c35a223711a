"""The words a scenario may use, and help for the ones it gets wrong.

Actors, targets, actions, parameters and themes are fixed vocabularies (the
data tables and :mod:`sim.model.params`). This module says which actors may
take an action; :func:`did_you_mean` (from :mod:`sim.files.hints`) turns a near
miss into a hint.
"""

from __future__ import annotations

from functools import cache

from sim.data import tables
from sim.files.hints import did_you_mean as did_you_mean

#: Shared-threat themes (of shocks and of the joint actions).
THEMES = ("terrorism", "proliferation", "piracy", "narcotics")


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
