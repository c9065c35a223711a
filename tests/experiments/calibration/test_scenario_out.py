"""Where the calibrated scenario goes: never outside the project, never into the package."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cli.main import main
from sim.data import locate
from sim.experiments.schema import load_experiment
from tests.paths import ROOT

HISTORICAL = (ROOT / "scenarios" / "historical.toml").as_posix()


def project(tmp_path: Path, scenario_out: str | None) -> Path:
    """A project folder with ``experiments/cal.toml`` (the bundled calibration, adapted)."""
    text = (ROOT / "experiments" / "calibration.toml").read_text()
    text = text.replace('scenario = "historical"', f'scenario = "{HISTORICAL}"')
    line = 'scenario_out = "../scenarios/historical_calibrated.toml"\n'
    text = text.replace(line, "" if scenario_out is None else f'scenario_out = "{scenario_out}"\n')
    exp = tmp_path / "proj" / "experiments" / "cal.toml"
    exp.parent.mkdir(parents=True)
    (tmp_path / "proj" / "scenarios").mkdir()
    exp.write_text(text)
    return exp


def test_inside_the_project_is_relative_to_the_file(tmp_path: Path) -> None:
    exp = load_experiment(project(tmp_path, "../scenarios/mine.toml"))
    want = (tmp_path / "proj" / "scenarios" / "mine.toml").resolve()
    assert exp.scenario_out == want
    assert exp.scenario_target(tmp_path / "out") == want


def test_without_scenario_out_it_goes_into_out(tmp_path: Path) -> None:
    exp = load_experiment(project(tmp_path, None))
    assert exp.scenario_out is None
    # named for the base and the experiment: not the bundled historical_calibrated
    assert exp.scenario_target(tmp_path / "out") == tmp_path / "out" / "historical_calibration.toml"


def test_command_line_may_point_anywhere(tmp_path: Path) -> None:
    elsewhere = tmp_path / "far" / "away.toml"
    exp = load_experiment(project(tmp_path, "../../outside.toml"), scenario_out=elsewhere)
    assert exp.scenario_target(tmp_path / "out") == elsewhere


def test_a_bundled_experiment_of_a_wheel_writes_into_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In site-packages ``../scenarios/`` is inside the package: write into --out instead."""
    path = project(tmp_path, "../scenarios/historical_calibrated.toml")
    monkeypatch.setattr(locate, "inside_package", lambda p: Path(p).resolve() == path.resolve())
    exp = load_experiment(path)
    assert exp.scenario_out is None
    assert exp.scenario_target(tmp_path / "out") == tmp_path / "out" / "historical_calibrated.toml"


def test_inside_package_tells_the_checkout_from_the_package() -> None:
    assert not locate.inside_package(ROOT / "experiments" / "calibration.toml")
    assert locate.inside_package(Path(locate.__file__))


@pytest.mark.parametrize(
    ("scenario_out", "says"),
    [
        ("../../outside.toml", "outside the project folder"),
        ("/tmp/absolute.toml", "outside the project folder"),
        ("cal.toml", "would overwrite the experiment file"),
        ("../scenarios/mine.yaml", "must be a .toml file"),
    ],
)
def test_scenario_out_leaving_the_project_is_refused(
    scenario_out: str, says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exp = project(tmp_path, scenario_out)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    out = tmp_path / "out"
    assert main(["calibrate", str(exp), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert f"{exp}: scenario_out:" in err and says in err
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_scenario_out_must_not_be_the_experiment_file_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exp = project(tmp_path, None)
    assert main(["calibrate", str(exp), "--scenario-out", str(exp)]) == 2
    assert "--scenario-out: would overwrite the experiment file" in capsys.readouterr().err
