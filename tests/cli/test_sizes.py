"""``natosim run --replicates``: sized before it starts, refused naming the figure and the limit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.cli.main import OUT_OF_MEMORY, main
from tests.cli_process import natosim, one_error, snapshot


def test_a_billion_replicates_are_refused_at_once(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["run", "historical", "--replicates", "1000000000"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "natosim: error: --replicates 1000000000: more than the limit of 100,000 replicates; "
        "natosim sweep works in chunks and takes more\n"
    )
    assert not (tmp_path / "runs").exists()


def test_replicates_beyond_the_memory_are_refused_naming_both_figures(tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    # the child's address space is limited to 1.2 GB; 5,000 replicates need several GB
    line = one_error(natosim("run", "historical", "--replicates", "5000", cwd=tmp_path))
    assert line.startswith("natosim: error: --replicates 5000: needs about ")
    assert re.search(r" of memory \([\d,]+ trajectory rows per replicate\), more than the ", line)
    assert line.endswith(
        "available; use fewer replicates (natosim sweep works in chunks and takes more)"
    )
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", ["sweep", "calibrate"])
def test_out_of_memory_advice_names_only_options_the_command_has(command: str) -> None:
    assert "--replicates" not in OUT_OF_MEMORY[command]
