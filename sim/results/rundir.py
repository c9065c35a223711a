"""Writing results: atomic files and the run directory layout.

Nothing is ever half-written: a run's files are all rendered in memory
before the first is written, and each goes to a temporary name in the target
directory and all are renamed into place together (:func:`sim.files.atomic.atomic_write_many`).
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

from sim.files.atomic import atomic_write_many
from sim.model.provenance import versions
from sim.model.result import RunResult


def manifest(result: RunResult, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The manifest of a run: resolved scenario, its hash, seeds, parameters, versions."""
    sc = result.scenario
    return {
        "scenario": sc.model_dump(mode="json", by_alias=True),
        "scenario_sha256": sc.digest(),
        "seeds": result.seeds,
        "replicates": len(result.seeds),
        "parameters": result.parameters,
        "years": [int(result.years[0]), int(result.years[-1])],
        "versions": versions(),
        **(extra or {}),
    }


def write_run(result: RunResult, out_dir: Path, *, plot: bool = True) -> list[Path]:
    """Write ``trajectory.csv``, ``events.csv``, ``manifest.json`` and ``trust.png``.

    Args:
        result: A finished run.
        out_dir: Directory to write into (created if missing).
        plot: Also draw ``trust.png``.

    Returns:
        The paths written.
    """
    from sim.results.figures import trust_fan

    out_dir = Path(out_dir)
    traj, events = result.trajectory, result.events
    # Render everything first, then move each file into place atomically.
    files: dict[Path, bytes] = {
        out_dir / "trajectory.csv": traj.to_csv(index=False).encode(),
        out_dir / "events.csv": events.to_csv(index=False).encode(),
        out_dir / "manifest.json": (
            json.dumps(manifest(result), indent=2, sort_keys=True) + "\n"
        ).encode(),
    }
    if plot:
        title = f"{result.scenario.name}: NATO-Russia trust ({len(result.seeds)} replicates)"
        buf = io.BytesIO()
        trust_fan(traj, events, buf, title=title, fmt="png")
        files[out_dir / "trust.png"] = buf.getvalue()
    created = not out_dir.exists()
    try:
        atomic_write_many(files)
    except OSError:
        if created:  # leave nothing behind, not even an empty directory
            shutil.rmtree(out_dir, ignore_errors=True)
        raise
    if not plot:  # a plot from an earlier run would no longer match the tables
        (out_dir / "trust.png").unlink(missing_ok=True)
    return list(files)
