"""A calibration file cannot write where it must not, and a valid one never crashes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.cli.main import main
from tests.cli_process import snapshot
from tests.paths import ROOT

HISTORICAL = (ROOT / "scenarios" / "historical.toml").as_posix()
TINY = """kind = "calibration"
name = "{name}"
scenario = "{scenario}"
{extra}seed = 1
replicates = 1
report_replicates = 2
years = [1991, {end}]
[abc]
particles = 10
generations = 1
[[targets]]
series = "mean_dist_rus_nato_members_all"
observer = "RUS"
target = "NATO"
[[parameters]]
name = "memory"
low = 0.0
high = 0.5
"""


def _write(folder: Path, name: str = "cal", end: int = 2000, extra: str = "") -> Path:
    exp = folder / "experiments" / "cal.toml"
    exp.parent.mkdir(parents=True, exist_ok=True)
    exp.write_text(TINY.format(name=name, scenario=HISTORICAL, end=end, extra=extra))
    return exp


def _refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err.strip()


@pytest.mark.parametrize("name", ["..", ".", ".hidden", "a/b"])
def test_a_name_cannot_make_the_output_folder_escape(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    exp = _write(tmp_path, name=name)
    before = snapshot(tmp_path)
    line = _refused(capsys, "calibrate", str(exp))
    assert line.startswith(f"natosim: error: {exp}: name: {name!r} is not a name: use letters")
    assert snapshot(tmp_path) == before


def test_scenario_out_cannot_overwrite_another_projects_file(tmp_path: Path, capsys) -> None:
    victim = tmp_path / "victim" / "pyproject.toml"
    victim.parent.mkdir()
    victim.write_text("[project]\nname = 'victim'\n")
    project = tmp_path / "proj"
    exp = _write(project, extra='scenario_out = "../../victim/pyproject.toml"\n')
    before = snapshot(tmp_path)
    line = _refused(capsys, "calibrate", str(exp), "--out", str(tmp_path / "out"))
    assert f"{exp}: scenario_out: '../../victim/pyproject.toml' resolves to {victim}" in line
    assert "outside the project folder" in line
    assert snapshot(tmp_path) == before


def test_scenario_out_cannot_escape_through_a_symbolic_link(tmp_path: Path, capsys) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    project = tmp_path / "proj"
    exp = _write(project, extra='scenario_out = "../scenarios/out.toml"\n')
    (project / "scenarios").symlink_to(elsewhere)  # inside by name, outside in fact
    before = snapshot(tmp_path)
    line = _refused(capsys, "calibrate", str(exp), "--out", str(tmp_path / "out"))
    assert f"resolves to {elsewhere / 'out.toml'}, outside the project folder" in line
    assert snapshot(tmp_path) == before


def test_a_fit_ending_before_2004_completes_with_its_report(tmp_path: Path, capsys) -> None:
    exp = _write(tmp_path, end=2000)  # no new members yet: the member-level gap is empty
    out = tmp_path / "out"
    assert main(["calibrate", str(exp), "--out", str(out), "--quiet"]) == 0
    report = json.loads((out / "report.json").read_text())
    assert report["member_level"]["years"] == [2004, 2012]
    assert "## The member-level file: not fitted" in (out / "report.md").read_text()
    assert (out / "historical_cal.toml").is_file()  # <base>_<experiment>, not a bundled name


def test_calibrate_keeps_a_users_out_of_sample_files(tmp_path: Path) -> None:
    exp = _write(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    mine = out / "out_of_sample.png"
    mine.write_bytes(b"the user's own figure")
    assert main(["calibrate", str(exp), "--out", str(out), "--quiet"]) == 0
    assert mine.read_bytes() == b"the user's own figure"
