"""Figures drawn from result tables (never from a model).

Every function takes pandas DataFrames with the columns of ``trajectory.csv``
(``replicate, year, observer, target, trust``) and ``events.csv``, so a figure
can be redrawn from files on disk alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.data import tables

HEADLINE = tables.HEADLINE
COLORS = {("NATO", "RUS"): "#1f4e9c", ("RUS", "NATO"): "#c0392b"}
PALETTE = ("#1f4e9c", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#16a085", "#7f8c8d")


def pair_label(observer: str, target: str) -> str:
    """Readable label of a directed pair, e.g. ``NATO → RUS``."""
    return f"{observer} → {target}"


def bands(traj: pd.DataFrame, observer: str, target: str) -> pd.DataFrame:
    """Median and 50 % / 90 % bands of one pair's trust across replicates, by year."""
    sel = traj[(traj.observer == observer) & (traj.target == target)]
    g = sel.groupby("year").trust
    return pd.DataFrame(
        {
            "median": g.median(),
            "q05": g.quantile(0.05),
            "q25": g.quantile(0.25),
            "q75": g.quantile(0.75),
            "q95": g.quantile(0.95),
        }
    )


def _weight(action: str, actor: str) -> float:
    act = tables.actions().get(action)
    return (act.magnitude if act else 0.0) * abs(tables.tone(action, actor) or 0.5)


def _event_strip(ax: plt.Axes, events: pd.DataFrame) -> None:
    """Mark scheduled events and shocks on a strip below the chart.

    West above the line, Russia below, shocks on it; red reads as hostile, green
    as cooperative. Each year and side is labelled with its weightiest event.
    """
    ax.set_ylim(-4.8, 4.8)
    ax.set_yticks([0.4, -0.4], ["NATO / West", "Russia"], fontsize=7)
    ax.axhline(0, color="#bbb", lw=0.5)
    if events is None or events.empty:
        return
    ev = events[events.origin.isin(["scheduled", "shock"])]
    if "replicate" in ev:
        ev = ev[ev.replicate == ev.replicate.min()]
    groups: dict[tuple[int, str], list] = {}
    for row in ev.itertuples():
        side = "shock" if row.origin == "shock" else ("russia" if row.actor == "RUS" else "west")
        groups.setdefault((int(row.year), side), []).append(row)
    for (year, side), rows in groups.items():
        if side == "shock":
            ax.plot(year, 0, marker="D", color="#7f8c8d", ms=3, zorder=3)
            continue
        y = 0.4 if side == "west" else -0.4
        best = max(rows, key=lambda r: _weight(r.action, r.actor))
        tone = tables.tone(best.action, best.actor)
        color = {-1: "#c0392b", 1: "#2e8b57"}.get(tone, "#555")
        for r in rows:
            c = {-1: "#c0392b", 1: "#2e8b57"}.get(tables.tone(r.action, r.actor), "#555")
            ax.plot(year, y, marker="^" if y > 0 else "v", color=c, ms=4, zorder=3, alpha=0.8)
        label = best.action.replace("_", " ")
        if len(rows) > 1:
            label += f" +{len(rows) - 1}"
        ax.text(
            year,
            y + (0.35 if y > 0 else -0.35),
            label,
            rotation=90,
            fontsize=5.5,
            color=color,
            ha="center",
            va="bottom" if y > 0 else "top",
        )


