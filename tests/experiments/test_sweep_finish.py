"""A finished sweep drops its parts; a rerun computes nothing; a resume says what it resumed.

The merged ``runs.parquet`` and ``trajectories.parquet`` hold every row, so the
parts would only double the disk a sweep takes. What stays is the folder's
identity and ``.parts/finished.json``, so the same command again keeps the
files, computes nothing and says so; with a merged file deleted it computes the
sweep again, to the same bytes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cli.main import main
from sim.files import parts
from tests.experiments.test_sweep_folder import SMALL

EXPERIMENT = SMALL.format(n=10, seed=3)  # 20 runs in five chunks of 4


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "small.toml").write_text(EXPERIMENT)
    return tmp_path


def _sweep(capsys: pytest.CaptureFixture[str], out: str = "out") -> str:
    assert main(["sweep", "small.toml", "--out", out, "--workers", "1"]) == 0
    return capsys.readouterr().out


def _merged(out: Path) -> dict[str, bytes]:
    return {n: (out / f"{n}.parquet").read_bytes() for n in ("runs", "trajectories")}


def test_a_finished_sweep_keeps_its_merged_files_and_drops_its_parts(home: Path, capsys) -> None:
    said = _sweep(capsys)
    out = home / "out"
    assert said.startswith("small: 20 runs (10 points x 2 replicates) in ")
    assert not list((out / ".parts").rglob("*.parquet"))
    assert (out / ".parts" / "finished.json").is_file()
    assert (out / ".parts" / "identity.json").is_file()
    first = _merged(out)
    again = _sweep(capsys)
    assert again.splitlines()[0] == (
        "small: 20 runs (10 points x 2 replicates), all already in out: none computed"
    )
    assert "  kept out/runs.parquet" in again
    assert _merged(out) == first
    (out / "runs.parquet").unlink()  # a merged file gone: the sweep is computed again
    assert "in " in _sweep(capsys).splitlines()[0]
    assert _merged(out) == first


def test_a_finished_folder_keeps_its_identity_through_a_rerun(home: Path, capsys) -> None:
    """identity.json deleted by hand is written again, so the folder stays recognised."""
    out = home / "out"
    _sweep(capsys)
    first = _merged(out)
    (out / ".parts" / "identity.json").unlink()
    assert "none computed" in _sweep(capsys)
    assert (out / ".parts" / "identity.json").is_file()
    (out / "manifest.json").unlink()
    assert "none computed" in _sweep(capsys)  # recognised by its identity
    assert _merged(out) == first


def test_a_resumed_sweep_says_how_many_runs_it_found(
    home: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as m:  # as a sweep killed before its merge leaves its parts
        m.setattr(parts.PartStore, "compact", lambda self, n: None)
        _sweep(capsys, "whole")
        _sweep(capsys, "cut")
    whole, cut = home / "whole", home / "cut"
    for name in ("runs", "trajectories"):  # chunks 0 and 1 stored (8 runs), 2-4 lost
        (cut / f"{name}.parquet").unlink()
        for c in (2, 3, 4):
            (cut / ".parts" / name / f"{c:08d}.parquet").unlink()
    said = _sweep(capsys, "cut").splitlines()[0]
    assert said.startswith(
        "small: 20 runs (10 points x 2 replicates): 8 resumed from cut, 12 computed in "
    )
    assert _merged(cut) == _merged(whole)


SOBOL = """
name = "sob"
scenario = "historical"
design = "sobol"
n = {n}
replicates = 1
[[levers]]
name = "nrc_share"
low = 0.0
high = 1.0
[[uncertainties]]
name = "memory"
low = 0.05
high = 0.3
"""


@pytest.mark.parametrize(("n", "warned"), [(20, "(16 or 32)"), (16, None)])
def test_a_sobol_n_off_a_power_of_two_is_warned_of(
    home: Path, capsys, n: int, warned: str | None
) -> None:
    (home / "sob.toml").write_text(SOBOL.format(n=n))
    assert main(["sweep", "sob.toml", "--out", "o", "--workers", "1", "--quiet"]) == 0
    err = capsys.readouterr().err
    if warned is None:
        assert err == ""
    else:
        assert err.count("\n") == 1 and err.startswith(
            f"natosim: warning: {home / 'sob.toml'}: n = 20: "
        )
        assert warned in err
