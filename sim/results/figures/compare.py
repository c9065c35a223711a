"""Several scenarios on one chart: median and 50 % band of each direction, an outcome's spread.

One panel per directed pair (both headline directions by default); each
scenario has its own colour *and* line style, its 50 % band drawn as two thin
lines of that style rather than a translucent fill, so bands never blend into
an unreadable grey. With an outcome, a last panel shows its spread per
scenario (box: 25-75 %, line: median, whiskers: 5-95 %).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.results.figures.fan import bands
from sim.results.figures.style import HEADLINE, MIN_FONT, pair_label, savefig, series_style

#: Legend entry of the thin lines.
BAND_LABEL = "thin lines: 50 % of runs"


def compare_figure(
    trajs: Mapping[str, pd.DataFrame],
    *,
    pair: tuple[str, str] | None = None,
    pairs: Sequence[tuple[str, str]] = HEADLINE,
    outcome: str | None = None,
    values: Mapping[str, np.ndarray] | None = None,
) -> Figure:
    """The comparison chart (see :func:`compare_scenarios`)."""
    pairs = [pair] if pair is not None else list(pairs)
    extra = 1 if outcome is not None and values else 0
    n = len(pairs) + extra
    fig = Figure(figsize=(6.2 * n if n > 1 else 10, 5), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, n, squeeze=False)[0])
    for ax, pr in zip(axes, pairs, strict=False):
        for i, (name, traj) in enumerate(trajs.items()):
            b = bands(traj, *pr)
            st = series_style(i)
            for q in ("q25", "q75"):
                ax.plot(b.index, b[q], lw=0.8, label="_band", **st)
            ax.plot(b.index, b["median"], lw=2.2, label=name, **st)
        ax.set_ylim(0, 1)
        ax.set_xlabel("year")
        ax.set_ylabel(f"trust {pair_label(*pr)}")
        ax.set_title(f"{pair_label(*pr)} across scenarios (median and 50 % band)")
        ax.grid(alpha=0.3)
        handles = [ln for ln in ax.get_lines() if not ln.get_label().startswith("_")]
        handles.append(Line2D([], [], color="#555", lw=0.8, label=BAND_LABEL))
        ax.legend(handles=handles, fontsize=MIN_FONT, loc="best")
    if extra:
        _outcome_panel(axes[-1], trajs, outcome or "", values or {})
    return fig


def _outcome_panel(
    ax: object, trajs: Mapping[str, pd.DataFrame], outcome: str, values: Mapping[str, np.ndarray]
) -> None:
    names = [n for n in trajs if n in values]
    data = [np.asarray(values[n], dtype=float) for n in names]
    bp = ax.boxplot(  # type: ignore[attr-defined]
        data, whis=(5, 95), showfliers=False, patch_artist=True, widths=0.55
    )
    for i, box in enumerate(bp["boxes"]):
        st = series_style(i)
        box.set(facecolor="white", edgecolor=st["color"], linewidth=1.6)
        bp["medians"][i].set(color=st["color"], linewidth=2.2)
    ax.set_xticks(range(1, len(names) + 1), names, rotation=20, ha="right")  # type: ignore[attr-defined]
    ax.set_ylabel(outcome)  # type: ignore[attr-defined]
    ax.set_title(f"{outcome} per scenario")  # type: ignore[attr-defined]
    ax.grid(alpha=0.3, axis="y")  # type: ignore[attr-defined]
    handles = [
        Line2D([], [], color="#333", lw=2.2, label="median"),
        Line2D([], [], color="#333", lw=1.6, marker="s", mfc="white", ms=9, ls="", label="25-75 %"),
        Line2D([], [], color="#333", lw=1, label="whiskers: 5-95 %"),
    ]
    ax.legend(handles=handles, fontsize=MIN_FONT, loc="best")  # type: ignore[attr-defined]


def compare_scenarios(
    trajs: Mapping[str, pd.DataFrame],
    path: Path | str | BinaryIO,
    *,
    pair: tuple[str, str] | None = None,
    pairs: Sequence[tuple[str, str]] = HEADLINE,
    outcome: str | None = None,
    values: Mapping[str, np.ndarray] | None = None,
    fmt: str | None = None,
) -> None:
    """Several scenarios on one chart: median and 50 % band of each direction's trust.

    Args:
        trajs: Scenario name to trajectory table.
        path: Output file or binary buffer.
        pair: One directed pair to compare (instead of ``pairs``).
        pairs: The directed pairs, one panel each (default: both headline directions).
        outcome: Name of an outcome to add as a last panel.
        values: Scenario name to that outcome's values (one per run).
        fmt: File format; default from the suffix.
    """
    fig = compare_figure(trajs, pair=pair, pairs=pairs, outcome=outcome, values=values)
    savefig(fig, path, fmt)
