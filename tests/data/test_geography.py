"""Capitals, distances and the members' shares of a threat by proximity."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.data import maps, tables
from sim.data.geography import PROXIMITY_KM, distance_km, proximity_shares

MEMBERS = [s.code for s in tables.states() if s.role == "member"]


def _inside(point: tuple[float, float], ring: tuple[tuple[float, float], ...]) -> bool:
    lat, lon = point
    hit = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def test_every_state_and_place_has_a_capital_except_the_unspecified_theatre() -> None:
    coords = tables.coordinates()
    assert {s.code for s in tables.states()} <= coords.keys()
    assert set(tables.places()) - coords.keys() == {"OOA"}
    for lat, lon in coords.values():
        assert -90 <= lat <= 90 and -180 <= lon <= 180


def test_each_capital_on_the_map_lies_in_its_own_country() -> None:
    # a typo in a coordinate would put a capital in the wrong country (or the sea);
    # the outlines are coarse (1:110m), so a point may sit just off its coast
    shapes = maps.europe()
    checked = 0
    for code, (lat, lon) in tables.coordinates().items():
        if code not in shapes:
            continue  # not on the map of Europe (the USA, Canada, the out-of-area theatres)
        rings = shapes[code].rings
        near = min(math.hypot(lat - y, lon - x) for r in rings for x, y in r)
        assert any(_inside((lat, lon), r) for r in rings) or near < 0.5, code
        checked += 1
    assert checked >= 30


def test_distances_match_the_record() -> None:
    c = tables.coordinates()
    assert distance_km(c["GBR"], c["FRA"]) == pytest.approx(344, abs=5)  # London-Paris
    assert distance_km(c["USA"], tables.coordinates()["GEO"]) > 9000
    assert distance_km(c["EST"], c["FIN"]) == pytest.approx(82, abs=5)  # Tallinn-Helsinki
    assert distance_km(c["POL"], c["POL"]) == 0.0


@given(st.floats(200.0, 5000.0), st.sampled_from(["GEO", "UKR", "EST", "POL", "BIH"]))
@settings(max_examples=40)
def test_shares_average_one_and_fall_with_distance(km: float, place: str) -> None:
    share = proximity_shares([place], MEMBERS, km)
    assert set(share) == set(MEMBERS)
    assert sum(share.values()) / len(share) == pytest.approx(1.0, rel=1e-12)
    c = tables.coordinates()
    order = sorted(MEMBERS, key=lambda m: distance_km(c[m], c[place]))
    values = [share[m] for m in order]
    assert all(a >= b for a, b in itertools.pairwise(values))


def test_several_places_count_the_nearest_and_no_place_reads_alike() -> None:
    both = proximity_shares(["GEO", "EST"], MEMBERS)
    assert both["EST"] > both["PRT"] and both["TUR"] > both["PRT"]
    assert proximity_shares(["NATO"], MEMBERS) == {}
    assert proximity_shares(["OOA"], MEMBERS) == {}
    assert proximity_shares([], MEMBERS) == {}


def test_a_long_gradient_reads_nearly_alike_and_a_shorter_one_apart() -> None:
    share = proximity_shares(["GEO"], MEMBERS, 1e7)
    assert max(share.values()) - min(share.values()) < 1e-3
    spread = [
        max(s.values()) / min(s.values())
        for s in (proximity_shares(["GEO"], MEMBERS, km) for km in (4000, PROXIMITY_KM, 500))
    ]
    assert 1 < spread[0] < spread[1] < spread[2]


@given(st.lists(st.floats(0.5, 3.0), min_size=len(MEMBERS), max_size=len(MEMBERS)))
@settings(max_examples=30)
def test_weighted_shares_average_one_with_those_weights(weights: list[float]) -> None:
    share = proximity_shares(["UKR"], MEMBERS, weights=weights)
    mean = sum(w * share[m] for m, w in zip(MEMBERS, weights, strict=True)) / sum(weights)
    assert mean == pytest.approx(1.0, rel=1e-12)
    plain = proximity_shares(["UKR"], MEMBERS)
    ratio = {m: share[m] / plain[m] for m in MEMBERS}  # the weights rescale, never reorder
    assert max(ratio.values()) == pytest.approx(min(ratio.values()), rel=1e-12)
