"""``natosim run --out``: it replaces an earlier run, and nothing else.

A run folder is refused when it holds a sweep, another result's manifest, or a
user's file with a name the run writes; an earlier run there is replaced, and
the run says so, naming the figures drawn from the run it replaced.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sim.cli.main import main
from tests.cli_process import snapshot

SWEEP = """
name = "tiny"
scenario = "historical"
design = "grid"
replicates = 2
seed = 1
"""


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("made")
    run, sweep = base / "run", base / "sweep"
    assert main(["run", "historical", "--replicates", "3", "--out", str(run), "--quiet"]) == 0
    (base / "tiny.toml").write_text(SWEEP)
    assert main(["sweep", str(base / "tiny.toml"), "--out", str(sweep), "--quiet"]) == 0
    return {"run": run, "sweep": sweep}


def _refused(out: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    before = snapshot(out)
    assert main(["run", "no_kosovo", "--out", str(out), *extra]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert snapshot(out) == before  # nothing written, nothing removed
    err = captured.err.strip()
    assert "\n" not in err and "Traceback" not in err
    return err


def test_a_run_does_not_overwrite_a_sweep(made, tmp_path: Path, capsys) -> None:
    out = tmp_path / "sweep"
    shutil.copytree(made["sweep"], out)
    err = _refused(out, capsys)
    assert err == (
        f"natosim: error: --out {out}: holds the sweep 'tiny'; a run would overwrite it: "
        "choose another folder"
    )
    assert main(["plot", str(out)]) == 0  # the sweep is whole: its figures draw


def test_a_run_does_not_overwrite_another_manifest(tmp_path: Path, capsys) -> None:
    out = tmp_path / "other"
    out.mkdir()
    (out / "manifest.json").write_text('{"name": "something of mine"}\n')
    err = _refused(out, capsys)
    assert "holds a manifest.json that is not a run's" in err


@pytest.mark.parametrize("name", ["events.csv", "trajectory.csv", "trust.png"])
def test_a_run_does_not_overwrite_a_users_file(name: str, tmp_path: Path, capsys) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / name).write_bytes(b"my own file")
    err = _refused(out, capsys)
    assert f"--out {out}: holds {name} but no run's manifest.json" in err


def test_a_run_writes_beside_a_users_other_files(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert main(["run", "historical", "--out", str(out), "--quiet"]) == 0
    assert (out / "notes.txt").read_text() == "mine"
    assert (out / "trajectory.csv").is_file()


def test_a_run_replaces_an_earlier_run_and_says_so(made, tmp_path: Path, capsys) -> None:
    out = tmp_path / "run"
    shutil.copytree(made["run"], out)
    (out / "map_2008.png").write_bytes(b"drawn by natosim plot --map")
    assert main(["run", "no_kosovo", "--replicates", "2", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "replaced the earlier run there (historical, 3 replicate(s), seed 1991)" in text
    assert "now out of date: map_2008.png" in text
    assert "trust.png" not in text.split("replaced")[1]  # redrawn, so not out of date
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["scenario"]["name"] == "no_kosovo"
    assert manifest["replicates"] == 2
    assert (out / "map_2008.png").exists()  # left for the user, but named


def test_a_sweep_names_a_run_folder_as_such(made, tmp_path: Path, capsys) -> None:
    out = tmp_path / "run"
    shutil.copytree(made["run"], out)
    (tmp_path / "tiny.toml").write_text(SWEEP)
    before = snapshot(out)
    assert main(["sweep", str(tmp_path / "tiny.toml"), "--out", str(out), "--quiet"]) == 2
    assert "holds a run or another result, not a sweep" in capsys.readouterr().err
    assert snapshot(out) == before


def test_plot_refuses_a_folder_given_twice(made, tmp_path: Path, capsys) -> None:
    out = tmp_path / "run"
    shutil.copytree(made["run"], out)
    link = tmp_path / "link"
    link.symlink_to(out)
    before = snapshot(tmp_path)
    for again, also in ((out, ""), (link, f", also as {out}")):
        assert main(["plot", str(out), str(again), "--out", str(tmp_path / "c.png")]) == 2
        err = capsys.readouterr().err.strip()
        want = f"{again}: given twice{also}; a comparison needs each folder once"
        assert err == f"natosim: error: {want}"
    assert snapshot(tmp_path) == before
