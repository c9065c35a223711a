"""The model's targets, each read off an evaluation: the figure, the bar, met or not.

The targets are the acceptance criteria the project set itself for two parts of
the model (``docs/ODD.md``, §1.2): Figure 1 as the mechanism with an alliance of
its own divisions (``figure1``), and decisions from a stated theory that make
spirals and new beginnings emerge and fit the data better than null models
(``decisions``). Each is a pure function of the evaluation dict, so the
scorecard shows what the sections measured and adds no number of its own; a
target whose section is missing (a scenario that does not cover the years) is
reported as not measured. Nothing here is used to fit anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sim.experiments.evaluation.data_fit import smallest_skill
from sim.experiments.evaluation.target_details import (
    chosen_detail,
    drift_detail,
    gaps,
    lockstep_detail,
    lookup,
    worst_null,
)

__all__ = ["TARGETS", "Evaluation", "Reading", "Target", "scorecard"]

#: An evaluation as :func:`~sim.experiments.evaluation.evaluate.evaluate` returns it.
Evaluation = dict[str, Any]
Reading = tuple[float | None, bool | None]


@dataclass(frozen=True)
class Target:
    """One acceptance criterion.

    Attributes:
        id: Short name.
        part: ``figure1`` or ``decisions``.
        claim: What must hold, in words.
        bar: The threshold, in words.
        read: The figure and whether it meets the bar, from an evaluation
            (``(None, None)`` when the evaluation lacks the section).
        detail: What lies behind the figure, in words (optional).
        folded: The figure is a largest absolute value (resampling noise shifts it
            away from zero; :mod:`~sim.experiments.evaluation.uncertainty`).
    """

    id: str
    part: str
    claim: str
    bar: str
    read: Callable[[Evaluation], Reading]
    detail: Callable[[Evaluation], str] | None = None
    folded: bool = False


def _at_least(value: float | None, bar: float) -> Reading:
    return (None, None) if value is None else (float(value), bool(value >= bar))


def _below(value: float | None, bar: float) -> Reading:
    return (None, None) if value is None else (float(value), bool(value < bar))


def _enlargement_2004(ev: Evaluation) -> Reading:
    for row in lookup(ev, "ablation", "entries") or ():
        if row["entry"] == "R.tension.enlargement" and "by_year" in row:
            years = row["by_year"]["years"]
            if 2004 in years:
                return _at_least(row["by_year"]["rus_nato"][years.index(2004)], 0.05)
    return None, None


def _removed_share(key: str) -> Callable[[Evaluation], Reading]:
    def read(ev: Evaluation) -> Reading:
        gap = lookup(ev, "ablation", "swap_lenses", "gap")
        if not gap or gap["scenario"][key] == 0:
            return None, None
        before, after = gap["scenario"][key], gap["swapped"][key]
        return _at_least((before - after) / before, 0.5)

    return read


def _silent_entries(ev: Evaluation) -> Reading:
    rows = lookup(ev, "ablation", "entries")
    if rows is None or any("by_year" not in r for r in rows):
        return None, None
    silent = [
        r["entry"]
        for r in rows
        if max(abs(v) for k in ("rus_nato", "nato_rus") for v in r["by_year"][k]) < 1e-9
    ]
    return float(len(silent)), not silent


def _iraq(ev: Evaluation) -> Reading:
    split = lookup(ev, "alliance", "split_2003")
    return _below(max(split.values()), 0.0) if split else (None, None)


def _lever(name: str) -> Callable[[Evaluation], Reading]:
    def read(ev: Evaluation) -> Reading:
        lev = lookup(ev, "alliance", "levers_2012", name)
        return _at_least(max(abs(v) for v in lev.values()), 0.03) if lev else (None, None)

    return read


def _narrative(ev: Evaluation) -> Reading:
    checks = ev.get("narrative") or []
    if not checks:
        return None, None
    held = sum(1 for c in checks if c["median_holds"])
    return float(held), held == len(checks)


def _drift(ev: Evaluation) -> Reading:
    st = lookup(ev, "emergence", "stationarity")
    if not st:
        return None, None
    worst = max(
        abs(st[start][k]["change_2060_2100"])
        for start in ("from_0.9", "from_0.3")
        for k in ("rus_nato", "nato_rus")
    )
    return _below(worst, 0.03)


def _gap_2100(ev: Evaluation) -> Reading:
    gap = lookup(ev, "emergence", "stationarity", "gap_2100")
    if not gap:
        return None, None
    worst = max(gap.values())
    return float(worst), bool(worst <= 0.05)


def _beats_nulls(series: str) -> Callable[[Evaluation], Reading]:
    def read(ev: Evaluation) -> Reading:
        skill = lookup(ev, "data", series, "held_out", "model", "skill")
        if not skill:
            return None, None
        worst = smallest_skill(skill)[1]
        if worst is None:  # a null model without error: unbeatable
            return None, False
        return worst, bool(worst > 0)

    return read


def _floor(bar: float, *keys: str | int) -> Callable[[Evaluation], Reading]:
    """A figure at ``keys`` that must be at least ``bar``."""
    return lambda ev: _at_least(lookup(ev, *keys), bar)


def _targets() -> Iterator[Target]:
    f1, dec = "figure1", "decisions"
    yield Target(
        "enlargement_entry_2004",
        f1,
        "dropping `R.tension.enlargement` raises the median Russia→NATO trust of 2004",
        "≥ +0.05",
        _enlargement_2004,
    )
    yield Target(
        "lenses_asymmetry_2012",
        f1,
        "swapping the lenses removes at least half of the 2012 asymmetry "
        "(Russia→NATO minus NATO→Russia; one year's gap alone is within chance)",
        "share removed ≥ 0.5",
        _removed_share("last"),
        gaps("last"),
    )
    yield Target(
        "lenses_asymmetry_mean",
        f1,
        "swapping the lenses removes at least half of the mean asymmetry over the years",
        "share removed ≥ 0.5",
        _removed_share("mean"),
        gaps("mean"),
    )
    yield Target(
        "every_entry_acts",
        f1,
        "every Figure 1 entry the scenario uses changes the trajectories when dropped",
        "no silent entry",
        _silent_entries,
    )
    yield Target(
        "members_not_in_lockstep",
        f1,
        "members' yearly changes of median trust in Russia are not in lockstep "
        "(mean pairwise correlation, members of 2009)",
        "< 0.8",
        lambda ev: _below(lookup(ev, "alliance", "lockstep", "mean_correlation"), 0.8),
        lockstep_detail,
    )
    yield Target(
        "iraq_split_2003",
        f1,
        "in 2003 trust falls both ways between the USA and Germany and France",
        "largest change < 0",
        _iraq,
    )
    for name in ("two_tier", "consensus"):
        yield Target(
            f"{name}_reaches_dialogue",
            f1,
            f"`{name}` from 0 to 1 moves 2012 Russia→NATO or NATO→Russia",
            "≥ 0.03",
            _lever(name),
            folded=True,
        )
    yield Target(
        "narrative_checks",
        f1,
        "the narrative checks hold on the median",
        "all",
        _narrative,
    )
    yield Target(
        "cycles_shocks_only_median",
        dec,
        "crisis-recovery cycles per run with the scheduled acts removed (median)",
        "≥ 2",
        _floor(2, "emergence", "cycles_per_run", "free", "median"),
    )
    yield Target(
        "cycles_shocks_only_share",
        dec,
        "share of those runs with two cycles or more",
        "≥ 0.5",
        _floor(0.5, "emergence", "cycles_per_run", "free", "share_two_or_more"),
    )
    yield Target(
        "cycles_after_the_record",
        dec,
        "cycles per run in `projection_2030`, 2013–2030 (mean)",
        "≥ 1",
        _floor(1, "emergence", "cycles_per_run", "projection_2013_2030", "mean"),
    )
    yield Target(
        "long_run_settles",
        dec,
        "the free long run's median changes little from 2060 to 2100 "
        "(largest change, both starts and directions)",
        "< 0.03",
        _drift,
        drift_detail,
        folded=True,
    )
    yield Target(
        "long_run_forgets_start",
        dec,
        "2100 medians from initial trust 0.9 and 0.3 (largest gap)",
        "≤ 0.05",
        _gap_2100,
        folded=True,
    )
    for key, label in (("rus_nato", "Russia→NATO"), ("nato_rus", "NATO→Russia")):
        yield Target(
            f"chosen_share_{key}",
            dec,
            f"the actors' own choices account for the movement of {label} (chosen share)",
            "≥ 0.3",
            _floor(0.3, "emergence", "chosen_share", key, "share"),
            chosen_detail(key),
        )
    yield Target(
        "history_from_shocks",
        dec,
        "aggregate narrative checks holding with the scheduled acts removed",
        "≥ 5",
        _floor(5, "emergence", "free_narrative", "median_holds"),
    )
    for series, label in (
        ("mean_dist_rus_nato_members_all", "the mean NATO member"),
        ("dist_rus_usa_all", "the USA"),
    ):
        yield Target(
            f"beats_nulls_{series}",
            dec,
            f"held out, the model forecasts Russia's UN-vote distance to {label} better "
            "than every null model (smallest skill)",
            "> 0",
            _beats_nulls(series),
            worst_null(series),
        )


#: Every target, in the order the scorecard lists them.
TARGETS: tuple[Target, ...] = tuple(_targets())


def scorecard(ev: Evaluation) -> list[dict[str, Any]]:
    """Each target read off an evaluation: ``{id, part, claim, bar, value, met, detail}``.

    With the evaluation's ``uncertainty`` section, each row also has its Monte Carlo
    error (``interval``, ``share_met``, ``firm``, ``shifted``;
    :mod:`~sim.experiments.evaluation.uncertainty`).
    """
    errors = lookup(ev, "uncertainty", "targets") or {}
    out = []
    for t in TARGETS:
        value, met = t.read(ev)
        detail = t.detail(ev) if t.detail is not None and met is not None else ""
        row = {
            "id": t.id,
            "part": t.part,
            "claim": t.claim,
            "bar": t.bar,
            "value": value,
            "met": met,
            "detail": detail,
        }
        if t.id in errors:
            row |= {k: errors[t.id].get(k) for k in ("interval", "share_met", "firm", "shifted")}
            row["folded"] = t.folded
        out.append(row)
    return out
