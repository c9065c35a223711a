"""``sim.write_run``: a result written from Python is what ``natosim run`` writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import sim
from sim.cli.main import main
from sim.files.errors import InputError


def test_the_files_are_natosim_runs_byte_for_byte(tmp_path: Path) -> None:
    res = sim.run("no_kosovo", seed=3, replicates=4, nrc_share=0.6)
    written = sim.write_run(res, str(tmp_path / "api"))
    assert [p.name for p in written] == [
        "trajectory.csv",
        "events.csv",
        "manifest.json",
        "trust.png",
    ]
    cli = tmp_path / "cli"
    args = ["run", "no_kosovo", "--seed", "3", "--replicates", "4", "--set", "nrc_share=0.6"]
    assert main([*args, "--out", str(cli), "--quiet"]) == 0
    for name in ("trajectory.csv", "events.csv"):
        assert (tmp_path / "api" / name).read_bytes() == (cli / name).read_bytes()
    api, ref = (json.loads((d / "manifest.json").read_text()) for d in (tmp_path / "api", cli))
    assert api == ref


def test_it_refuses_what_natosim_run_refuses(tmp_path: Path) -> None:
    (tmp_path / "trajectory.csv").write_text("mine\n")
    with pytest.raises(InputError, match=r"no run's manifest\.json"):
        sim.write_run(sim.run("historical"), tmp_path, plot=False)
    assert (tmp_path / "trajectory.csv").read_text() == "mine\n"


def test_write_run_takes_a_result_and_a_folder(tmp_path) -> None:
    from sim import InputError, run, write_run

    with pytest.raises(InputError, match=r"write_run: expected a RunResult .*, got str"):
        write_run("historical", tmp_path / "r")
    (tmp_path / "f").write_text("mine")
    with pytest.raises(InputError, match="is a file, not a folder"):
        write_run(run("historical"), tmp_path / "f")
    assert (tmp_path / "f").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f"]
