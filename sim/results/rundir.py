"""Writing results: atomic files and the run directory layout.

Nothing is ever half-written: a run's files are all rendered in memory
before the first is written, and each goes to a temporary name in the target
directory and all are renamed into place together (:func:`sim.files.atomic.atomic_write_many`).

Nothing of the user's is deleted either: the manifest lists the files natosim
wrote (``files``), and a ``trust.png`` left from an earlier run is removed by
``--no-plot`` only when the folder's previous manifest says natosim wrote it.
If writing fails, the folders it created are removed again.

Nor is anything overwritten that is not an earlier run's
(:func:`check_run_folder`): a run replaces the run a folder holds, and writes
beside a user's own files only when none of them has a name it writes; it
refuses a folder that holds a sweep or another result.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path
from typing import Any

from sim.files.atomic import atomic_write_many, first_missing
from sim.files.documents import read_json
from sim.files.errors import InputError, shown
from sim.model.provenance import versions
from sim.model.result import RunResult

#: The files a run writes (``trust.png`` unless ``--no-plot``).
RUN_FILES = ("trajectory.csv", "events.csv", "manifest.json", "trust.png")

#: Figures ``natosim plot`` may have drawn into a run folder from its tables.
FIGURE_SUFFIXES = (".png", ".svg", ".pdf")


def _is_run_manifest(data: object) -> bool:
    return (
        isinstance(data, dict)
        and "experiment" not in data
        and all(k in data for k in ("scenario", "seeds", "replicates"))
    )


def check_run_folder(out_dir: Path, *, plot: bool = True) -> dict[str, Any] | None:
    """Whether a run may write into ``out_dir``, and the run it would replace.

    Args:
        out_dir: The run's output folder (need not exist).
        plot: The run draws ``trust.png``.

    Returns:
        The manifest of the earlier run the folder holds (None if it holds none).

    Raises:
        InputError: If ``out_dir`` holds a sweep's or another result's
            ``manifest.json``, or, holding no run, a file with a name the run
            would write.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: is a file, not a folder: choose a folder")
    if not out.is_dir():
        return None
    path = out / "manifest.json"
    if path.is_file():
        data: object = None
        with contextlib.suppress(InputError):
            data = read_json(path)
        if _is_run_manifest(data):
            return data  # type: ignore[return-value]
        if isinstance(data, dict) and "experiment" in data:
            exp = data["experiment"]
            name = exp.get("name") if isinstance(exp, dict) else exp
            what = f"the sweep {shown(name, 60)}"
        else:
            what = "a manifest.json that is not a run's"
        raise InputError(
            f"--out {out}: holds {what}; a run would overwrite it: choose another folder"
        )
    names = RUN_FILES if plot else RUN_FILES[:3]
    taken = [n for n in names if (out / n).exists()]
    if taken:
        raise InputError(
            f"--out {out}: holds {', '.join(taken)} but no run's manifest.json; a run "
            "would overwrite that: choose another folder"
        )
    return None


def stale_figures(out_dir: Path, written: list[Path]) -> list[str]:
    """Figures in a run folder that this run did not write (drawn from an earlier run)."""
    out = Path(out_dir)
    ours = {p.name for p in written}
    return sorted(
        p.name
        for p in out.iterdir()
        if p.is_file() and p.suffix in FIGURE_SUFFIXES and p.name not in ours
    )


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


def write_run(result: RunResult, out_dir: str | Path, *, plot: bool = True) -> list[Path]:
    """Write ``trajectory.csv``, ``events.csv``, ``manifest.json`` and ``trust.png``.

    Args:
        result: A finished run.
        out_dir: Directory to write into (created if missing).
        plot: Also draw ``trust.png``.

    Returns:
        The paths written.

    Raises:
        InputError: If the folder holds something else than an earlier run
            (:func:`check_run_folder`).
    """
    from sim.results.run_figure import figure_png, trust_figure

    if not isinstance(result, RunResult):
        raise InputError(
            f"write_run: expected a RunResult (from sim.run), got {type(result).__name__}"
        )
    out_dir = Path(out_dir)
    check_run_folder(out_dir, plot=plot)
    traj, events = result.trajectory, result.events
    names = list(RUN_FILES if plot else RUN_FILES[:3])
    # Render everything first, then move each file into place atomically.
    files: dict[Path, bytes] = {
        out_dir / "trajectory.csv": traj.to_csv(index=False).encode(),
        out_dir / "events.csv": events.to_csv(index=False).encode(),
        out_dir / "manifest.json": (
            json.dumps(manifest(result, {"files": names}), indent=2, sort_keys=True) + "\n"
        ).encode(),
    }
    if plot:
        files[out_dir / "trust.png"] = figure_png(trust_figure(result))
    stale = not plot and "trust.png" in written_before(out_dir)
    top = first_missing(out_dir)
    try:
        atomic_write_many(files)
    except BaseException:
        if top is not None:  # leave nothing behind, not even an empty directory
            shutil.rmtree(top, ignore_errors=True)
        raise
    if stale:  # our plot from an earlier run would no longer match the tables
        (out_dir / "trust.png").unlink(missing_ok=True)
    return list(files)


def written_before(out_dir: Path) -> list[str]:
    """The files a folder's manifest says natosim wrote there (none if it says nothing).

    A manifest of an older natosim, which did not list its files, lists none: a
    ``trust.png`` beside it is left alone.
    """
    path = Path(out_dir) / "manifest.json"
    if not path.is_file():
        return []
    with contextlib.suppress(InputError):
        data = read_json(path)
        if isinstance(data, dict):
            files = data.get("files")
            if isinstance(files, list):
                return [f for f in files if isinstance(f, str)]
    return []
