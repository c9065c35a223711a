"""Bars of the sensitivity indices of one outcome, with their confidence intervals.

An interval is drawn only where the analysis gives one: SALib reports none for
Morris's σ, so σ's bars have no whiskers (rather than a zero-width "interval").
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.results.figures.style import MIN_FONT, PALETTE, savefig

#: Indices drawn, in this order, when the table has them.
INDICES = ("S1", "ST", "mu_star", "sigma", "PRCC")
#: Legend names of the indices.
LABELS = {"S1": "S1", "ST": "ST", "mu_star": "μ*", "sigma": "σ", "PRCC": "PRCC"}


def sensitivity_figure(sens: pd.DataFrame, outcome: str) -> Figure:
    """The bars (see :func:`sensitivity_bars`)."""
    df = sens[sens.outcome == outcome]
    indices = [i for i in INDICES if i in set(df["index"])]
    params = list(dict.fromkeys(df.parameter[df["index"] == indices[0]]))
    fig = Figure(figsize=(max(6, 0.9 * len(params) + 2), 4.5), layout="constrained")
    ax = fig.subplots()
    width = 0.8 / max(1, len(indices))
    without = []
    for k, idx in enumerate(indices):
        sub = df[df["index"] == idx].set_index("parameter").reindex(params)
        pos = np.arange(len(params)) + (k - (len(indices) - 1) / 2) * width
        err = sub.conf.to_numpy(dtype=float)
        ax.bar(pos, sub.value.to_numpy(), width, label=LABELS.get(idx, idx), color=PALETTE[k])
        has = np.isfinite(err)
        if has.any():
            ax.errorbar(
                pos[has], sub.value.to_numpy()[has], yerr=err[has], fmt="none",
                ecolor="#222", capsize=3, lw=1, label="_interval",
            )  # fmt: skip
        if not has.all():
            without.append(LABELS.get(idx, idx))
    ax.set_xticks(range(len(params)), params, rotation=30, ha="right")
    ax.axhline(0, color="#555", lw=0.6)
    note = f"; none for {', '.join(without)}" if without else ""
    ax.set_ylabel(f"index (whiskers: 95 % interval{note})")
    ax.set_title(f"Sensitivity of {outcome}")
    ax.legend(fontsize=MIN_FONT + 1)
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
