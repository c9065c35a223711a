"""Make ``europe_110m.json`` from Natural Earth's 1:110m countries (run once; kept for provenance).

Input: ``countries-110m.json`` of the npm package ``world-atlas`` 2.0.2 (Mike Bostock's
TopoJSON of Natural Earth 4.1.0 Admin 0 countries; ISC licence; the Natural Earth data
are in the public domain). Obtain it with ``npm pack world-atlas@2.0.2`` and unpack.

    python seeds/maps/make_europe_110m.py package/countries-110m.json seeds/maps/europe_110m.json

The TopoJSON arcs are decoded (delta-encoded, quantised), each country's rings are
made continuous across the antimeridian (Russia's far east), clipped to the box
:data:`BOX` (Sutherland-Hodgman) and rounded to 0.01 degree, and
each country is written with its ISO 3166-1 alpha-3 code, its name and its rings of
``[lon, lat]`` (no projection: the figure projects).
"""

from __future__ import annotations

import itertools
import json
import sys

#: West, south, east, north (degrees) of the clipped area: Europe and beyond (the map crops).
BOX = (-32.0, 28.0, 75.0, 82.0)

#: ISO 3166-1 numeric (as world-atlas writes it) to alpha-3, for the countries in BOX.
ALPHA3 = {
    "398": "KAZ", "860": "UZB", "643": "RUS", "578": "NOR", "304": "GRL", "250": "FRA",
    "376": "ISR", "422": "LBN", "788": "TUN", "012": "DZA", "400": "JOR", "368": "IRQ",
    "795": "TKM", "364": "IRN", "760": "SYR", "051": "ARM", "752": "SWE", "112": "BLR",
    "804": "UKR", "616": "POL", "040": "AUT", "348": "HUN", "498": "MDA", "642": "ROU",
    "440": "LTU", "428": "LVA", "233": "EST", "276": "DEU", "100": "BGR", "300": "GRC",
    "792": "TUR", "008": "ALB", "191": "HRV", "756": "CHE", "442": "LUX", "056": "BEL",
    "528": "NLD", "620": "PRT", "724": "ESP", "372": "IRL", "380": "ITA", "208": "DNK",
    "826": "GBR", "352": "ISL", "031": "AZE", "268": "GEO", "705": "SVN", "246": "FIN",
    "703": "SVK", "203": "CZE", "196": "CYP", "504": "MAR", "434": "LBY", "070": "BIH",
    "807": "MKD", "688": "SRB", "499": "MNE",
}  # fmt: skip
#: Features without an id in world-atlas.
BY_NAME = {"Kosovo": "XKX", "N. Cyprus": "CYN"}


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """The arcs as lists of (lon, lat)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def ring(arcs: list, indices: list[int]) -> list[tuple[float, float]]:
    """One ring from arc indices (negative: reversed, as in TopoJSON)."""
    pts: list[tuple[float, float]] = []
    for i in indices:
        a = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(a if not pts else a[1:])
    return pts


def unwrap(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A ring that crosses the antimeridian, made continuous east of it.

    Natural Earth cuts such a ring at ±180° (Russia's Chukotka lies at −180° to
    −169°); clipped as it is, the jump across the whole world would cut a band along
    the box's west edge. Shifted by 360°, those points lie east of the box and clip
    away.
    """
    if not any(abs(a[0] - b[0]) > 180 for a, b in itertools.pairwise(points)):
        return points
    return [(x + 360.0 if x < 0 else x, y) for x, y in points]


def clip(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sutherland-Hodgman clipping of a ring to :data:`BOX`."""
    west, south, east, north = BOX
    edges = [
        (lambda p: p[0] >= west, lambda a, b: _at_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _at_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _at_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _at_y(a, b, north)),
    ]
    out = points
    for inside, cut in edges:
        src, out = out, []
        for k, cur in enumerate(src):
            prev = src[k - 1]
            if inside(cur):
                if not inside(prev):
                    out.append(cut(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cut(prev, cur))
        if not out:
            break
    return out


def _at_x(a: tuple[float, float], b: tuple[float, float], x: float) -> tuple[float, float]:
    t = (x - a[0]) / (b[0] - a[0])
    return x, a[1] + t * (b[1] - a[1])


def _at_y(a: tuple[float, float], b: tuple[float, float], y: float) -> tuple[float, float]:
    t = (y - a[1]) / (b[1] - a[1])
    return a[0] + t * (b[0] - a[0]), y


def main(src: str, dst: str) -> None:
    """Convert ``src`` (world-atlas TopoJSON) into ``dst``."""
    with open(src, encoding="utf-8") as fh:
        topo = json.load(fh)
    arcs = decode_arcs(topo)
    features = []
    for g in topo["objects"]["countries"]["geometries"]:
        name = g["properties"]["name"]
        code = ALPHA3.get(g.get("id") or "", BY_NAME.get(name))
        if code is None:
            continue
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        rings = []
        for poly in polys:
            for r in poly:
                pts = clip(unwrap(ring(arcs, r)))
                rounded = [[round(x, 2), round(y, 2)] for x, y in pts]
                kept = [p for k, p in enumerate(rounded) if k == 0 or p != rounded[k - 1]]
                if len(kept) >= 3:
                    rings.append(kept)
        if rings:
            features.append({"code": code, "name": name, "rings": rings})
    features.sort(key=lambda f: f["code"])
    doc = {
        "source": "Natural Earth 1:110m Admin 0 countries 4.1.0 (public domain), via the npm "
        "package world-atlas 2.0.2 (countries-110m.json, ISC licence)",
        "box": list(BOX),
        "features": features,
    }
    with open(dst, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, separators=(",", ":"))
        fh.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
