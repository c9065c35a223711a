"""Maps of Europe: each state's trust in Russia, and Russia's trust in it, in a year.

The shapes are Natural Earth's 1:110m countries (:mod:`sim.data.maps`), drawn
as matplotlib polygons in a Lambert azimuthal equal-area projection centred on
Europe (10°E 52°N, as EPSG:3035). A state of the model is coloured by its trust
(one colour scale, 0 to 1, for every panel); hatching marks a state that is
not (yet) a member that year; Russia is cross-hatched; countries outside the
model are pale. The United States and Canada, members beyond the map, are squares in
the Atlantic, labelled.

:func:`map_figure` draws one year (two panels: trust in Russia, Russia's trust);
:func:`map_years_figure` draws small multiples, a column per year.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Polygon, Rectangle

from sim.data.maps import europe
from sim.results.figures.style import MIN_FONT, TRUST_CMAP, add_caption, savefig

#: Centre of the projection (degrees).
LON0, LAT0 = 10.0, 52.0
#: Extent of the maps in projected units (Earth radius 1).
XLIM, YLIM = (-0.47, 0.6), (-0.33, 0.4)
#: Members beyond the map: where their squares go (lon, lat) and their label.
OVERSEAS = {"USA": (-21.0, 45.0), "CAN": (-21.0, 53.0)}
RUSSIA = "white"
OUTSIDE = "#eeeeee"
#: The two directions, per panel: title and whose trust it is.
DIRECTIONS = {
    "in_russia": "each state's trust in Russia",
    "of_russia": "Russia's trust in each state",
}


def project(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lambert azimuthal equal-area projection (unit sphere) centred on ``LON0, LAT0``."""
    lam, phi = np.radians(lon) - np.radians(LON0), np.radians(lat)
    p0 = np.radians(LAT0)
    k = np.sqrt(2 / (1 + np.sin(p0) * np.sin(phi) + np.cos(p0) * np.cos(phi) * np.cos(lam)))
    x = k * np.cos(phi) * np.sin(lam)
    y = k * (np.cos(p0) * np.sin(phi) - np.sin(p0) * np.cos(phi) * np.cos(lam))
    return x, y


def draw_map(
    ax: Any,
    values: Mapping[str, float],
    members: set[str],
    *,
    title: str,
    norm: Normalize,
) -> None:
    """One map: ``values`` (state code to trust) coloured, non-members hatched."""
    cmap = colormaps[TRUST_CMAP]
    for code, country in europe().items():
        if code == "RUS":
            face, hatch, gid = RUSSIA, "xx", "russia"
        elif code in values and np.isfinite(values[code]):
            face = cmap(norm(values[code]))
            hatch = None if code in members else "////"
            gid = f"state:{code}"
        else:
            face, hatch, gid = OUTSIDE, None, "outside"
        for ring in country.rings:
            xy = np.column_stack(project(*np.asarray(ring).T))
            ax.add_patch(
                Polygon(
                    xy, closed=True, facecolor=face, edgecolor="#777" if code == "RUS" else "white",
                    lw=0.4, hatch=hatch, gid=gid,
                )
            )  # fmt: skip
    for code, (lon, lat) in OVERSEAS.items():
        if code in values and np.isfinite(values[code]):
            x, y = project(np.array([lon]), np.array([lat]))
            ax.add_patch(
                Rectangle(
                    (x[0] - 0.025, y[0] - 0.025), 0.05, 0.05, facecolor=cmap(norm(values[code])),
                    edgecolor="#333", lw=0.6, gid=f"state:{code}",
                )
            )  # fmt: skip
            ax.text(x[0] + 0.035, y[0], code, va="center", fontsize=MIN_FONT)
    x, y = project(np.array([45.0]), np.array([56.0]))
    ax.text(
        x[0], y[0], "Russia", fontsize=MIN_FONT + 2, ha="center",
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5},
    )  # fmt: skip
    ax.set_xlim(*XLIM)
    ax.set_ylim(*YLIM)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=MIN_FONT + 2)


def _legend(ax: Any) -> None:
    """The legend of the shadings, in the Atlantic corner of a map."""
    handles = [
        Patch(facecolor="#bbbbbb", hatch="////", edgecolor="white", label="not (yet) a member"),
        Patch(facecolor=RUSSIA, hatch="xx", edgecolor="#777", label="Russia"),
        Patch(facecolor=OUTSIDE, edgecolor="#ccc", label="not in the model"),
    ]
    ax.legend(handles=handles, loc="lower left", fontsize=MIN_FONT, framealpha=0.9)


