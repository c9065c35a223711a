"""Fan charts per level of a parameter: the trajectories of each level apart, not pooled.

A sweep's ``trust.png`` pools every run, mixing a parameter's effect with
chance; here each level of one parameter (a grid's levels, a list of values, or
the scenarios) gets its own panel: median and 50 % / 90 % bands of the runs at
that level, the same trust axis in every panel, and the pooled median of the
whole sweep as a thin grey reference line.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.results.figures.fan import bands
from sim.results.figures.style import (
    HEADLINE,
    MIN_FONT,
    add_caption,
    pair_label,
    pair_styles,
    savefig,
)

#: Most panels drawn (levels beyond are left out, and the caption says so).
MAX_PANELS = 12


def _label(param: str, value: object) -> str:
    if isinstance(value, float):
        return f"{param} = {value:.3g}"
    return f"{param} = {value}"


def level_fans_figure(
    traj: pd.DataFrame,
    runs: pd.DataFrame,
    param: str,
    *,
    pairs: Sequence[tuple[str, str]] = HEADLINE,
    title: str | None = None,
) -> Figure:
    """The fans per level (see :func:`level_fans`)."""
    levels = sorted(runs[param].unique(), key=lambda v: (isinstance(v, str), v))
    shown = levels[:MAX_PANELS]
    cols = min(len(shown), 4)
    rows = (len(shown) + cols - 1) // cols
    fig = Figure(figsize=(3.6 * cols + 0.4, 3.0 * rows + 1.2), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False).ravel())
    t = traj.rename(columns={"run_id": "replicate"})
    by_run = runs.set_index("run_id")[param]
    level_of = t.replicate.map(by_run)
    pooled = {p: bands(t, *p)["median"] for p in pairs}
    styles = pair_styles(pairs)
    for ax, level in zip(axes, shown, strict=False):
        sel = t[level_of == level]
        n = sel.replicate.nunique()
        for (o, g), st in zip(pairs, styles, strict=True):
            b = bands(sel, o, g)
            c = st["color"]
            ax.plot(pooled[(o, g)].index, pooled[(o, g)], color="#999", lw=0.8, label="_pooled")
            ax.fill_between(b.index, b.q05, b.q95, color=c, alpha=0.12, lw=0)
            ax.fill_between(b.index, b.q25, b.q75, color=c, alpha=0.28, lw=0)
            ax.plot(b.index, b["median"], lw=1.8, label=pair_label(o, g), **st)
        ax.set_title(f"{_label(param, level)} ({n} runs)", fontsize=MIN_FONT + 1)
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
    for ax in axes[len(shown) :]:
        ax.set_visible(False)
    for c in range(cols):  # the lowest panel of each column, also above a short last row
        lowest = max(i for i in range(c, len(shown), cols))
        axes[lowest].set_xlabel("year")
        axes[lowest].tick_params(labelbottom=True)
    for ax in axes[::cols]:
        ax.set_ylabel("trust")
    handles: list = [
        Line2D([], [], lw=1.8, label=f"{pair_label(o, g)} (median)", **st)
        for (o, g), st in zip(pairs, styles, strict=True)
    ]
    handles += [
        Patch(color="#777", alpha=0.45, label="50 % of the level's runs"),
        Patch(color="#777", alpha=0.15, label="90 %"),
        Line2D([], [], color="#999", lw=0.8, label="median of all runs"),
    ]
    fig.suptitle(title or f"Trust per level of {param}")
    fig.legend(handles=handles, loc="outside right upper", fontsize=MIN_FONT)
    left = len(levels) - len(shown)
    note = f" The last {left} levels are not shown." if left else ""
    add_caption(
        fig,
        f"One panel per level of {param}: the runs at that level, the other parameters "
        f"pooled.{note}",
    )
    return fig


def level_fans(
    traj: pd.DataFrame,
    runs: pd.DataFrame,
    param: str,
    path: Path | str | BinaryIO,
    *,
    pairs: Sequence[tuple[str, str]] = HEADLINE,
    title: str | None = None,
    fmt: str | None = None,
) -> None:
    """Fan charts of trust, one panel per level of a parameter.

    Args:
        traj: The sweep's trajectories (``run_id`` or ``replicate``, ``year``,
            ``observer``, ``target``, ``trust``).
        runs: The sweep's runs table (``run_id`` and the parameter).
        param: The parameter (or ``scenario``).
        path: Output file or binary buffer.
        pairs: Directed pairs to draw.
        title: Figure title.
        fmt: File format; default from the suffix.
    """
    fig = level_fans_figure(traj, runs, param, pairs=pairs, title=title)
    savefig(fig, path, fmt)
