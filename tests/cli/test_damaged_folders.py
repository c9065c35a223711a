"""``natosim plot`` on damaged folders, and ``run --no-plot`` beside a user's own files."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from sim.cli.main import main
from tests.cli_process import snapshot

SMALL = """
name = "small"
scenario = "historical"
design = "grid"
levels = 2
replicates = 2
seed = 1
[[levers]]
name = "nrc_share"
low = 0.0
high = 1.0
[[levers]]
name = "sg_entrepreneurship"
low = 0.0
high = 1.0
"""


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("folders")
    run, sweep = base / "run", base / "sweep"
    assert main(["run", "historical", "--out", str(run), "--quiet", "--no-plot"]) == 0
    (base / "small.toml").write_text(SMALL)
    assert main(["sweep", str(base / "small.toml"), "--out", str(sweep), "--quiet"]) == 0
    return {"run": run, "sweep": sweep}


def _damaged(folders: dict[str, Path], tmp_path: Path, kind: str, file: str, data: bytes) -> Path:
    d = tmp_path / kind
    shutil.copytree(folders[kind], d)
    (d / file).unlink()
    (d / file).write_bytes(data)
    return d


CASES = {
    "corrupt_csv": ("run", "trajectory.csv", b'\x00garbage"\n,,,"', "not a readable CSV table"),
    "empty_csv": ("run", "trajectory.csv", b"", "not a readable CSV table (No columns to parse"),
    "wrong_columns": (
        "run", "trajectory.csv", b"a,b\n1,2\n",
        "not a natosim table: no column replicate, year, observer, target, trust (CSV)",
    ),
    "text_for_numbers": (
        "run", "trajectory.csv",
        b"replicate,seed,year,observer,target,trust\n0,1,1991,NATO,RUS,high\n",
        "trajectory.csv: trust: holds values that are not numbers",
    ),
    "events_wrong_columns": ("run", "events.csv", b"x\n1\n", "events.csv: not a natosim table"),
    "corrupt_parquet": ("sweep", "runs.parquet", b"PAR1 not really", "not a readable Parquet table"),
    "empty_parquet": ("sweep", "trajectories.parquet", b"", "not a readable Parquet table"),
    "manifest_a_list": ("sweep", "manifest.json", b"[1, 2]", "not a valid manifest (expected a JSON object)"),
    "manifest_without_experiment": (
        "sweep", "manifest.json", b"{}", "manifest.json: experiment: missing: not the manifest of a sweep",
    ),
    "manifest_outcomes_wrong": (
        "sweep", "manifest.json", json.dumps({"experiment": {"design": "grid", "outcomes": 3}}).encode(),
        "manifest.json: experiment.outcomes: missing or not a list of names",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_damaged_folder_is_one_line_and_nothing_is_drawn(
    case: str, folders: dict[str, Path], tmp_path: Path, capsys
) -> None:
    kind, file, data, says = CASES[case]
    d = _damaged(folders, tmp_path, kind, file, data)
    before = snapshot(tmp_path)
    assert main(["plot", str(d)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert f"natosim: error: {d}" in err and says in err
    assert snapshot(tmp_path) == before


def test_a_fifo_in_a_tables_place_never_blocks(folders, tmp_path: Path, capsys) -> None:
    d = tmp_path / "run"
    shutil.copytree(folders["run"], d)
    (d / "events.csv").unlink()
    os.mkfifo(d / "events.csv")
    assert main(["plot", str(d)]) == 2
    assert "events.csv: a FIFO (named pipe), not a regular file" in capsys.readouterr().err


def test_an_unknown_outcome_writes_nothing(folders, tmp_path: Path, capsys) -> None:
    d = tmp_path / "sweep"
    shutil.copytree(folders["sweep"], d)
    other = tmp_path / "run"
    shutil.copytree(folders["run"], other)
    before = snapshot(tmp_path)
    assert main(["plot", str(other), str(d), "--outcome", "bogus"]) == 2
    assert "natosim: error: --outcome 'bogus': " in capsys.readouterr().err
    assert snapshot(tmp_path) == before  # not even the run folder's trust.png


def test_run_no_plot_keeps_a_users_own_trust_png(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "trust.png").write_bytes(b"my own figure")
    assert main(["run", "historical", "--out", str(out), "--quiet", "--no-plot"]) == 0
    assert (out / "trust.png").read_bytes() == b"my own figure"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["files"] == ["trajectory.csv", "events.csv", "manifest.json"]
