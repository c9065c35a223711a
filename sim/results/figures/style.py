"""The one palette, the pair labels and the one way a figure is saved.

Every figure (files from ``natosim run``, ``plot``, ``calibrate`` and the web
page's chart) takes its colours from here, so NATO is the same blue and a
hostile reading the same red everywhere.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

from matplotlib.figure import Figure

from sim.data import tables
from sim.files.atomic import atomic_write_bytes

#: The headline directed pairs (NATO's trust in Russia, Russia's in NATO).
HEADLINE = tables.HEADLINE

NATO_COLOR = "#1f4e9c"
RUS_COLOR = "#c0392b"
#: Colour of each headline directed pair.
COLORS = {(tables.NATO, tables.RUS): NATO_COLOR, (tables.RUS, tables.NATO): RUS_COLOR}
#: Colours of further series (scenarios, pairs, indices), in order.
PALETTE = ("#1f4e9c", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#16a085", "#7f8c8d")

#: How the other side read an act.
HOSTILE = "#c0392b"
FRIENDLY = "#2e8b57"
NEUTRAL = "#7f8c8d"
#: A state that is not (yet) a member.
NOT_YET = "#d5d8dc"
#: Member tiers in the web page's bars.
TIER_COLORS = {"old": "#1f4e9c", "new": "#e67e22", "aspirant": "#8e44ad"}

#: Formats :func:`savefig` writes.
FORMATS = ("png", "svg", "pdf")
DPI = 130


def pair_label(observer: str, target: str) -> str:
    """Readable label of a directed pair, e.g. ``NATO → RUS``."""
    return f"{observer} → {target}"


def pair_color(observer: str, target: str, i: int = 0) -> str:
    """The pair's own colour, else the ``i``-th colour of the palette."""
    return COLORS.get((observer, target), PALETTE[i % len(PALETTE)])


def tone_color(valence: float | None) -> str:
    """Red for a hostile reading, green for a friendly one, grey otherwise."""
    if valence is None or valence == 0:
        return NEUTRAL
    return HOSTILE if valence < 0 else FRIENDLY


def figure_format(target: Path | str | BinaryIO, fmt: str | None = None) -> str:
    """The format to write: ``fmt``, else the file's suffix, else ``png``.

    Raises:
        ValueError: For a format other than png, svg or pdf.
    """
    if fmt is None:
        suffix = Path(target).suffix if isinstance(target, (str, Path)) else ""
        fmt = suffix.lstrip(".") or "png"
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ValueError(f"figure format {fmt!r}: choose {', '.join(FORMATS)}")
    return fmt


def savefig(fig: Figure, target: Path | str | BinaryIO, fmt: str | None = None) -> None:
    """Write a figure in the real format for ``fmt`` or the target's suffix.

    A file is written atomically (complete or not at all); a binary buffer
    receives the bytes.

    Args:
        fig: The figure.
        target: A file path or a binary buffer.
        fmt: ``png``, ``svg`` or ``pdf`` (default: from the suffix, else png).
    """
    kind = figure_format(target, fmt)
    if isinstance(target, (str, Path)):
        buf = io.BytesIO()
        fig.savefig(buf, format=kind, dpi=DPI)
        atomic_write_bytes(Path(target), buf.getvalue())
    else:
        fig.savefig(target, format=kind, dpi=DPI)
