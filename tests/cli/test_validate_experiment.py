"""``natosim validate`` of an experiment: the checks its command makes, and what it would run.

Nothing is run or written; a bad experiment is the one line ``sweep`` or
``calibrate`` would give.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cli.main import main
from tests.cli_process import snapshot

LHS = """name = "mine"
scenario = "historical"
design = "lhs"
n = 40
replicates = 3
[[levers]]
name = "memory"
low = 0.05
high = 0.3
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_sweep_is_checked_and_sized_without_running(home: Path, capsys) -> None:
    (home / "mine.toml").write_text(LHS)
    before = snapshot(home)
    assert main(["validate", "mine.toml"]) == 0
    said = capsys.readouterr().out.strip()
    assert said.startswith(
        f"{home / 'mine.toml'}: valid sweep 'mine' of 'historical': lhs design, "
        "40 points x 3 replicates = 120 runs; about "
    )
    assert " of memory and " in said and said.endswith(" on disk")
    assert snapshot(home) == before


def test_bundled_experiments_validate_by_name(capsys) -> None:
    assert main(["validate", "levers_grid"]) == 0
    assert "valid sweep 'levers_grid' of 'historical': grid design, 75 points x 20 replicates" in (
        capsys.readouterr().out
    )
    assert main(["validate", "calibration"]) == 0
    out = capsys.readouterr().out
    assert (
        "valid calibration 'calibration' of scenario 'historical', 1992-2012: 5 parameters" in out
    )
    assert "150 particles, up to 6 generations, 20 replicates per particle" in out


def test_a_bad_experiment_is_the_line_its_command_gives(home: Path, capsys) -> None:
    (home / "bad.toml").write_text(LHS.replace('name = "memory"', 'name = "memroy"'))
    assert main(["validate", "bad.toml"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "levers[0].name: unknown parameter 'memroy'" in err
    assert main(["sweep", "bad.toml", "--out", "o"]) == 2
    assert capsys.readouterr().err == err
    (home / "big.toml").write_text(
        LHS.replace("n = 40", "n = 1000000").replace("replicates = 3", "replicates = 200")
    )
    assert main(["validate", "big.toml"]) == 2
    assert "more than the limit" in capsys.readouterr().err
    (home / "mine.toml").write_text(LHS)
    assert main(["validate", "mine.toml", "--show"]) == 2
    assert "--show: lists a scenario's timeline" in capsys.readouterr().err


def test_a_sobol_n_off_a_power_of_two_is_warned_of_here_too(home: Path, capsys) -> None:
    text = LHS.replace('design = "lhs"', 'design = "sobol"').replace("n = 40", "n = 20")
    (home / "sob.toml").write_text(
        text + '[[uncertainties]]\nname = "hostile_weight"\nlow = 0.2\nhigh = 0.8\n'
    )
    assert main(["validate", "sob.toml"]) == 0
    io = capsys.readouterr()
    assert "valid sweep 'mine'" in io.out and "n = 20: a Sobol design" in io.err


def test_a_sweep_too_big_for_memory_is_refused_as_sweep_refuses_it(
    home: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the message names the memory available, which other programs change between calls
    monkeypatch.setattr("sim.experiments.size.available_memory", lambda: 8 * 2**30)
    text = LHS.replace("n = 40", "n = 200000").replace(
        "replicates = 3", 'replicates = 5\nchunk_size = 100000\ntrajectories = "all"'
    )
    (home / "big.toml").write_text(text)
    assert main(["validate", "big.toml"]) == 2
    err = capsys.readouterr().err
    assert main(["sweep", "big.toml", "--out", "o"]) == 2
    assert capsys.readouterr().err == err and "of memory" in err and err.count("\n") == 1
