"""Where the states are: distances between capitals and proximity to a place.

In the balance-of-threat account of alliances (Walt, *The Origins of Alliances*,
1987, ch. 2) geographic proximity is one of four sources of threat: power nearby
threatens more than the same power far away. Walt measures proximity between
the threatening state and the one that fears it; the model extends it to the
place an act is aimed at, after the diffusion-of-war findings that wars spread
to their neighbours, so that the neighbours of a conflict fear it most (Most &
Starr 1980; Siverson & Starr 1991). Boulding (*Conflict and Defense*, 1962)
pictures the fall of strength with distance as a gradient (a straight line);
the model uses an exponential, ``exp(-d / PROXIMITY_KM)``, which never turns
negative (a modelling choice). It is used for one thing only: how much each
member of the alliance reads of a hostile Russian act aimed at a place (a
neighbour, an aspirant, one member), normalised so the members' voice-weighted
mean share is 1. Acts aimed at the alliance as a whole carry no place.

Coordinates are capitals (or a theatre's main city) from the public record,
in ``seeds/states.csv`` and ``seeds/places.csv``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from sim.data import tables

__all__ = ["EARTH_RADIUS_KM", "PROXIMITY_KM", "distance_km", "proximity_shares"]

EARTH_RADIUS_KM = 6371.0
#: Hand-set (the first value tried; the README and ``docs/ODD.md`` give the effect of
#: 500-4,000 km): the distance over which a threat's weight falls by a factor e,
#: perturbed with the tables in ``natosim evaluate``.
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
    places: Iterable[str],
    readers: Sequence[str],
    km: float = PROXIMITY_KM,
    weights: Sequence[float] | None = None,
) -> dict[str, float]:
    """Each reader's share of a threat aimed at ``places`` (weighted mean 1).

    A reader's proximity is ``exp(-d / km)`` with ``d`` the distance from its
    capital to the nearest of the places; the shares are proximity over its mean
    weighted by ``weights`` (default: equal). Returns an empty mapping when no
    place (or no reader) has coordinates: the act is then read alike by all.
    """
    coords = tables.coordinates()
    where = [coords[p] for p in places if p in coords]
    w = dict(zip(readers, weights if weights is not None else [1.0] * len(readers), strict=True))
    who = [r for r in readers if r in coords]
    if not where or not who or km <= 0:
        return {}
    raw = {r: max(math.exp(-distance_km(coords[r], p) / km) for p in where) for r in who}
    mean = sum(w[r] * raw[r] for r in who) / sum(w[r] for r in who)
    return {r: v / mean for r, v in raw.items()}
