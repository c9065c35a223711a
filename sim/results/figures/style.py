"""The one palette, the pair labels and the one way a figure is saved.

Every figure (files from ``natosim run``, ``plot``, ``calibrate`` and the web
page's chart) takes its colours from here. The palette is Okabe and Ito's,
safe for the common colour-vision deficiencies. Colour means *who*: NATO and
its side blue, Russia vermillion, in lines and event marks alike; how an act
was read (its *tone*) is a marker's shape (▼ hostile, ▲ friendly, ● neither),
never a colour, so the two never share a code. No text is smaller than
:data:`MIN_FONT` points at a figure's default size.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from matplotlib.figure import Figure

from sim.data import tables
from sim.files.atomic import atomic_write_bytes
from sim.model.events import names

#: The headline directed pairs (NATO's trust in Russia, Russia's in NATO).
HEADLINE = tables.HEADLINE

#: Okabe-Ito colours (Okabe & Ito 2008, "Color Universal Design").
BLUE, VERMILLION, GREEN, PURPLE = "#0072b2", "#d55e00", "#009e73", "#cc79a7"
ORANGE, SKY, YELLOW, BLACK = "#e69f00", "#56b4e9", "#f0e442", "#000000"

NATO_COLOR = BLUE
RUS_COLOR = VERMILLION
#: Colour of each headline directed pair.
COLORS = {(tables.NATO, tables.RUS): NATO_COLOR, (tables.RUS, tables.NATO): RUS_COLOR}
#: Colours of further series (scenarios, pairs, indices), in order.
PALETTE = (BLUE, VERMILLION, GREEN, PURPLE, ORANGE, SKY, BLACK)
#: Line styles that go with :data:`PALETTE` (so series differ in grey print too).
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 1)), (0, (8, 2)))

#: Text colours of a reading in the page's event log (the figures use shapes).
HOSTILE = "#882255"
FRIENDLY = "#117733"
NEUTRAL = "#7f7f7f"
#: Marker of each tone of reading, and what it says in a legend.
TONE_MARKERS = {"hostile": "v", "friendly": "^", "neutral": "o"}
TONE_LABELS = {
    "hostile": "read as hostile by the other side",
    "friendly": "read as friendly by the other side",
    "neutral": "not read either way",
}
#: A state that is not (yet) a member.
NOT_YET = "#d5d8dc"
#: Member tiers in the web page's bars.
TIER_COLORS = {"old": BLUE, "new": ORANGE, "aspirant": PURPLE}
#: Sequential colour map of trust levels (maps, heatmaps): perceptually uniform, CVD-safe.
TRUST_CMAP = "viridis"
#: The smallest text in a figure, in points.
MIN_FONT = 8

#: Formats :func:`savefig` writes.
FORMATS = ("png", "svg", "pdf")
DPI = 130


def pair_label(observer: str, target: str) -> str:
    """Readable label of a directed pair, e.g. ``NATO → RUS``."""
    return f"{observer} → {target}"


def pair_color(observer: str, target: str, i: int = 0) -> str:
    """The pair's own colour, else the ``i``-th colour of the palette."""
    return COLORS.get((observer, target), PALETTE[i % len(PALETTE)])


def observer_color(observer: str) -> str:
    """Colour of who holds the trust: Russia vermillion, NATO and any state blue.

    Every state but Russia is NATO's side here, as on the event strip (acts of
    NATO, a member or an aspirant are marked blue).
    """
    return RUS_COLOR if observer == tables.RUS else NATO_COLOR


def pair_styles(pairs: Sequence[tuple[str, str]]) -> list[dict[str, object]]:
    """Colour (the observer's) and line style of each pair's line in a trust chart.

    Pairs held by the same side share its colour and differ in line style, so
    ``POL → RUS`` and ``USA → RUS`` on one chart stay apart.
    """
    seen: dict[str, int] = {}
    out: list[dict[str, object]] = []
    for o, _ in pairs:
        c = observer_color(o)
        k = seen.get(c, 0)
        seen[c] = k + 1
        out.append({"color": c, "ls": LINESTYLES[k % len(LINESTYLES)]})
    return out


def trust_words(observer: str, target: str) -> str:
    """``"Russia's trust in NATO"``, ``"Russia's trust in the United States"``."""
    n = names()

    def the(code: str) -> str:
        name = n.get(code, code)
        return f"the {name}" if name.startswith(("United ", "Netherlands")) else name

    whose = the(observer)
    whose += "'" if whose.endswith("s") else "'s"  # the United States', the Netherlands'
    return f"{whose} trust in {the(target)}"


def pairs_title(pairs: Sequence[tuple[str, str]]) -> str:
    """What a trust chart of these pairs shows, in words.

    ``"NATO-Russia trust"`` for the two headline directions, else each pair
    named, e.g. ``"Russia's trust in Poland"``.
    """
    if set(pairs) == set(HEADLINE):
        return "NATO-Russia trust"
    return "; ".join(trust_words(o, t) for o, t in pairs)


def tone(valence: float | None) -> str:
    """``hostile``, ``friendly`` or ``neutral`` (unread or zero)."""
    if valence is None or valence == 0:
        return "neutral"
    return "hostile" if valence < 0 else "friendly"


def tone_color(valence: float | None) -> str:
    """Text colour of a reading (the page's log): wine hostile, green friendly, grey neither."""
    return {"hostile": HOSTILE, "friendly": FRIENDLY, "neutral": NEUTRAL}[tone(valence)]


def series_style(i: int) -> dict[str, object]:
    """Colour and line style of the ``i``-th series of a chart."""
    return {"color": PALETTE[i % len(PALETTE)], "ls": LINESTYLES[i % len(LINESTYLES)]}


def figure_format(target: Path | str | BinaryIO, fmt: str | None = None) -> str:
    """The format to write: ``fmt``, else the file's suffix, else ``png``.

    Raises:
        ValueError: For a format other than png, svg or pdf, or a ``fmt`` that
            contradicts the file's suffix (``fmt="png"`` for ``compare.pdf``).
    """
    suffix = Path(target).suffix.lstrip(".").lower() if isinstance(target, (str, Path)) else ""
    if fmt is None:
        fmt = suffix or "png"
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ValueError(f"figure format {fmt!r}: choose {', '.join(FORMATS)}")
    if suffix in FORMATS and suffix != fmt:
        raise ValueError(f"format {fmt} does not match the file name {Path(str(target)).name}")
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


def add_caption(fig: Figure, text: str) -> None:
    """Write a caption under a figure (wrapped, :data:`MIN_FONT` points), leaving it room.

    The figure must use the constrained layout (``Figure(layout="constrained")``).
    """
    if not text:
        return
    width = max(40, int(fig.get_figwidth() * 15))
    wrapped = textwrap.fill(text, width)
    lines = wrapped.count("\n") + 1
    h = (lines * MIN_FONT * 1.35 / 72 + 0.08) / fig.get_figheight()
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set"):
        engine.set(rect=(0, h, 1, 1 - h))
    fig.text(0.01, 0.01, wrapped, fontsize=MIN_FONT, ha="left", va="bottom", gid="caption")


def caption_of(fig: Figure) -> str:
    """The caption written by :func:`add_caption` (one line), or ``""``."""
    for t in fig.texts:
        if t.get_gid() == "caption":
            return " ".join(t.get_text().split())
    return ""
