"""Heatmap of an outcome's median over two swept parameters (the median, as everywhere)."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from sim.results.figures.style import MIN_FONT, TRUST_CMAP, savefig


def heatmap_figure(runs: pd.DataFrame, x: str, y: str, outcome: str) -> Figure:
    """The heatmap (see :func:`heatmap`)."""
    g = runs.groupby([y, x])[outcome]
    table = g.median().unstack(x).sort_index(ascending=False)
    per_cell = int(g.size().min()) if len(runs) else 0
    fig = Figure(figsize=(7.5, 5.8), layout="constrained")
    ax = fig.subplots()
    data = table.to_numpy(dtype=float)
    norm = Normalize(np.nanmin(data), np.nanmax(data)) if np.isfinite(data).any() else None
    im = ax.imshow(data, cmap=TRUST_CMAP, aspect="auto", norm=norm)
    ax.set_xticks(range(table.shape[1]), [f"{v:.3g}" for v in table.columns])
    ax.set_yticks(range(table.shape[0]), [f"{v:.3g}" for v in table.index])
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    for i in range(table.shape[0]):
        for j in range(table.shape[1]):
            v = table.iat[i, j]
            light = norm is not None and np.isfinite(v) and norm(v) > 0.6
            ax.text(
                j, i, f"{v:.2f}", ha="center", va="center", fontsize=MIN_FONT,
                color="black" if light else "white",
            )  # fmt: skip
    fig.colorbar(im, ax=ax, label=f"median {outcome}")
    ax.set_title(f"{outcome} over {x} and {y}")
    others = f"; other parameters pooled, {per_cell}+ runs per cell" if per_cell else ""
    ax.set_xlabel(f"{x}\n(cell: median over its runs{others})")
    return fig


def heatmap(
    runs: pd.DataFrame,
    x: str,
    y: str,
    outcome: str,
    path: Path | str | BinaryIO,
    *,
    fmt: str | None = None,
) -> None:
    """Heatmap of an outcome's median over two swept parameters (others pooled).

    Args:
        runs: The sweep's runs table (one row per run).
        x: Parameter on the horizontal axis.
        y: Parameter on the vertical axis.
        outcome: Outcome column to show.
        path: Output file or binary buffer.
        fmt: File format; default from the suffix.
    """
    savefig(heatmap_figure(runs, x, y, outcome), path, fmt)
