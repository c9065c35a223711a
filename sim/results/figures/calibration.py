"""The calibrated model against the UNGA data, one panel per observed series."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from sim.results.figures.style import MIN_FONT, pair_color, pair_label, savefig, trust_words

TITLE = "Model against UNGA ideal-point distance (after the decreasing affine map)"

#: What each UNGA series measures, for the panel titles.
SERIES_LABELS = {
    "mean_dist_rus_nato_members_all": "UN voting distance: Russia to the mean NATO member",
    "mean_dist_rus_nato16_all": "UN voting distance: Russia to the 16 members of 1991",
    "dist_rus_usa_all": "UN voting distance: Russia to the United States",
}


def series_label(series: str) -> str:
    """A UNGA series for people (final-passage votes marked), else its id."""
    base = series.removesuffix("_fp").removesuffix("_all")
    for key, text in SERIES_LABELS.items():
        if key.removesuffix("_all") == base:
            return text + (" (final-passage votes)" if series.endswith("_fp") else "")
    return series.replace("_", " ")


def calibration_figure(
    table: pd.DataFrame,
    *,
    posterior_band: pd.DataFrame | None = None,
    stats: Mapping[str, str] | None = None,
    split_year: int | None = None,
    title: str = TITLE,
) -> Figure:
    """The fit panels (see :func:`calibration_fit`)."""
    series = list(dict.fromkeys(table["series"]))
    fig = Figure(figsize=(10, 3.6 * len(series)), layout="constrained")
    axes = np.atleast_1d(fig.subplots(len(series), 1, sharex=True))
    for i, (ax, name) in enumerate(zip(axes, series, strict=True)):
        sel = table[table.series == name].sort_values("year")
        o, t = sel.observer.iloc[0], sel.target.iloc[0]
        c = pair_color(o, t, i + 2)
        ax.fill_between(
            sel.year,
            sel.model_q05,
            sel.model_q95,
            color=c,
            alpha=0.15,
            lw=0,
            label="model: 5-95 % of replicates",
        )
        if posterior_band is not None:
            pb = posterior_band[posterior_band.series == name].sort_values("year")
            ax.plot(pb.year, pb.post_q05, color=c, lw=0.8, ls="--", label="posterior 5-95 %")
            ax.plot(pb.year, pb.post_q95, color=c, lw=0.8, ls="--")
        ax.plot(
            sel.year, sel.model_median, color=c, lw=2, label=f"model {pair_label(o, t)} (median)"
        )
        ax.plot(sel.year, sel.distance, "o-", color="black", ms=3.5, lw=1, label="UNGA data")
        if split_year is not None:
            label = f"split check: train ≤ {split_year}"
            ax.axvline(split_year + 0.5, color="#888", ls=":", lw=1, label=label)
        ax.invert_yaxis()
        ax.set_ylabel("ideal-point distance\n(axis inverted: up = closer)")
        sub = f"{series_label(name)}, against {trust_words(o, t)}"
        if stats and name in stats:
            sub += f"   [{stats[name]}]"
        ax.set_title(sub, fontsize=MIN_FONT + 2)
        ax.grid(alpha=0.3)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # years, never 1992.5
        ax.legend(fontsize=MIN_FONT, loc="lower left")
    axes[-1].set_xlabel("year")
    fig.suptitle(title)
    return fig


def calibration_fit(
    table: pd.DataFrame,
    path: Path | str | BinaryIO,
    *,
    posterior_band: pd.DataFrame | None = None,
    stats: Mapping[str, str] | None = None,
    split_year: int | None = None,
    title: str = TITLE,
    fmt: str | None = None,
) -> None:
    """Calibrated model against data, one panel per observed series.

    Args:
        table: Columns ``series, observer, target, year, distance, model_median,
            model_q05, model_q95`` (model already mapped to distance units), as written
            to ``fit.csv`` by ``natosim calibrate``.
        path: Output file or binary buffer.
        posterior_band: Optional ``series, year, post_q05, post_q95``: spread of the
            mapped median trajectory across the posterior.
        stats: Optional text per series (e.g. ``"r = 0.84, RMSE = 0.15"``).
        split_year: Draw a dotted line after this year (end of a training period).
        title: Figure title.
        fmt: File format; default from the suffix.
    """
    fig = calibration_figure(
        table, posterior_band=posterior_band, stats=stats, split_year=split_year, title=title
    )
    savefig(fig, path, fmt)
