"""Where the states are: distances between capitals and proximity to a place.

The balance-of-threat account of alliances (Walt, *The Origins of Alliances*,
1987, ch. 2) counts geographic proximity among the sources of threat: power
that can be projected nearby threatens more than the same power far away.
Boulding (*Conflict and Defense*, 1962, ch. 12) gives the form: a state's
strength falls off with distance along a *loss-of-strength gradient*. The model
uses both for one thing only: how much each member of the alliance reads of a
hostile Russian act aimed at a particular place (a neighbour, an aspirant, one
member). Its share falls off with the distance from its capital to that place,
``exp(-d / PROXIMITY_KM)``, normalised so the members' mean share is 1; acts
aimed at the alliance as a whole carry no place and are read alike.

Coordinates are capitals (or a theatre's main city) from the public record,
in ``seeds/states.csv`` and ``seeds/places.csv``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from sim.data import tables

__all__ = ["EARTH_RADIUS_KM", "PROXIMITY_KM", "distance_km", "proximity_shares"]

EARTH_RADIUS_KM = 6371.0
#: Hand-set: the distance over which a threat's weight falls by a factor e (a
#: parameter of the tables, perturbed with them in ``natosim evaluate``).
PROXIMITY_KM = 1000.0


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points in degrees (haversine)."""
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 2.0 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def proximity_shares(
    places: Iterable[str], readers: Sequence[str], km: float = PROXIMITY_KM
) -> dict[str, float]:
    """Each reader's share of a threat aimed at ``places`` (mean 1 over the readers).

    A reader's proximity is ``exp(-d / km)`` with ``d`` the distance from its
    capital to the nearest of the places. Returns an empty mapping when no place
    (or no reader) has coordinates: the act is then read alike by all.
    """
    coords = tables.coordinates()
    where = [coords[p] for p in places if p in coords]
    who = [r for r in readers if r in coords]
    if not where or not who or km <= 0:
        return {}
    raw = {r: max(math.exp(-distance_km(coords[r], p) / km) for p in where) for r in who}
    mean = sum(raw.values()) / len(raw)
    return {r: v / mean for r, v in raw.items()}
