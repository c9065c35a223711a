"""Readers of the folders written by ``natosim run`` and ``natosim sweep``.

They read files only (tables, manifest); nothing here runs a model. A run folder
holds ``trajectory.csv``, ``events.csv`` and ``manifest.json``; a sweep folder
``trajectories.parquet``, ``runs.parquet``, ``events.csv`` (the base scenario's
scheduled events and shocks) and ``manifest.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from sim.files.errors import InputError

#: Why a folder has no ``events.csv`` (a sweep written before sweeps recorded them).
NO_EVENTS = (
    "{d}: no events.csv (written by an older natosim); the trust chart is drawn without "
    "events; run the sweep again to record them"
)


def manifest(d: Path) -> dict[str, Any] | None:
    """The folder's ``manifest.json``, or None if it has none.

    Raises:
        InputError: If the manifest is not valid JSON.
    """
    path = Path(d) / "manifest.json"
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise InputError(path, None, "not a valid manifest") from None


def name(d: Path) -> str:
    """The experiment's or scenario's name recorded in the folder (else its name)."""
    m = manifest(d)
    if m is None:
        return Path(d).name
    return (m.get("experiment") or m.get("scenario") or {}).get("name", Path(d).name)


def trajectories(d: Path) -> pd.DataFrame | None:
    """Trajectory table of a run (CSV) or sweep (Parquet) folder, or None.

    A sweep's ``run_id`` is named ``replicate``, as in a run's table.
    """
    d = Path(d)
    if (d / "trajectory.csv").exists():
        return pd.read_csv(d / "trajectory.csv")
    if (d / "trajectories.parquet").exists():
        df = pd.read_parquet(d / "trajectories.parquet")
        return df.rename(columns={"run_id": "replicate"})
    return None


def events(d: Path) -> pd.DataFrame | None:
    """The folder's ``events.csv`` (a run's events; a sweep's scheduled ones), or None."""
    path = Path(d) / "events.csv"
    return pd.read_csv(path) if path.exists() else None


def runs(d: Path) -> pd.DataFrame | None:
    """A sweep's runs table (one row per run), or None."""
    path = Path(d) / "runs.parquet"
    return pd.read_parquet(path) if path.exists() else None


def sensitivity(d: Path) -> pd.DataFrame | None:
    """A sweep's sensitivity indices, or None."""
    path = Path(d) / "sensitivity.csv"
    return pd.read_csv(path) if path.exists() else None
