"""The figures of one sweep folder: what its parameters do to its outcomes.

Drawn from ``runs.parquet``, ``trajectories.parquet``, ``sensitivity.csv`` and
``manifest.json`` alone (never by running the model):

* ``response_OUTCOME`` — the outcome against each varied parameter (and the
  scenario, when it is a factor);
* ``pairs_OUTCOME`` — the pair plot, for two or three numeric parameters;
* ``heatmap_OUTCOME`` — the median over the first two parameters of a grid;
* ``fans_PARAM`` — a fan chart per level of each parameter with few levels;
* ``sensitivity_OUTCOME`` (``_SCENARIO``) — Sobol or Morris indices, or a Latin
  hypercube's PRCC.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sim.files.errors import InputError, shown
from sim.files.hints import meant
from sim.results import figures, readers
from sim.results.figures.level_fans import MAX_PANELS, level_fans
from sim.results.figures.response import is_levelled, pairs, response
from sim.results.figures.style import HEADLINE

__all__ = ["outcome_names", "plot_sweep", "varied"]


def outcome_names(exp: dict[str, Any]) -> list[str]:
    """The outcome columns a sweep recorded (names of built-ins and tables)."""
    return [o if isinstance(o, str) else o["name"] for o in exp.get("outcomes", [])]


def varied(exp: dict[str, Any]) -> list[str]:
    """The sweep's factors: levers, uncertainties, then ``scenario`` when it is one."""
    names = [v["name"] for v in (*exp.get("levers", []), *exp.get("uncertainties", []))]
    return names + (["scenario"] if exp.get("scenarios") else [])


def choose_outcome(d: Path, exp: dict[str, Any], outcome: str | None) -> str:
    """``--outcome``, checked against the folder, or the sweep's first outcome.

    Raises:
        InputError: If the sweep did not record it.
    """
    recorded = outcome_names(exp)
    oc = outcome or recorded[0]
    if oc not in recorded:
        hint = meant(oc, recorded)
        raise InputError(
            f"--outcome {shown(oc)}: not an outcome of {d} ({hint + '; ' if hint else ''}"
            f"recorded: {', '.join(recorded)})"
        )
    return oc


def plot_sweep(
    d: Path,
    runs: pd.DataFrame,
    traj: pd.DataFrame | None,
    *,
    fmt: str,
    outcome: str | None,
    trust_pairs: Sequence[tuple[str, str]],
) -> list[Path]:
    """Draw a sweep folder's figures of outcomes and parameters.

    Returns:
        The paths written.

    Raises:
        InputError: For an outcome the sweep did not record.
    """
    exp = readers.experiment(d)
    oc = choose_outcome(d, exp, outcome)
    factors = [p for p in varied(exp) if p in runs.columns and runs[p].nunique() > 1]
    numeric = [p for p in factors if p != "scenario"]
    written: list[Path] = []

    def out(name: str) -> Path:
        written.append(d / f"{name}.{fmt}")
        return written[-1]

    name = exp.get("name", d.name)
    headline = [tuple(p) for p in trust_pairs] == [tuple(p) for p in HEADLINE]
    suffix = "" if headline else "".join(f"_{o}_{t}" for o, t in trust_pairs)
    if factors:
        response(runs, factors, oc, out(f"response_{oc}"), title=f"{name}: {oc}", fmt=fmt)
    if 2 <= len(numeric) <= 3:
        pairs(runs, numeric, oc, out(f"pairs_{oc}"), fmt=fmt)
    if exp["design"] == "grid" and len(numeric) >= 2:
        figures.heatmap(runs, numeric[0], numeric[1], oc, out(f"heatmap_{oc}"), fmt=fmt)
    if traj is not None and not traj.empty:
        for p in factors:
            if is_levelled(runs[p]) and runs[p].nunique() <= MAX_PANELS:
                title = f"{name}: trust per level of {p}"
                name_ = f"fans_{p}{suffix}"
                level_fans(traj, runs, p, out(name_), pairs=trust_pairs, title=title, fmt=fmt)
    sens = readers.sensitivity(d)
    if sens is not None:
        if "scenario" in sens.columns:
            for sc, part in sens.groupby("scenario", sort=False):
                figures.sensitivity_bars(part, oc, out(f"sensitivity_{oc}_{sc}"), fmt=fmt)
        else:
            figures.sensitivity_bars(sens, oc, out(f"sensitivity_{oc}"), fmt=fmt)
    return written
