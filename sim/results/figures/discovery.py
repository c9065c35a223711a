"""The boxes of scenario discovery: PRIM's trade-off and what each box asks of each factor.

Left, the peeling trajectory of the first box: coverage against density, one
dot per step, coloured by the number of factors restricted, the reported box
ringed.
Right, each box's restrictions as bars over the factor's full range (scaled to
0-1, the range written at the ends), one colour per box; a scenario kept or
left out is written instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.results.figures.style import MIN_FONT, PALETTE, TRUST_CMAP, add_caption, savefig


def discovery_figure(found: Any) -> Figure:
    """The figure of a :class:`sim.experiments.discovery.Discovery` (see :func:`discovery_plot`)."""
    rows = [(i, r) for i, b in enumerate(found.boxes) for r in b.restrictions]
    fig = Figure(figsize=(12, max(4.2, 0.55 * len(rows) + 2.4)), layout="constrained")
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.4]})
    if found.boxes:
        first = found.boxes[0]
        t = first.trajectory
        sc = left.scatter(t.coverage, t.density, c=t["res dim"], cmap=TRUST_CMAP, s=22)
        left.plot(
            [t.coverage[first.chosen]], [t.density[first.chosen]], "o", ms=14, mfc="none",
            mec=PALETTE[1], mew=2, label="box reported",
        )  # fmt: skip
        cb = fig.colorbar(sc, ax=left, label="factors restricted")
        cb.set_ticks(range(int(t["res dim"].max()) + 1))
        left.legend(fontsize=MIN_FONT, loc="lower left")
    left.set_xlabel("coverage (share of the cases of interest in the box)")
    left.set_ylabel("density (share of the box's runs that are cases)")
    left.set_title("Box 1: peeling trajectory", fontsize=MIN_FONT + 2)
    left.grid(alpha=0.3)
    _limits(right, found, rows)
    fig.suptitle(f"Scenario discovery: where {found.outcome} {found.where}")
    share = found.n_interest / max(found.n_runs, 1)
    add_caption(
        fig,
        f"PRIM over {found.n_runs} runs, of which {found.n_interest} ({share:.0%}) have "
        f"{found.outcome} {found.where}; factors: {', '.join(found.factors)}. A box is a "
        "range of each restricted factor; the others may take any value.",
    )
    return fig


def _limits(ax: Any, found: Any, rows: list[tuple[int, Any]]) -> None:
    ys = np.arange(len(rows))[::-1]
    for y, (i, r) in zip(ys, rows, strict=True):
        color = PALETTE[i % len(PALETTE)]
        if r.value:
            text = f"{'only' if r.keep else 'not'} {r.value}"
            ax.text(0.5, y, text, ha="center", va="center", fontsize=MIN_FONT + 1, color=color)
            continue
        span = r.full_high - r.full_low or 1.0
        lo, hi = (r.low - r.full_low) / span, (r.high - r.full_low) / span
        ax.plot([0, 1], [y, y], color="#ccc", lw=6, solid_capstyle="butt", label="_full")
        ax.plot([lo, hi], [y, y], color=color, lw=6, solid_capstyle="butt", label="_box")
        ax.text(lo, y + 0.28, f"{r.low:.3g}", ha="center", fontsize=MIN_FONT, color=color)
        ax.text(hi, y + 0.28, f"{r.high:.3g}", ha="center", fontsize=MIN_FONT, color=color)
        ax.text(-0.02, y, f"{r.full_low:.3g}", ha="right", va="center", fontsize=MIN_FONT)
        ax.text(1.02, y, f"{r.full_high:.3g}", ha="left", va="center", fontsize=MIN_FONT)
    ax.set_yticks(ys, [f"box {i + 1}: {r.factor}" for i, r in rows])
    ax.set_xlim(-0.15, 1.15)
    ax.set_ylim(-0.8, max(len(rows) - 0.2, 0.8))
    ax.set_xticks([])
    ax.set_xlabel("each factor's range in the sweep (grey) and in the box")
    for s in ("top", "right"):
        ax.spines[s].set_visible(False)
    handles: list[Any] = [
        Patch(
            color=PALETTE[i % len(PALETTE)],
            label=f"box {i + 1}: coverage {b.coverage:.2f}, density {b.density:.2f}, {b.runs} runs",
        )
        for i, b in enumerate(found.boxes)
    ]
    handles.append(Line2D([], [], color="#ccc", lw=6, label="the sweep's range"))
    ax.legend(handles=handles, fontsize=MIN_FONT, loc="upper left", bbox_to_anchor=(0, -0.08))
    ax.set_title("What each box asks of each factor", fontsize=MIN_FONT + 2)


def discovery_plot(found: Any, path: Path | str | BinaryIO, *, fmt: str | None = None) -> None:
    """Write the figure of a scenario discovery.

    Args:
        found: A :class:`sim.experiments.discovery.Discovery`.
        path: Output file or binary buffer.
        fmt: File format; default from the suffix.
    """
    savefig(discovery_figure(found), path, fmt)
