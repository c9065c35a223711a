"""What lies behind a scorecard figure, in words: the scorecard's detail column.

Each function reads the evaluation's own sections (as :mod:`.targets` does) and
returns a short text; none adds a number the sections do not hold.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from sim.experiments.evaluation.data_fit import smallest_skill

__all__ = ["chosen_detail", "drift_detail", "gaps", "lockstep_detail", "lookup", "worst_null"]

#: An evaluation as :func:`~sim.experiments.evaluation.evaluate.evaluate` returns it.
Evaluation = dict[str, Any]


def lookup(ev: Evaluation, *keys: str | int) -> Any:
    """The value at ``keys`` in the evaluation, or None where any key is missing."""
    cur: Any = ev
    for k in keys:
        if cur is None:
            return None
        try:
            cur = cur[k]
        except (KeyError, IndexError, TypeError):
            return None
    return cur


def gaps(key: str) -> Callable[[Evaluation], str]:
    """The lens-swap gap behind an asymmetry target (``key``: ``last`` or ``mean``)."""

    def detail(ev: Evaluation) -> str:
        gap = lookup(ev, "ablation", "swap_lenses", "gap")
        if not gap:
            return ""
        when = f"in {gap['year']}" if key == "last" else "mean"
        return f"gap {when} {gap['scenario'][key]:+.3f}, swapped {gap['swapped'][key]:+.3f}"

    return detail


def _smallest(skill: dict[str, float | None]) -> str:
    """The smallest skill, signed (a null model without error: ``unbeatable``)."""
    worst = smallest_skill(skill)[1]
    return "unbeatable" if worst is None else f"{worst:+.3f}"


def _beats(skill: dict[str, float | None]) -> bool:
    worst = smallest_skill(skill)[1]
    return worst is not None and worst > 0


def worst_null(series: str) -> Callable[[Evaluation], str]:
    """The null model that the held-out forecast of ``series`` beats by least, and how firm."""

    def detail(ev: Evaluation) -> str:
        held = lookup(ev, "data", series, "held_out")
        if not held or "nulls" not in held or "rmse" not in held["model"]:
            return ""
        name = smallest_skill(held["model"]["skill"])[0]
        out = f"RMSE {held['model']['rmse']:.3f} against {name} {held['nulls'][name]['rmse']:.3f}"
        own = (held.get("train") or [None])[0]
        rows = lookup(ev, "data", series, "held_out_by_start") or []
        others = [f"{v['train'][0]} {_smallest(v['skill'])}" for v in rows if v["train"][0] != own]
        post = held.get("posterior")
        if post:
            out += f"; beats every null in {100 * post['share_beats_every_null']:.0f} % of the "
            out += "training posterior"
        if others:
            out += f"; training from {', '.join(others)}"
            if len({_beats(v["skill"]) for v in rows}) > 1:
                out += " (the verdict changes with the first training year)"
        return out

    return detail


def lockstep_detail(ev: Evaluation) -> str:
    """The within-run and UN-vote lockstep beside the median's."""
    lock = lookup(ev, "alliance", "lockstep")
    if not lock or "within_run" not in lock:
        return ""
    out = f"within a run {lock['within_run']['mean']:.3f}"
    if "observed" in lock:
        obs = lock["observed"]
        out += (
            f"; UN-vote data {obs['mean_correlation']:.3f} ({obs['members']} members; "
            f"model {obs['model_median']:.3f}"
        )
        if "runs_below_data" in obs:
            out += f", {100 * obs['runs_below_data']:.1f} % of runs below the data"
        out += ")"
    return out


def drift_detail(ev: Evaluation) -> str:
    """The long run's drift with NATO's door closed."""
    st = lookup(ev, "emergence", "stationarity")
    if not st or "closed_door" not in st:
        return ""
    closed = max(
        abs(st["closed_door"][s][k]["change_2060_2100"])
        for s in ("from_0.9", "from_0.3")
        for k in ("rus_nato", "nato_rus")
    )
    return f"with NATO's door closed {closed:.3f}"


def chosen_detail(key: str) -> Callable[[Evaluation], str]:
    """The chosen share of direction ``key`` within a run, beside the median's."""

    def detail(ev: Evaluation) -> str:
        w = lookup(ev, "emergence", "chosen_share", key, "within_run")
        if not w or not math.isfinite(w["median"]):
            return ""
        return f"within a run {w['median']:.3f} (quartiles {w['q25']:.3f}–{w['q75']:.3f})"

    return detail
