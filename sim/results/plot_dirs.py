"""Figures for directories written by ``natosim run`` and ``natosim sweep``.

Reads only the files in those directories (tables, manifest) and hands them
to :mod:`sim.plots`; it never needs the run that produced them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import partial
from pathlib import Path

import pandas as pd

from sim.files.atomic import atomic_write_bytes
from sim.results import figures as plots


def _save(path: Path, draw) -> Path:
    """Draw to a temporary buffer, then write atomically."""
    import io

    buf = io.BytesIO()
    draw(buf)
    atomic_write_bytes(path, buf.getvalue())
    return path


def load_trajectories(d: Path) -> pd.DataFrame | None:
    """Trajectory table of a run (CSV) or sweep (Parquet) directory."""
    if (d / "trajectory.csv").exists():
        return pd.read_csv(d / "trajectory.csv")
    if (d / "trajectories.parquet").exists():
        df = pd.read_parquet(d / "trajectories.parquet")
        return df.rename(columns={"run_id": "replicate"})
    return None


def load_events(d: Path) -> pd.DataFrame | None:
    """Scheduled events and shocks of a directory's scenario."""
    if (d / "events.csv").exists():
        return pd.read_csv(d / "events.csv")
    man = d / "manifest.json"
    if man.exists():
        from sim.model.runner import run

        sc = json.loads(man.read_text()).get("scenario")
        if sc:
            ev = run(sc).events
            return ev[ev.origin != "chosen"]
    return None


def _name(d: Path) -> str:
    man = d / "manifest.json"
    if man.exists():
        m = json.loads(man.read_text())
        return (m.get("experiment") or m.get("scenario") or {}).get("name", d.name)
    return d.name


def plot_dirs(
    dirs: Sequence[Path], *, fmt: str = "png", outcome: str | None = None, out: str | None = None
) -> list[Path]:
    """Draw every figure the directories' files allow.

    Args:
        dirs: Run or sweep directories.
        fmt: ``png``, ``svg`` or ``pdf``.
        outcome: Outcome for the heatmap and sensitivity bars (default: the first).
        out: Path of the comparison chart when several directories are given.

    Returns:
        Paths written.
    """
    from sim.files.errors import InputError

    written: list[Path] = []
    trajs: dict[str, pd.DataFrame] = {}
    for d in dirs:
        try:
            name = _name(d)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise InputError(f"{d / 'manifest.json'}: not a valid manifest") from None
        if name in trajs:  # same scenario twice (e.g. other parameters): use the folder
            name = f"{name} ({d})"
        traj = load_trajectories(d)
        if traj is not None and not traj.empty:
            trajs[name] = traj
            ev = load_events(d)
            title = f"{name}: NATO-Russia trust"
            written.append(
                _save(d / f"trust.{fmt}", partial(plots.trust_fan, traj, ev, title=title, fmt=fmt))
            )
        runs_path = d / "runs.parquet"
        if not runs_path.exists():
            continue
        exp = json.loads((d / "manifest.json").read_text())["experiment"]
        varied = [v["name"] for v in (*exp.get("levers", []), *exp.get("uncertainties", []))]
        oc = outcome or exp["outcomes"][0]
        if oc not in exp["outcomes"]:
            raise InputError(
                f"--outcome {oc!r}: not an outcome of {d} (recorded: {', '.join(exp['outcomes'])})"
            )
        runs = pd.read_parquet(runs_path)
        if exp["design"] == "grid" and len(varied) >= 2:
            written.append(
                _save(
                    d / f"heatmap_{oc}.{fmt}",
                    partial(plots.heatmap, runs, varied[0], varied[1], oc, fmt=fmt),
                )
            )
        sens_path = d / "sensitivity.csv"
        if sens_path.exists():
            sens = pd.read_csv(sens_path)
            written.append(
                _save(
                    d / f"sensitivity_{oc}.{fmt}",
                    partial(plots.sensitivity_bars, sens, oc, fmt=fmt),
                )
            )
    if len(trajs) > 1:
        target = Path(out) if out else Path(f"compare.{fmt}")
        written.append(_save(target, partial(plots.compare_scenarios, trajs, fmt=fmt)))
    if not written:
        raise InputError(
            f"nothing to plot in {', '.join(map(str, dirs))} (no trajectory, runs or "
            "sensitivity files; an interrupted sweep is finished by running it again)"
        )
    return written
