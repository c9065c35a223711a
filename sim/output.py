"""Writing results: atomic files and the run directory layout.

Nothing is ever half-written: every file goes to a temporary name in the
target directory and is renamed into place (``os.replace``), and a run's
files are all rendered before the first one is moved.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sim.run import RunResult


def atomic_write(path: Path, writer: Callable[[Path], None]) -> None:
    """Write a file atomically.

    Args:
        path: Final path.
        writer: Function that writes the content to the temporary path it is given.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        writer(tmp_path)
        with open(tmp_path, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_path, path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def versions() -> dict[str, str]:
    """Versions of Python and the packages a result depends on."""
    out = {"python": platform.python_version()}
    for pkg in ("natosim", "numpy", "pandas", "mesa", "pydantic", "matplotlib"):
        try:
            out[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


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
    from sim.plots import trust_fan  # matplotlib is only needed here

    out_dir = Path(out_dir)
    traj, events = result.trajectory, result.events
    man = json.dumps(manifest(result), indent=2, sort_keys=True) + "\n"
    jobs: list[tuple[Path, Callable[[Path], None]]] = [
        (out_dir / "trajectory.csv", lambda p: traj.to_csv(p, index=False)),
        (out_dir / "events.csv", lambda p: events.to_csv(p, index=False)),
        (out_dir / "manifest.json", lambda p: p.write_text(man, encoding="utf-8")),
    ]
    if plot:
        title = f"{result.scenario.name}: NATO-Russia trust ({len(result.seeds)} replicates)"
        jobs.append(
            (out_dir / "trust.png", lambda p: trust_fan(traj, events, p, title=title, fmt="png"))
        )
    for path, writer in jobs:
        atomic_write(path, writer)
    return [p for p, _ in jobs]
