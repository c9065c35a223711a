"""Heatmap of an outcome's mean over two swept parameters."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pandas as pd
from matplotlib.figure import Figure

from sim.results.figures.style import savefig


def heatmap_figure(runs: pd.DataFrame, x: str, y: str, outcome: str) -> Figure:
    """The heatmap (see :func:`heatmap`)."""
    table = runs.groupby([y, x])[outcome].mean().unstack(x).sort_index(ascending=False)
    fig = Figure(figsize=(7, 5.5))
    ax = fig.subplots()
    im = ax.imshow(table.to_numpy(), cmap="RdYlBu", aspect="auto")
    ax.set_xticks(range(table.shape[1]), [f"{v:.3g}" for v in table.columns])
    ax.set_yticks(range(table.shape[0]), [f"{v:.3g}" for v in table.index])
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    for i in range(table.shape[0]):
        for j in range(table.shape[1]):
            ax.text(j, i, f"{table.iat[i, j]:.2f}", ha="center", va="center", fontsize=7)
    fig.colorbar(im, ax=ax, label=f"mean {outcome}")
    ax.set_title(f"{outcome} over {x} and {y}")
    fig.tight_layout()
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
    """Heatmap of an outcome's mean over two swept parameters (others averaged).

    Args:
        runs: The sweep's runs table (one row per run).
        x: Parameter on the horizontal axis.
        y: Parameter on the vertical axis.
        outcome: Outcome column to show.
        path: Output file or binary buffer.
        fmt: File format; default from the suffix.
    """
    savefig(heatmap_figure(runs, x, y, outcome), path, fmt)
