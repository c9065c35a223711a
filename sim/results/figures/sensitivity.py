"""Bars of the sensitivity indices of one outcome, with their confidence intervals."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.results.figures.style import PALETTE, savefig

#: Indices drawn, in this order, when the table has them.
INDICES = ("S1", "ST", "mu_star", "sigma")


def sensitivity_figure(sens: pd.DataFrame, outcome: str) -> Figure:
    """The bars (see :func:`sensitivity_bars`)."""
    df = sens[sens.outcome == outcome]
    indices = [i for i in INDICES if i in set(df["index"])]
    params = list(dict.fromkeys(df.parameter[df["index"] == indices[0]]))
    fig = Figure(figsize=(max(6, 0.9 * len(params) + 2), 4.5))
    ax = fig.subplots()
    width = 0.8 / max(1, len(indices))
    for k, idx in enumerate(indices):
        sub = df[df["index"] == idx].set_index("parameter").reindex(params)
        pos = np.arange(len(params)) + (k - (len(indices) - 1) / 2) * width
        err = sub.conf.to_numpy()
        ax.bar(
            pos,
            sub.value.to_numpy(),
            width,
            label=idx,
            color=PALETTE[k],
            yerr=np.where(np.isfinite(err), err, 0),
            capsize=3,
        )
    ax.set_xticks(range(len(params)), params, rotation=30, ha="right")
    ax.axhline(0, color="#555", lw=0.6)
    ax.set_ylabel("index (bars: 95 % interval)")
    ax.set_title(f"Sensitivity of {outcome}")
    ax.legend()
    fig.tight_layout()
    return fig


def sensitivity_bars(
    sens: pd.DataFrame, outcome: str, path: Path | str | BinaryIO, *, fmt: str | None = None
) -> None:
    """Bars of sensitivity indices of one outcome with their confidence intervals.

    Args:
        sens: Table with columns ``outcome, parameter, method, index, value, conf``.
        outcome: Which outcome to draw.
        path: Output file or binary buffer.
        fmt: File format; default from the suffix.
    """
    savefig(sensitivity_figure(sens, outcome), path, fmt)