def map_figure(
    in_russia: Mapping[str, float],
    of_russia: Mapping[str, float],
    members: set[str],
    year: int,
    *,
    title: str = "",
    runs: int = 1,
) -> Figure:
    """Two maps of one year (see :func:`trust_map`)."""
    fig = Figure(figsize=(13, 5.4), layout="constrained")
    axes = fig.subplots(1, 2)
    norm = Normalize(0, 1)
    for ax, (key, words), values in zip(
        axes, DIRECTIONS.items(), (in_russia, of_russia), strict=True
    ):
        draw_map(ax, values, members, title=f"{words}, {year}", norm=norm)
        ax.set_gid(key)
    fig.colorbar(
        ScalarMappable(norm, colormaps[TRUST_CMAP]), ax=axes, shrink=0.8,
        label="trust (0 = none, 1 = full)",
    )  # fmt: skip
    _legend(axes[0])
    fig.suptitle(title or f"Trust between Russia and NATO's states, {year}")
    add_caption(fig, _caption(runs))
    return fig


def _caption(runs: int) -> str:
    what = f"median of {runs} runs" if runs > 1 else "one run"
    return (
        f"Colour: the {what}. Membership as the scenario schedules it. Shapes: Natural "
        "Earth 1:110m (public domain)."
    )


def map_years_figure(
    by_year: Mapping[int, tuple[Mapping[str, float], Mapping[str, float], set[str]]],
    *,
    title: str = "",
    runs: int = 1,
) -> Figure:
    """Small multiples: a column per year, trust in Russia above, Russia's trust below."""
    years = sorted(by_year)
    fig = Figure(figsize=(3.3 * len(years) + 1.2, 5.6), layout="constrained")
    axes = np.atleast_2d(fig.subplots(2, len(years), squeeze=False))
    norm = Normalize(0, 1)
    for j, year in enumerate(years):
        in_r, of_r, members = by_year[year]
        draw_map(axes[0][j], in_r, members, title=f"{year}", norm=norm)
        draw_map(axes[1][j], of_r, members, title=f"{year}", norm=norm)
    axes[0][0].set_ylabel(DIRECTIONS["in_russia"], fontsize=MIN_FONT + 1)
    axes[1][0].set_ylabel(DIRECTIONS["of_russia"], fontsize=MIN_FONT + 1)
    fig.colorbar(
        ScalarMappable(norm, colormaps[TRUST_CMAP]), ax=axes, shrink=0.8,
        label="trust (0 = none, 1 = full)",
    )  # fmt: skip
    _legend(axes[1][0])
    fig.suptitle(title or "Trust between Russia and NATO's states over the years")
    add_caption(fig, _caption(runs))
    return fig


def trust_map(
    in_russia: Mapping[str, float],
    of_russia: Mapping[str, float],
    members: set[str],
    year: int,
    path: Path | str | BinaryIO,
    *,
    title: str = "",
    runs: int = 1,
    fmt: str | None = None,
) -> None:
    """A map of Europe in one year: each state's trust in Russia and Russia's in it.

    Args:
        in_russia: State code to its trust in Russia.
        of_russia: State code to Russia's trust in it.
        members: The states that are members that year.
        year: The year.
        path: Output file or binary buffer.
        title: Figure title.
        runs: How many runs the values are the median of (for the caption).
        fmt: File format; default from the suffix.
    """
    savefig(map_figure(in_russia, of_russia, members, year, title=title, runs=runs), path, fmt)


def trust_maps(
    by_year: Mapping[int, tuple[Mapping[str, float], Mapping[str, float], set[str]]],
    path: Path | str | BinaryIO,
    *,
    title: str = "",
    runs: int = 1,
    fmt: str | None = None,
) -> None:
    """Small multiples of the map over years (see :func:`map_years_figure`)."""
    savefig(map_years_figure(by_year, title=title, runs=runs), path, fmt)


def years_between(first: int, last: int, k: int = 5) -> Sequence[int]:
    """About ``k`` evenly spaced years from ``first`` to ``last`` (both included)."""
    return sorted({round(float(y)) for y in np.linspace(first, last, k)})
