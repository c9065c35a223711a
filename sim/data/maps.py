"""Country shapes for the maps of Europe (``seeds/maps/europe_110m.json``).

Natural Earth 1:110m Admin 0 countries (public domain), via the npm package
``world-atlas`` 2.0.2, clipped to Europe and rounded to 0.01 degree by
``seeds/maps/make_europe_110m.py``; see ``seeds/README.md``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from sim.data.locate import seeds_dir

__all__ = ["Country", "europe"]


@dataclass(frozen=True)
class Country:
    """One country's outline.

    Attributes:
        code: ISO 3166-1 alpha-3 (``XKX`` Kosovo, ``CYN`` Northern Cyprus).
        name: Natural Earth's short name.
        rings: Polygons as rings of ``(lon, lat)`` (islands are rings of their own).
    """

    code: str
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]


@cache
def europe() -> dict[str, Country]:
    """The countries of the map, by code."""
    doc = json.loads((seeds_dir() / "maps" / "europe_110m.json").read_text(encoding="utf-8"))
    return {
        f["code"]: Country(
            f["code"], f["name"], tuple(tuple((x, y) for x, y in r) for r in f["rings"])
        )
        for f in doc["features"]
    }
