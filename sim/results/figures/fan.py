"""Fan charts of trust over years: median with 50 % and 90 % bands.

``trust_fan`` is the figure of a run or sweep folder (``trust.png``), with the
scheduled events and shocks on the strip below; ``out_of_sample_fan`` is the
calibrated history continued past the fit window.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd
from matplotlib.figure import Figure

from sim.results.figures.events import event_strip, strip_caption
from sim.results.figures.style import (
    HEADLINE,
    MIN_FONT,
    add_caption,
    pair_label,
    pair_styles,
    savefig,
)

#: Origins marked on a fan's strip: the chosen acts differ from replicate to replicate.
FAN_ORIGINS = ("scheduled", "shock")
#: What the strip says when a folder holds no event table.
NO_EVENTS = "events not recorded"
NO_EVENTS_CAPTION = "No events are marked: this folder has no events.csv."


def bands(traj: pd.DataFrame, observer: str, target: str) -> pd.DataFrame:
    """Median and 50 % / 90 % bands of one pair's trust across replicates, by year."""
    sel = traj.loc[(traj.observer == observer) & (traj.target == target), ["year", "trust"]]
    g = sel.groupby("year").trust
    levels = [0.05, 0.25, 0.75, 0.95]
    q = g.quantile(levels).unstack().reindex(columns=levels)  # one sort for the four
    return pd.DataFrame(
        {"median": g.median(), "q05": q[0.05], "q25": q[0.25], "q75": q[0.75], "q95": q[0.95]}
    )


def draw_fan(
    ax: Any,
    traj: pd.DataFrame,
    pairs: Sequence[tuple[str, str]],
    title: str,
    *,
    zoom: bool = False,
    legend: dict[str, Any] | None = None,
) -> None:
    """Median and 50 % / 90 % bands of each pair on one axis, with legend.

    Colour says whose trust it is (:func:`~sim.results.figures.style.observer_color`).

    Args:
        ax: The axis.
        traj: Trajectory table.
        pairs: Directed pairs to draw.
        title: Axis title.
        zoom: Fit the trust axis to the bands (else 0 to 1).
        legend: Keyword arguments of the legend (default: upper right, inside).
    """
    lows, highs = [], []
    for (o, t), st in zip(pairs, pair_styles(pairs), strict=True):
        b = bands(traj, o, t)
        c = st["color"]
        ax.fill_between(b.index, b.q05, b.q95, color=c, alpha=0.12, lw=0)
        ax.fill_between(b.index, b.q25, b.q75, color=c, alpha=0.25, lw=0)
        ax.plot(b.index, b["median"], lw=2, label=f"{pair_label(o, t)} (median)", **st)
        lows.append(b.q05.min())
        highs.append(b.q95.max())
    if zoom and lows:
        pad = 0.05 * max(max(highs) - min(lows), 0.05)
        ax.set_ylim(max(0.0, min(lows) - pad), min(1.0, max(highs) + pad))
    else:
        ax.set_ylim(0, 1)
    ax.set_ylabel("trust (0 = none, 1 = full)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    n_rep = traj.replicate.nunique() if "replicate" in traj else 1
    ax.legend(
        **(legend or {"loc": "upper right"}),
        fontsize=MIN_FONT,
        title=f"bands: 50 % and 90 % of {n_rep} runs",
        title_fontsize=MIN_FONT,
    )


def trust_fan_figure(
    traj: pd.DataFrame,
    events: pd.DataFrame | None,
    *,
    pairs: Sequence[tuple[str, str]] = HEADLINE,
    title: str = "NATO-Russia trust",
) -> Figure:
    """The fan chart with its event strip and caption (see :func:`trust_fan`)."""
    fig = Figure(figsize=(10, 8), layout="constrained")
    ax, strip = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [4, 2.8]})
    draw_fan(ax, traj, pairs, title)
    years = sorted(traj.year.unique())
    strip.set_xlabel("year")
    strip.set_xticks(years[:: max(1, len(years) // 12)])
    info = event_strip(
        strip,
        events,
        span=int(years[-1] - years[0]) if years else 0,
        origins=FAN_ORIGINS,
        message=NO_EVENTS if events is None else "",
    )
    add_caption(fig, strip_caption(info) if events is not None else NO_EVENTS_CAPTION)
    return fig


def trust_fan(
    traj: pd.DataFrame,
    events: pd.DataFrame | None,
    path: Path | str | BinaryIO,
    *,
    pairs: Sequence[tuple[str, str]] = HEADLINE,
    title: str = "NATO-Russia trust",
    fmt: str | None = None,
) -> None:
    """Fan chart of trust over years: median with 50 % and 90 % bands, events marked.

    Args:
        traj: Trajectory table (``replicate, year, observer, target, trust``).
        events: Event table (``replicate, year, actor, action, target, origin``) or
            None (the strip then says the events were not recorded).
        path: Output file or binary buffer.
        pairs: Directed pairs to draw.
        title: Figure title.
        fmt: File format (png, svg, pdf); default from the suffix.
    """
    savefig(trust_fan_figure(traj, events, pairs=pairs, title=title), path, fmt)


def out_of_sample_figure(
    traj: pd.DataFrame,
    *,
    fitted_until: int,
    pairs: Sequence[tuple[str, str]] = HEADLINE,
    title: str = "Calibrated history continued: projected after the fit window",
) -> Figure:
    """The out-of-sample fan (see :func:`out_of_sample_fan`)."""
    fig = Figure(figsize=(11, 4.8), layout="constrained")
    ax = fig.subplots()
    years = sorted(traj.year.unique())
    ax.axvspan(fitted_until + 0.5, years[-1] + 0.5, color="#f3e9d2", alpha=0.6, lw=0)
    ax.text(
        fitted_until + 0.8,
        0.03,
        "out of sample (no data used)",
        transform=ax.get_xaxis_transform(),
        fontsize=MIN_FONT + 1,
        va="bottom",
        color="#7a5c00",
    )
    # The trust axis fits the bands, so the falls of the later years show; the
    # legend sits outside the chart, where it hides nothing.
    draw_fan(
        ax, traj, pairs, title, zoom=True, legend={"loc": "upper left", "bbox_to_anchor": (1.01, 1)}
    )
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    ax.set_xlabel("year")
    return fig


def out_of_sample_fan(
    traj: pd.DataFrame,
    path: Path | str | BinaryIO,
    *,
    fitted_until: int,
    pairs: Sequence[tuple[str, str]] = HEADLINE,
    title: str = "Calibrated history continued: projected after the fit window",
    fmt: str | None = None,
) -> None:
    """Trust fan with the years after the calibration window shaded as out of sample.

    Args:
        traj: Trajectory table (``replicate, year, observer, target, trust``).
        path: Output file or binary buffer.
        fitted_until: Last year of data used in the fit.
        pairs: Directed pairs to draw.
        title: Figure title.
        fmt: File format; default from the suffix.
    """
    fig = out_of_sample_figure(traj, fitted_until=fitted_until, pairs=pairs, title=title)
    savefig(fig, path, fmt)
