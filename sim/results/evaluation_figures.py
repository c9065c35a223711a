"""Figures of the evaluation report, drawn from its numbers (never from a model run)."""

from __future__ import annotations

import io
from typing import Any

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from sim.results.figures.style import PALETTE, savefig

__all__ = ["data_figure", "emergence_figure", "robustness_figure"]

DIRECTION_LABELS = {"rus_nato": "Russia → NATO", "nato_rus": "NATO → Russia"}
VARIANT_STYLE = {
    "full": ("the scenario", "-"),
    "without_choices": ("without chosen acts", "--"),
    "free": ("free (no scheduled acts)", ":"),
}


def _render(fig: Figure, fmt: str) -> bytes:
    buf = io.BytesIO()
    savefig(fig, buf, fmt)
    return buf.getvalue()


def emergence_figure(ev: dict[str, Any], fmt: str = "png") -> bytes:
    """Median trust of the scenario, without chosen acts and free, in both directions."""
    med = ev["emergence"]["medians"]
    fig = Figure(figsize=(11, 4), layout="constrained")
    axes = fig.subplots(1, 2, sharey=True)
    for ax, key in zip(axes, DIRECTION_LABELS, strict=True):
        for i, (variant, (label, ls)) in enumerate(VARIANT_STYLE.items()):
            m = med[variant]
            ax.plot(m["years"], m[key], ls, color=PALETTE[i], lw=2, label=label)
        ax.set_title(DIRECTION_LABELS[key])
        ax.set_xlabel("year")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel(f"median trust ({ev['meta']['replicates']} replicates)")
    axes[0].legend(loc="best", fontsize=9)
    fig.suptitle(f"{ev['meta']['scenario']}: what the timeline and the choices each do")
    return _render(fig, fmt)


def data_figure(ev: dict[str, Any], fmt: str = "png") -> bytes:
    """Held-out years (else the fitted ones): the data, the model and the null models."""
    entries = [e for e in ev["data"].values() if "held_out" in e] or list(ev["data"].values())
    fig = Figure(figsize=(5.5 * len(entries), 4), layout="constrained")
    axes = fig.subplots(1, len(entries), squeeze=False)
    for ax, e in zip(axes[0], entries, strict=True):
        w = e.get("held_out") or e["in_sample"]
        s = w["series"]
        ax.plot(s["years"], s["observed"], "o-", color="black", lw=2, label="UN voting data")
        ax.plot(s["years"], s["model"], "-", color=PALETTE[0], lw=2.5, label="model")
        for i, n in enumerate(w["nulls"]):
            ax.plot(s["years"], s[n], "--", color=PALETTE[i + 1], lw=1.3, label=n)
        ax.set_title(f"{e['label']} ({e['pair']})", fontsize=10)
        ax.set_xlabel(f"year (fitted {w['train'][0]}–{w['train'][1]})")
        ax.set_ylabel("ideal-point distance")
        ax.grid(alpha=0.3)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes[0][0].legend(fontsize=8)
    held = any("held_out" in e for e in entries)
    fig.suptitle(
        "Held-out years: model against null models"
        if held
        else "Fitted years (in sample, no held-out check): model against null models"
    )
    return _render(fig, fmt)


def robustness_figure(ev: dict[str, Any], fmt: str = "png") -> bytes:
    """Share of draws in which each conclusion holds (tables and posterior)."""
    rb = ev["robustness"]
    names = list(rb["nominal"])
    tab = [rb["tables"]["share"].get(n) or 0.0 for n in names]
    post = rb.get("posterior", {}).get("share")
    fig = Figure(figsize=(8, 0.35 * len(names) + 1.5), layout="constrained")
    ax = fig.subplots()
    y = range(len(names))
    h = 0.4 if post else 0.7
    ax.barh(
        [i - (h / 2 if post else 0) for i in y],
        tab,
        height=h,
        color=PALETTE[0],
        label="hand-set tables ±25 %",
    )
    if post:
        ax.barh(
            [i + h / 2 for i in y],
            [post.get(n) or 0.0 for n in names],
            height=h,
            color=PALETTE[4],
            label="calibration posterior",
        )
    ax.set_yticks(list(y), names, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of draws in which the conclusion holds")
    ax.axvline(0.5, color="grey", lw=0.8, ls=":")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title("How much each conclusion depends on hand-set numbers")
    return _render(fig, fmt)
