"""Readers of run and sweep folders: files only, same columns for both kinds."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim import run
from sim.files.errors import InputError
from sim.results import readers
from sim.results.rundir import write_run


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("run") / "r"
    write_run(run("no_kosovo", replicates=2), d, plot=False)
    return d


def test_a_run_folder_reads_back_its_tables(run_dir: Path) -> None:
    res = run("no_kosovo", replicates=2)
    pd.testing.assert_frame_equal(readers.trajectories(run_dir), res.trajectory)
    pd.testing.assert_frame_equal(readers.events(run_dir), res.events)
    assert readers.manifest(run_dir)["scenario"]["name"] == "no_kosovo"
    assert readers.name(run_dir) == "no_kosovo"
    assert readers.runs(run_dir) is None and readers.sensitivity(run_dir) is None


def test_a_sweep_folder_names_run_ids_replicates(tmp_path: Path) -> None:
    df = pd.DataFrame(
        {"run_id": [0, 1], "year": [2000, 2000], "observer": "NATO", "target": "RUS",
         "trust": [0.4, 0.5]}
    )  # fmt: skip
    df.to_parquet(tmp_path / "trajectories.parquet")
    got = readers.trajectories(tmp_path)
    assert list(got.columns) == ["replicate", "year", "observer", "target", "trust"]
    assert got.replicate.tolist() == [0, 1]
    # read as categories (tens of millions of rows read fast), compared as text
    assert isinstance(got.observer.dtype, pd.CategoricalDtype)
    assert (got.observer == "NATO").all() and got.target.tolist() == ["RUS", "RUS"]


def test_a_sweeps_trajectories_are_sized_as_read(tmp_path: Path, monkeypatch) -> None:
    """Refused when they would not fit, by the measured factor, not Parquet's general one."""
    df = pd.DataFrame({"run_id": range(2000), "year": 2000, "observer": "NATO",
                       "target": "RUS", "trust": 0.5})  # fmt: skip
    df.to_parquet(tmp_path / "trajectories.parquet")
    size = (tmp_path / "trajectories.parquet").stat().st_size
    factor = readers._TRAJECTORY_MEMORY_PER_BYTE
    assert factor < readers._MEMORY_PER_BYTE[".parquet"]
    monkeypatch.setattr(readers, "available_memory", lambda: size * factor + 1)
    assert len(readers.trajectories(tmp_path)) == 2000
    monkeypatch.setattr(readers, "available_memory", lambda: size * factor - 1)
    with pytest.raises(InputError, match="too large to draw"):
        readers.trajectories(tmp_path)


def test_an_empty_folder_has_nothing(tmp_path: Path) -> None:
    assert readers.trajectories(tmp_path) is None
    assert readers.events(tmp_path) is None
    assert readers.manifest(tmp_path) is None
    assert readers.name(tmp_path) == tmp_path.name


def test_a_broken_manifest_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(InputError, match=r"manifest\.json: not a valid manifest"):
        readers.name(tmp_path)
