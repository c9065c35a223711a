"""Figures for folders written by ``natosim run`` and ``natosim sweep``.

Reads the folders with :mod:`sim.results.readers` and draws with
:mod:`sim.results.figures`; it never needs (or re-runs) the model that wrote them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from sim.files.errors import InputError
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
        InputError: For an invalid manifest, an unknown outcome or nothing to plot.
    """
    written: list[Path] = []
    trajs: dict[str, pd.DataFrame] = {}
    for d in map(Path, dirs):
        name = readers.name(d)
        if name in trajs:  # same scenario twice (e.g. other parameters): use the folder
            name = f"{name} ({d})"
        traj = readers.trajectories(d)
        if traj is not None and not traj.empty:
            trajs[name] = traj
            ev = readers.events(d)
            if ev is None and notes is not None:
                notes.append(readers.NO_EVENTS.format(d=d))
            target = d / f"trust.{fmt}"
            figures.trust_fan(traj, ev, target, title=f"{name}: NATO-Russia trust", fmt=fmt)
            written.append(target)
        runs = readers.runs(d)
        if runs is None:
            continue
        exp = (readers.manifest(d) or {})["experiment"]
        varied = [v["name"] for v in (*exp.get("levers", []), *exp.get("uncertainties", []))]
        oc = outcome or exp["outcomes"][0]
        if oc not in exp["outcomes"]:
            raise InputError(
                f"--outcome {oc!r}: not an outcome of {d} (recorded: {', '.join(exp['outcomes'])})"
            )
        if exp["design"] == "grid" and len(varied) >= 2:
            target = d / f"heatmap_{oc}.{fmt}"
            figures.heatmap(runs, varied[0], varied[1], oc, target, fmt=fmt)
            written.append(target)
        sens = readers.sensitivity(d)
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