def _draw_fan(
    ax: plt.Axes, traj: pd.DataFrame, pairs: Sequence[tuple[str, str]], title: str
) -> None:
    """Median and 50 % / 90 % bands of each pair on one axis, with legend."""
    for i, (o, t) in enumerate(pairs):
        b = bands(traj, o, t)
        c = COLORS.get((o, t), PALETTE[i % len(PALETTE)])
        ax.fill_between(b.index, b.q05, b.q95, color=c, alpha=0.12, lw=0)
        ax.fill_between(b.index, b.q25, b.q75, color=c, alpha=0.25, lw=0)
        ax.plot(b.index, b["median"], color=c, lw=2, label=f"{pair_label(o, t)} (median)")
    ax.set_ylim(0, 1)
    ax.set_ylabel("trust (0 = none, 1 = full)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    n_rep = traj.replicate.nunique() if "replicate" in traj else 1
    ax.legend(
        loc="upper right",
        fontsize=8,
        title=f"bands: 50 % and 90 % of {n_rep} runs",
        title_fontsize=7,
    )


def trust_fan(
    traj: pd.DataFrame,
    events: pd.DataFrame | None,
    path: Path | str,
    *,
    pairs: Sequence[tuple[str, str]] = HEADLINE,
    title: str = "NATO-Russia trust",
    fmt: str | None = None,
) -> None:
    """Fan chart of trust over years: median with 50 % and 90 % bands, events marked.

    Args:
        traj: Trajectory table (``replicate, year, observer, target, trust``).
        events: Event table (``replicate, year, actor, action, target, origin``) or None.
        path: Output file.
        pairs: Directed pairs to draw.
        title: Figure title.
        fmt: File format (png, svg, pdf); default from the suffix.
    """
    fig, (ax, strip) = plt.subplots(
        2, 1, figsize=(10, 7), sharex=True, gridspec_kw={"height_ratios": [4, 2.2]}
    )
    _draw_fan(ax, traj, pairs, title)
    _event_strip(strip, events if events is not None else pd.DataFrame())
    strip.set_xlabel("year")
    years = sorted(traj.year.unique())
    strip.set_xticks(years[:: max(1, len(years) // 12)])
    fig.tight_layout()
    fig.savefig(path, format=fmt or Path(path).suffix.lstrip(".") or "png", dpi=130)
    plt.close(fig)


def compare_scenarios(
    trajs: Mapping[str, pd.DataFrame],
    path: Path | str,
    *,
    pair: tuple[str, str] = ("RUS", "NATO"),
    fmt: str | None = None,
) -> None:
    """Several scenarios on one chart: median and 50 % band of one pair's trust.

    Args:
        trajs: Scenario name to trajectory table.
        path: Output file.
        pair: The directed pair to compare.
        fmt: File format; default from the suffix.
    """
    fig, ax = plt.subplots(figsize=(10, 5))
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
    fig.savefig(path, format=fmt or Path(path).suffix.lstrip(".") or "png", dpi=130)
    plt.close(fig)


def heatmap(
    runs: pd.DataFrame,
    x: str,
    y: str,
    outcome: str,
    path: Path | str,
    *,
    fmt: str | None = None,
) -> None:
    """Heatmap of an outcome's mean over two swept parameters (others averaged).

    Args:
        runs: The sweep's runs table (one row per run).
        x: Parameter on the horizontal axis.
        y: Parameter on the vertical axis.
        outcome: Outcome column to show.
        path: Output file.
        fmt: File format; default from the suffix.
    """
    table = runs.groupby([y, x])[outcome].mean().unstack(x).sort_index(ascending=False)
    fig, ax = plt.subplots(figsize=(7, 5.5))
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
    fig.savefig(path, format=fmt or Path(path).suffix.lstrip(".") or "png", dpi=130)
    plt.close(fig)


def sensitivity_bars(
    sens: pd.DataFrame, outcome: str, path: Path | str, *, fmt: str | None = None
) -> None:
    """Bars of sensitivity indices of one outcome with their confidence intervals.

    Args:
        sens: Table with columns ``outcome, parameter, method, index, value, conf``.
        outcome: Which outcome to draw.
        path: Output file.
        fmt: File format; default from the suffix.
    """
    df = sens[sens.outcome == outcome]
    indices = [i for i in ("S1", "ST", "mu_star", "sigma") if i in set(df["index"])]
    params = list(dict.fromkeys(df.parameter[df["index"] == indices[0]]))
    fig, ax = plt.subplots(figsize=(max(6, 0.9 * len(params) + 2), 4.5))
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
    fig.savefig(path, format=fmt or Path(path).suffix.lstrip(".") or "png", dpi=130)
    plt.close(fig)


def calibration_fit(
    table: pd.DataFrame,
    path: Path | str,
    *,
    posterior_band: pd.DataFrame | None = None,
    stats: Mapping[str, str] | None = None,
    split_year: int | None = None,
    title: str = "Model against UNGA ideal-point distance (after the monotone map)",
    fmt: str | None = None,
) -> None:
    """Calibrated model against data, one panel per observed series.

    Args:
        table: Columns ``series, observer, target, year, distance, model_median,
            model_q05, model_q95`` (model already mapped to distance units), as written
            to ``fit.csv`` by ``natosim calibrate``.
        path: Output file.
        posterior_band: Optional ``series, year, post_q05, post_q95``: spread of the
            mapped median trajectory across the posterior.
        stats: Optional text per series (e.g. ``"r = 0.84, RMSE = 0.15"``).
        split_year: Draw a dotted line after this year (end of a training period).
        title: Figure title.
        fmt: File format; default from the suffix.
    """
    series = list(dict.fromkeys(table["series"]))
    fig, axes = plt.subplots(len(series), 1, figsize=(10, 3.6 * len(series)), sharex=True)
    axes = np.atleast_1d(axes)
    for i, (ax, name) in enumerate(zip(axes, series, strict=True)):
        sel = table[table.series == name].sort_values("year")
        o, t = sel.observer.iloc[0], sel.target.iloc[0]
        c = COLORS.get((o, t), PALETTE[(i + 2) % len(PALETTE)])
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
        sub = f"{name}  vs  trust {pair_label(o, t)}"
        if stats and name in stats:
            sub += f"   [{stats[name]}]"
        ax.set_title(sub, fontsize=9)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="lower left")
    axes[-1].set_xlabel("year")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, format=fmt or Path(path).suffix.lstrip(".") or "png", dpi=130)
    plt.close(fig)


def out_of_sample_fan(
    traj: pd.DataFrame,
    path: Path | str,
    *,
    fitted_until: int,
    pairs: Sequence[tuple[str, str]] = HEADLINE,
    title: str = "Calibrated history continued: out of sample after the fit window",
    fmt: str | None = None,
) -> None:
    """Trust fan with the years after the calibration window shaded as out of sample.

    Args:
        traj: Trajectory table (``replicate, year, observer, target, trust``).
        path: Output file.
        fitted_until: Last year of data used in the fit.
        pairs: Directed pairs to draw.
        title: Figure title.
        fmt: File format; default from the suffix.
    """
    fig, ax = plt.subplots(figsize=(10, 4.8))
    years = sorted(traj.year.unique())
    ax.axvspan(fitted_until + 0.5, years[-1] + 0.5, color="#f3e9d2", alpha=0.6, lw=0)
    ax.text(
        fitted_until + 0.8,
        0.95,
        "out of sample (no data used)",
        fontsize=8,
        va="top",
        color="#7a5c00",
    )
    _draw_fan(ax, traj, pairs, title)
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    ax.set_xlabel("year")
    fig.tight_layout()
    fig.savefig(path, format=fmt or Path(path).suffix.lstrip(".") or "png", dpi=130)
    plt.close(fig)
