"""Ablation of Figure 1: what each entry does to the trajectories when it is dropped.

For every entry the scenario uses (``Compiled.used_entries``: it moves a
reading of an act that can happen, a discount or a choice), the
scenario is run again with ``[figure1] drop = [entry]`` on the same seeds, and
the change of the median trust is reported: in 2012 (or the last year) in each
headline direction, in the year and direction where it is largest, and in every
year (``by_year``). The lens swap (``swap_lenses``) is reported the same way, with
the asymmetry between the directions (Russia→NATO minus NATO→Russia, its mean
and its last value) with and without the swap. Entries the model does
not use are listed with what they would need to matter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from sim.data import tables
from sim.experiments.evaluation.baseline import Baseline
from sim.experiments.evaluation.panel import DIRECTIONS, Panel
from sim.experiments.evaluation.variants import run_panel
from sim.model.scenario import Scenario

__all__ = ["ablation", "with_figure1"]


def with_figure1(sc: Scenario, drop: tuple[str, ...] = (), swap: bool | None = None) -> Scenario:
    """The scenario with more Figure 1 entries dropped, or its lenses swapped."""
    block = sc.figure1
    update: dict[str, Any] = {"drop": tuple(dict.fromkeys((*block.drop, *drop)))}
    if swap is not None:
        update["swap_lenses"] = swap
    return sc.model_copy(update={"figure1": block.model_copy(update=update)})


def _directions(med: Panel) -> dict[str, np.ndarray]:
    return {k: med.series(*p)[0] for k, p in DIRECTIONS.items()}


def _medians(sc: Scenario, seeds: Sequence[int]) -> dict[str, np.ndarray]:
    # the headline directions' medians only (the same numbers as the whole median's)
    panel = run_panel(sc, seeds)
    return {k: np.median(panel.series(*p), axis=0) for k, p in DIRECTIONS.items()}


def _effect(years: np.ndarray, base: dict, var: dict) -> dict[str, Any]:
    last = int(years[-1]) if 2012 not in years else 2012
    i = int(np.flatnonzero(years == last)[0])
    out: dict[str, Any] = {
        f"delta_{last}": {k: float(var[k][i] - base[k][i]) for k in DIRECTIONS},
    }
    diffs = {k: var[k] - base[k] for k in DIRECTIONS}
    k_max = max(diffs, key=lambda k: float(np.abs(diffs[k]).max()))
    j = int(np.abs(diffs[k_max]).argmax())
    out["largest"] = {
        "year": int(years[j]),
        "direction": k_max,
        "delta": float(diffs[k_max][j]),
    }
    out["by_year"] = {"years": [int(y) for y in years]} | {
        k: [float(v) for v in d] for k, d in diffs.items()
    }
    return out


def _gap(med: dict[str, np.ndarray], i: int) -> dict[str, float]:
    """Russia→NATO minus NATO→Russia: its mean over the years and in year index ``i``."""
    gap = med["rus_nato"] - med["nato_rus"]
    return {"mean": float(gap.mean()), "last": float(gap[i])}


def ablation(baseline: Baseline) -> dict[str, Any]:
    """Every used entry dropped in turn, and the lenses swapped, against the scenario."""
    sc, seeds = baseline.scenario, baseline.seeds
    years, base = baseline.median.years, _directions(baseline.median)
    used = baseline.comp.used_entries
    ents = {e.id: e for e in tables.figure1()}
    rows = []
    for entry in (e.id for e in tables.figure1() if e.id in used):
        var = _medians(with_figure1(sc, drop=(entry,)), seeds)
        e = ents[entry]
        rows.append(
            {"entry": entry, "side": e.side, "row": e.row, "label": e.label}
            | _effect(years, base, var)
        )
    swapped = _medians(with_figure1(sc, swap=not sc.figure1.swap_lenses), seeds)
    unused = [
        {"entry": e.id, "side": e.side, "row": e.row, "label": e.label}
        for e in tables.figure1()
        if e.id not in used and e.id not in sc.figure1.drop
    ]
    i = int(np.flatnonzero(years == 2012)[0]) if 2012 in years else len(years) - 1
    swap = _effect(years, base, swapped) | {
        "gap": {"scenario": _gap(base, i), "swapped": _gap(swapped, i), "year": int(years[i])}
    }
    return {
        "entries": rows,
        "swap_lenses": swap,
        "unused": unused,
        "dropped_in_scenario": list(sc.figure1.drop),
    }
