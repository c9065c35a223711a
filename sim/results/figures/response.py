"""An outcome against the parameters of a sweep: what each parameter does, and with what.

* :func:`response_figure` — one panel per varied parameter (and the scenario,
  when it is a factor). A parameter with few values (a grid's levels, a list of
  ``values``, the scenarios) gets, per level, the median (a dot), the 50 % of
  runs (a thick bar) and the 90 % (a thin bar), over every run at that level; a
  continuous one (LHS, Sobol, Morris) gets every run as a faint dot and a
  running median with its 50 % band over equal-count bins. Other parameters
  are pooled, which the caption says.
* :func:`pairs_figure` — for two or three parameters: each pair of them (below
  the diagonal) as a scatter of the values the design takes, coloured by the
  outcome's median over the runs there (the other parameter pooled), and on
  the diagonal the outcome at each design point against that parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.results.figures.style import (
    BLUE,
    MIN_FONT,
    TRUST_CMAP,
    VERMILLION,
    add_caption,
    savefig,
)

#: A parameter with at most this many distinct values is drawn per level.
MAX_LEVELS = 12
#: Bins of the running median of a continuous parameter.
BINS = 12


def is_levelled(values: pd.Series) -> bool:
    """Whether a column is drawn per level (few values, or not numbers)."""
    return values.nunique() <= MAX_LEVELS or not pd.api.types.is_numeric_dtype(values)


def _levels(ax: Any, runs: pd.DataFrame, param: str, outcome: str) -> None:
    groups = runs.groupby(param, sort=True)[outcome]
    levels = list(groups.groups)
    numeric = pd.api.types.is_numeric_dtype(runs[param])
    xs = np.asarray(levels, dtype=float) if numeric else np.arange(len(levels), dtype=float)
    q = groups.quantile([0.05, 0.25, 0.5, 0.75, 0.95]).unstack()
    ax.vlines(xs, q[0.05], q[0.95], color=BLUE, lw=1.2, label="_90")
    ax.vlines(xs, q[0.25], q[0.75], color=BLUE, lw=5, alpha=0.55, label="_50")
    ax.plot(xs, q[0.5], "o-", color=VERMILLION, ms=6, lw=1.2, label="median")
    if not numeric:
        ax.set_xticks(xs, [str(v) for v in levels], rotation=15, ha="right")
        ax.set_xlim(-0.5, len(levels) - 0.5)


def _continuous(ax: Any, runs: pd.DataFrame, param: str, outcome: str) -> None:
    x = runs[param].to_numpy(dtype=float)
    y = runs[outcome].to_numpy(dtype=float)
    ax.plot(x, y, "o", ms=2.5, color="#888", alpha=0.35, label="_runs")
    edges = np.unique(np.quantile(x, np.linspace(0, 1, BINS + 1)))
    idx = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, len(edges) - 2)
    centre, lo, med, hi = [], [], [], []
    for b in range(len(edges) - 1):
        sel = y[idx == b]
        if len(sel):
            centre.append(float(np.median(x[idx == b])))
            lo.append(np.quantile(sel, 0.25))
            med.append(np.median(sel))
            hi.append(np.quantile(sel, 0.75))
    ax.fill_between(centre, lo, hi, color=BLUE, alpha=0.3, lw=0, label="_50")
    ax.plot(centre, med, "-", color=VERMILLION, lw=2.2, label="median")


def response_figure(
    runs: pd.DataFrame, params: Sequence[str], outcome: str, *, title: str | None = None
) -> Figure:
    """The outcome against each parameter (see :func:`response`)."""
    n = len(params)
    cols = min(n, 3)
    rows = (n + cols - 1) // cols
    fig = Figure(figsize=(4.4 * cols + 0.6, 3.6 * rows + 1.0), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False).ravel())
    kinds = set()
    for ax, p in zip(axes, params, strict=False):
        levelled = is_levelled(runs[p])
        kinds.add(levelled)
        (_levels if levelled else _continuous)(ax, runs, p, outcome)
        ax.set_xlabel(p)
        ax.set_ylabel(outcome)
        ax.set_title(f"{outcome} against {p}", fontsize=MIN_FONT + 2)
        ax.grid(alpha=0.3)
    for ax in axes[n:]:
        ax.set_visible(False)
    handles = [Line2D([], [], color=VERMILLION, marker="o", lw=1.2, label="median")]
    if True in kinds:
        handles += [
            Line2D([], [], color=BLUE, lw=5, alpha=0.55, label="per level: 50 % of runs"),
            Line2D([], [], color=BLUE, lw=1.2, label="per level: 90 % of runs"),
        ]
    if False in kinds:
        handles += [
            Line2D([], [], color=BLUE, lw=8, alpha=0.3, label="running: 50 % of runs"),
            Line2D([], [], color="#888", marker="o", ls="", ms=4, label="one run"),
        ]
    fig.suptitle(title or f"{outcome} against each varied parameter")
    # Right of the panels and level with their middle, not their top: a suptitle
    # wider than one panel reaches into the right margin, where an upper legend
    # would cover it.
    fig.legend(handles=handles, loc="outside right center", fontsize=MIN_FONT)
    others = " with the other parameters pooled" if n > 1 else ""
    add_caption(
        fig,
        f"Each panel: every run of the sweep ({len(runs)}) by one parameter{others}; the "
        "spread at a level is chance and the other parameters together.",
    )
    return fig


def response(
    runs: pd.DataFrame,
    params: Sequence[str],
    outcome: str,
    path: Path | str | BinaryIO,
    *,
    title: str | None = None,
    fmt: str | None = None,
) -> None:
    """An outcome against each varied parameter of a sweep.

    Args:
        runs: The sweep's runs table.
        params: The varied parameters (and ``scenario`` when it is a factor).
        outcome: Outcome column.
        path: Output file or binary buffer.
        title: Figure title.
        fmt: File format; default from the suffix.
    """
    savefig(response_figure(runs, params, outcome, title=title), path, fmt)


def pairs_figure(runs: pd.DataFrame, params: Sequence[str], outcome: str) -> Figure:
    """The pair plot (see :func:`pairs`)."""
    k = len(params)
    if not 2 <= k <= 3:
        raise ValueError(f"a pair plot takes two or three parameters, got {k}")
    pts = runs.groupby(list(params), sort=True)[outcome].median().reset_index()
    cells = [runs.groupby([a, b])[outcome].median() for a in params for b in params if a != b]
    fig = Figure(figsize=(3.4 * k + 1.4, 3.2 * k + 0.6), layout="constrained")
    axes = fig.subplots(k, k, squeeze=False)
    lo = min(float(c.min()) for c in cells)
    hi = max(float(c.max()) for c in cells)
    sc = None
    for i, pi in enumerate(params):
        for j, pj in enumerate(params):
            ax = axes[i][j]
            if j > i:  # the upper triangle would mirror the lower one
                ax.set_visible(False)
                continue
            if i == j:
                ax.plot(pts[pi], pts[outcome], "o", ms=3.5, color=BLUE, alpha=0.7)
                ax.set_ylabel(outcome if j == 0 else "")
                ax.set_title(f"{outcome} against {pi}", fontsize=MIN_FONT + 1)
            else:  # the median over every run at these two values (the others pooled)
                cell = runs.groupby([pj, pi], sort=True)[outcome].median().reset_index()
                sc = ax.scatter(
                    cell[pj], cell[pi], c=cell[outcome], cmap=TRUST_CMAP, vmin=lo, vmax=hi, s=26
                )
                ax.set_ylabel(pi if j == 0 else "")
            ax.set_xlabel(pj if i == k - 1 else "")
            ax.grid(alpha=0.3)
    if sc is not None:
        label = f"median {outcome} at the pair's values (others pooled)"
        fig.colorbar(sc, ax=axes, label=label, shrink=0.8)
    fig.suptitle(f"{outcome} over pairs of parameters ({len(pts)} design points)")
    return fig


def pairs(
    runs: pd.DataFrame,
    params: Sequence[str],
    outcome: str,
    path: Path | str | BinaryIO,
    *,
    fmt: str | None = None,
) -> None:
    """Pair plot of two or three parameters, the design points coloured by the outcome.

    Args:
        runs: The sweep's runs table.
        params: Two or three parameters.
        outcome: Outcome column.
        path: Output file or binary buffer.
        fmt: File format; default from the suffix.
    """
    savefig(pairs_figure(runs, params, outcome), path, fmt)
