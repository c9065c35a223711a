"""Figures for folders written by ``natosim run`` and ``natosim sweep``.

Reads the folders with :mod:`sim.results.readers` and draws with
:mod:`sim.results.figures`; it never needs (or re-runs) the model that wrote them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from sim.files.errors import InputError, shown
from sim.results import figures, readers


def plot_dirs(
    dirs: Sequence[Path],
    *,
    fmt: str = "png",
    outcome: str | None = None,
    out: str | None = None,
    notes: list[str] | None = None,
) -> list[Path]:
    """Draw every figure the folders' files allow.

    Args:
        dirs: Run or sweep folders.
        fmt: ``png``, ``svg`` or ``pdf``.
        outcome: Outcome for the heatmap and sensitivity bars (default: the first).
        out: Path of the comparison chart when several folders are given.
        notes: If given, messages for the user are appended (e.g. a folder
            without ``events.csv``).

    Returns:
        Paths written.

    Raises:
        InputError: For a damaged folder (see :mod:`sim.results.readers`), an
            unknown outcome or nothing to plot; then nothing is written (every
            folder is read and checked before the first figure is drawn).
    """
    loaded = [_read(Path(d), outcome) for d in dirs]  # every folder checked before drawing
    written: list[Path] = []
    trajs: dict[str, pd.DataFrame] = {}
    for d, (traj, ev, runs, exp, sens) in zip(map(Path, dirs), loaded, strict=True):
        name = readers.name(d)
        if name in trajs:  # same scenario twice (e.g. other parameters): use the folder
            name = f"{name} ({d})"
        if traj is not None and not traj.empty:
            trajs[name] = traj
            if ev is None and notes is not None:
                notes.append(readers.NO_EVENTS.format(d=d))
            target = d / f"trust.{fmt}"
            figures.trust_fan(traj, ev, target, title=f"{name}: NATO-Russia trust", fmt=fmt)
            written.append(target)
        if runs is None or exp is None:
            continue
        varied = exp["varied"]
        oc = outcome or exp["outcomes"][0]
        if exp["design"] == "grid" and len(varied) >= 2:
            target = d / f"heatmap_{oc}.{fmt}"
            figures.heatmap(runs, varied[0], varied[1], oc, target, fmt=fmt)
            written.append(target)
        if sens is not None:
            target = d / f"sensitivity_{oc}.{fmt}"
            figures.sensitivity_bars(sens, oc, target, fmt=fmt)
            written.append(target)
    if len(trajs) > 1:
        target = Path(out) if out else Path(f"compare.{fmt}")
        figures.compare_scenarios(trajs, target, fmt=fmt)
        written.append(target)
    if not written:
        raise InputError(
            f"nothing to plot in {', '.join(map(str, dirs))} (no trajectory, runs or "
            "sensitivity files; an interrupted sweep is finished by running it again)"
        )
    return written


def _read(d: Path, outcome: str | None) -> tuple:
    """A folder's tables and recorded experiment, checked (InputError on any damage)."""
    traj, ev = readers.trajectories(d), readers.events(d)
    if not (d / "runs.parquet").exists():
        return traj, ev, None, None, None
    exp = readers.experiment(d)
    oc = outcome or exp["outcomes"][0]
    if oc not in exp["outcomes"]:
        raise InputError(
            f"--outcome {shown(oc)}: not an outcome of {d} (recorded: {', '.join(exp['outcomes'])})"
        )
    runs = readers.runs(d, (oc, *exp["varied"][:2]))
    return traj, ev, runs, exp, readers.sensitivity(d)
