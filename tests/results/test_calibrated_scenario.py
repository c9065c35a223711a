"""The calibrated scenario writer (tomlkit): the shipped file, byte for byte; a valid child."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from sim import load_scenario
from sim.data import locate
from sim.experiments.schema import load_experiment
from sim.results.calibrated_scenario import scenario_toml
from tests.paths import ROOT

SHIPPED = ROOT / "scenarios" / "historical_calibrated.toml"


@pytest.fixture(scope="module")
def exp():
    return load_experiment(ROOT / "experiments" / "calibration.toml")


def shipped_fit(years: tuple[int, int]) -> SimpleNamespace:
    """A fit over ``years`` with the shipped file's numbers (header posterior, point values)."""
    text = SHIPPED.read_text()
    rows = re.findall(r"^#   (\w+) = ([\d.]+) \[([\d.]+), ([\d.]+)\]$", text, flags=re.M)
    summary = pd.DataFrame(
        [(n, float(m), float(lo), float(hi)) for n, m, lo, hi in rows],
        columns=["parameter", "median", "q05", "q95"],
    )
    rule = re.search(r"^# Point values: (.*)\. Do not edit", text, flags=re.M).group(1)
    point = tomllib.loads(text)["parameters"]
    return SimpleNamespace(years=years, point_rule=rule, summary=summary, point=point)


def test_writes_the_shipped_file_byte_for_byte(exp) -> None:
    # the window is the shipped calibration's own (the file names it in its header)
    assert scenario_toml(exp, shipped_fit(exp.spec.years), SHIPPED) == SHIPPED.read_text()


def test_written_elsewhere_it_is_a_valid_child_of_the_base(exp, tmp_path: Path) -> None:
    out = tmp_path / "deep" / "mine.toml"
    out.parent.mkdir()
    out.write_text(scenario_toml(exp, shipped_fit(exp.spec.years), out))
    raw = tomllib.loads(out.read_text())
    # a bundled base outside the file's folder is named, so the file can move
    assert raw["name"] == "mine" and raw["extends"] == "historical"
    moved = tmp_path / "elsewhere" / "mine.toml"
    moved.parent.mkdir()
    moved.write_text(out.read_text())
    assert load_scenario(moved).resolved_parameters() == load_scenario(out).resolved_parameters()
    sc = load_scenario(out)
    assert sc.resolved_parameters()["hostile_weight"] == raw["parameters"]["hostile_weight"]
    assert sc.time == load_scenario("historical").time


def test_a_bundled_base_of_a_wheel_is_extended_by_name(
    exp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(locate, "inside_package", lambda p: True)
    raw = tomllib.loads(scenario_toml(exp, shipped_fit(exp.spec.years), tmp_path / "x.toml"))
    assert raw["extends"] == "historical"
    assert raw["name"] == "x"


def test_a_base_of_ones_own_is_extended_by_a_relative_path(exp, tmp_path: Path) -> None:
    mine = tmp_path / "scenarios" / "base.toml"
    mine.parent.mkdir()
    mine.write_text('name = "base"\nextends = "historical"\n')
    own = dataclasses.replace(exp, scenario_path=mine.resolve())
    out = tmp_path / "fits" / "fitted.toml"
    raw = tomllib.loads(scenario_toml(own, shipped_fit(exp.spec.years), out))
    assert raw["extends"] == "../scenarios/base.toml"
