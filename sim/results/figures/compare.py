"""Several scenarios on one chart: median and 50 % band of one pair's trust."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

import pandas as pd
from matplotlib.figure import Figure

from sim.results.figures.fan import bands
from sim.results.figures.style import PALETTE, pair_label, savefig


def compare_figure(trajs: Mapping[str, pd.DataFrame], *, pair: tuple[str, str]) -> Figure:
    """The comparison chart (see :func:`compare_scenarios`)."""
    fig = Figure(figsize=(10, 5))
    ax = fig.subplots()
    for i, (name, traj) in enumerate(trajs.items()):
        b = bands(traj, *pair)
        c = PALETTE[i % len(PALETTE)]
        ax.fill_between(b.index, b.q25, b.q75, color=c, alpha=0.15, lw=0)
        ax.plot(b.index, b["median"], color=c, lw=2, label=name)
    ax.set_ylim(0, 1)
    ax.set_xlabel("year")
    ax.set_ylabel(f"trust {pair_label(*pair)}")
    ax.set_title(f"{pair_label(*pair)} across scenarios (median and 50 % band)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def compare_scenarios(
    trajs: Mapping[str, pd.DataFrame],
    path: Path | str | BinaryIO,
    *,
    pair: tuple[str, str] = ("RUS", "NATO"),
    fmt: str | None = None,
) -> None:
    """Several scenarios on one chart: median and 50 % band of one pair's trust.

    Args:
        trajs: Scenario name to trajectory table.
        path: Output file or binary buffer.
        pair: The directed pair to compare.
        fmt: File format; default from the suffix.
    """
    savefig(compare_figure(trajs, pair=pair), path, fmt)
