"""A finished sweep's folder as tables, for a notebook: ``sim.read_sweep(folder)``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sim.files.errors import InputError
from sim.results import readers

__all__ = ["SweepTables", "read_sweep"]


@dataclass(frozen=True, repr=False)
class SweepTables:
    """What ``natosim sweep`` wrote, read back.

    Attributes:
        runs: One row per run: ``run_id``, ``point_id``, ``replicate`` (with
            ``cross``, ``policy_id`` and ``world_id``), ``seed``, the scenario when
            it is a factor, the parameters and the outcomes.
        trajectories: ``run_id, year, observer, target, trust`` (join on ``run_id``).
        events: The scheduled events and shocks (the same in every run), or None.
        sensitivity: The sensitivity indices (Sobol, Morris, LHS designs), or None.
        manifest: The sweep's ``manifest.json`` (the experiment, scenario, seeds rule).
    """

    runs: pd.DataFrame
    trajectories: pd.DataFrame | None
    events: pd.DataFrame | None
    sensitivity: pd.DataFrame | None
    manifest: dict[str, Any]

    def __repr__(self) -> str:
        name = (self.manifest.get("experiment") or {}).get("name", "?")
        return f"<SweepTables {name!r}: {len(self.runs)} runs>"


def read_sweep(folder: str | Path) -> SweepTables:
    """Read a finished sweep's files into tables.

    Args:
        folder: The sweep's ``--out`` folder.

    Raises:
        InputError: If the folder holds no finished sweep, or a file is damaged.
    """
    d = Path(folder)
    runs = readers.runs(d)
    if runs is None:
        raise InputError(
            d, None, "no runs.parquet: not a finished sweep (natosim sweep writes one)"
        )
    return SweepTables(
        runs=runs,
        trajectories=readers.sweep_trajectories(d),
        events=readers.events(d),
        sensitivity=readers.sensitivity(d),
        manifest=readers.manifest(d) or {},
    )
