"""One experiment schema with a kind, one loader, one parameter range class."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cli.main import main
from sim.experiments.calibration.experiment import CalibrationExperiment
from sim.experiments.ranges import ParamRange, within_model
from sim.experiments.schema import SweepExperiment, SweepSpec, kind_of, load_experiment
from tests.paths import ROOT

HISTORICAL = (ROOT / "scenarios" / "historical.toml").as_posix()

SWEEP = f"""name = "tiny"
scenario = "{HISTORICAL}"
design = "grid"
levels = 2

[[levers]]
name = "nrc_share"
low = 0.0
high = 1.0

[[uncertainties]]
name = "hostile_weight"
values = [0.5, 1]
"""


def write(tmp_path: Path, text: str, name: str = "exp.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_kind_defaults_to_sweep_and_is_inferred_for_calibrations() -> None:
    assert kind_of({"design": "grid"}) == "sweep"
    assert kind_of({"targets": []}) == "calibration"
    assert kind_of({"parameters": []}) == "calibration"
    assert kind_of({"kind": "sweep", "parameters": []}) == "sweep"


def test_one_loader_for_both_kinds() -> None:
    sweep = load_experiment(ROOT / "experiments" / "sobol.toml")
    assert isinstance(sweep, SweepExperiment) and sweep.kind == "sweep"
    assert sweep.scenario.name == "historical"
    cal = load_experiment("calibration")  # a bundled name works too
    assert isinstance(cal, CalibrationExperiment) and cal.kind == "calibration"
    assert cal.spec.kind == "calibration"
    assert [r.kind for r in cal.ranges] == ["prior"] * len(cal.ranges)


def test_explicit_sweep_kind_changes_nothing(tmp_path: Path) -> None:
    plain = load_experiment(write(tmp_path, SWEEP, "a.toml"))
    explicit = load_experiment(write(tmp_path, 'kind = "sweep"\n' + SWEEP, "b.toml"))
    assert plain.spec == explicit.spec
    assert plain.spec.digest() == explicit.spec.digest()


def test_ranges_carry_the_kind_of_their_list(tmp_path: Path) -> None:
    spec = load_experiment(write(tmp_path, SWEEP)).spec
    assert isinstance(spec, SweepSpec)
    lever, unc = spec.param_ranges()
    assert (lever.kind, lever.bounds) == ("lever", (0.0, 1.0))
    assert (unc.kind, unc.values) == ("uncertainty", (0.5, 1.0))
    assert all(isinstance(v, float) for v in unc.values)


def test_digest_keeps_the_form_it_had_before_kind(tmp_path: Path) -> None:
    """Resuming a sweep written before ``kind`` existed needs the same digest."""
    canon = load_experiment(write(tmp_path, SWEEP)).spec.canonical()
    assert "kind" not in canon
    assert canon["levers"] == [{"name": "nrc_share", "low": 0.0, "high": 1.0, "values": None}]
    assert canon["uncertainties"][0] == {
        "name": "hostile_weight",
        "low": None,
        "high": None,
        "values": [0.5, 1.0],
    }


@pytest.mark.parametrize(
    ("command", "experiment", "says"),
    [
        ("sweep", "calibration.toml", "natosim calibrate"),
        ("calibrate", "sobol.toml", "natosim sweep"),
    ],
)
def test_each_command_refuses_the_other_kind(
    command: str, experiment: str, says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = ROOT / "experiments" / experiment
    out = tmp_path / "out"
    assert main([command, str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert f"{path}: kind:" in err and says in err
    assert not out.exists()


def test_unknown_kind_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, 'kind = "survey"\n' + SWEEP)
    assert main(["sweep", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert f"{path}: kind:" in err and "survey" in err


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ('kind = "prior"\nname = "nrc_share"\nlow = 0.0\nhigh = 1.0', "levers[0]"),
        ('name = "nrc_share"\nvalues = ["a"]', "levers[0]"),
        ('name = "nrc_share"\nlow = 0.0\nhigh = 1.0\nstep = 2', "levers[0].step"),
    ],
)
def test_bad_range_in_a_file(
    entry: str, field: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = f'name = "x"\nscenario = "{HISTORICAL}"\ndesign = "lhs"\n[[levers]]\n{entry}\n'
    path = write(tmp_path, text)
    assert main(["sweep", str(path), "--out", str(tmp_path / "o")]) == 2
    assert f": {field}:" in capsys.readouterr().err


def test_a_prior_must_be_a_range(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "experiments" / "calibration.toml").read_text()
    text = text.replace('scenario = "historical"', f'scenario = "{HISTORICAL}"')
    text = text.replace('name = "memory"\nlow = 0.0\nhigh = 0.5', 'name = "memory"\nvalues = [0.1]')
    path = write(tmp_path, text)
    assert main(["calibrate", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert ": parameters[2]:" in err and "low and high" in err


def test_within_model_checks_the_declared_range() -> None:
    assert within_model(ParamRange("memory", "prior", 0.0, 0.5)).bounds == (0.0, 0.5)
    with pytest.raises(ValueError, match="unknown parameter 'warp'"):
        within_model(ParamRange("warp", "lever", 0.0, 1.0))
    with pytest.raises(ValueError, match=r"needs 0\.0 <= low < high <= 1\.0"):
        within_model(ParamRange("nrc_share", "lever", 0.0, 2.0))
    with pytest.raises(ValueError, match="outside"):
        within_model(ParamRange("nrc_share", "lever", values=(0.5, 3.0)))
    # The class alone takes any name: designs work for any named input.
    assert ParamRange("x1", "uncertainty", -3.0, 3.0).width == 6.0
