"""A value for the whole run is refused for a parameter the scenario changes from a year on.

``nrc_rejuvenated_2013`` sets ``nrc_share`` and ``sg_entrepreneurship`` from
2013. A ``--set``, a sweep's lever or uncertainty, or a calibration prior of
either would hold only until 2012 while the run, the manifest and
``runs.parquet`` report it as the run's value; each is refused in one line
(exit 2, nothing written), and the page leaves out their sliders. Parameters
the scenario does not change are set as before.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim import run
from sim.cli.main import main
from sim.files.errors import InputError
from sim.model import params as P
from sim.model.compile import compile_scenario
from sim.model.resolve import load_scenario
from sim.model.state import init_state, retune
from sim.web import adapter, views
from tests.cli_process import snapshot

SCENARIO = "nrc_rejuvenated_2013"
WHY = (
    "scenario 'nrc_rejuvenated_2013' changes nrc_share from 2013 ([[parameter_changes]]), so a "
    "value for the whole run would not hold from then"
)


def _refused(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    before = snapshot(home)
    assert main([*args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert snapshot(home) == before
    return err.strip()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_run_refuses_an_override_the_scenario_changes_later() -> None:
    with pytest.raises(InputError, match=r"parameter override nrc_share: scenario"):
        run(SCENARIO, nrc_share=0.1)
    assert run(SCENARIO, memory=0.2).parameters["memory"] == 0.2  # not changed by the scenario


def test_set_is_refused(home: Path, capsys) -> None:
    err = _refused(home, capsys, "run", SCENARIO, "--set", "nrc_share=0", "--out", "r")
    assert err == f"natosim: error: --set nrc_share: {WHY}; set it in a scenario without that " + (
        "change (or extend the scenario and change it from a year of your own)"
    )


SWEEP = """name = "s"
scenario = "nrc_rejuvenated_2013"
design = "grid"
replicates = 2
[[levers]]
name = "memory"
values = [0.1, 0.2]
[[{kind}]]
name = "nrc_share"
values = [0.0, 1.0]
"""


@pytest.mark.parametrize(
    ("kind", "field"), [("levers", "levers[1]"), ("uncertainties", "uncertainties[0]")]
)
def test_a_sweep_of_it_is_refused(home: Path, capsys, kind: str, field: str) -> None:
    (home / "s.toml").write_text(SWEEP.format(kind=kind))
    err = _refused(home, capsys, "sweep", "s.toml", "--out", "o")
    assert err.startswith(f"natosim: error: {home / 's.toml'}: {field}.name: {WHY}")


def test_a_calibration_prior_of_it_is_refused(home: Path, capsys) -> None:
    (home / "c.toml").write_text(
        'kind = "calibration"\nname = "c"\nscenario = "nrc_rejuvenated_2013"\nreplicates = 2\n'
        "years = [1992, 2012]\n"
        '[[targets]]\nseries = "dist_rus_usa_all"\nobserver = "RUS"\ntarget = "USA"\n'
        '[[parameters]]\nname = "memory"\nlow = 0.0\nhigh = 0.5\n'
        '[[parameters]]\nname = "nrc_share"\nlow = 0.0\nhigh = 1.0\n'
    )
    err = _refused(home, capsys, "calibrate", "c.toml", "--out", "o")
    assert err.startswith(f"natosim: error: {home / 'c.toml'}: parameters[1].name: {WHY}")


def test_the_page_has_no_slider_for_it_and_says_why() -> None:
    choices = adapter.scenario_choices()[0]
    params = adapter.model_params(choices[SCENARIO])
    assert "nrc_share" not in params and "sg_entrepreneurship" not in params
    assert "nato_globalism" in params and "random_shocks" in params
    assert "nrc_share" in adapter.model_params(choices["projection_2030"])
    sliders = {k: v.value for k, v in params.items() if hasattr(v, "value") and k != "seed"}
    m = adapter.AppModel(str(choices[SCENARIO].path), seed="3", **sliders)  # what Reset passes
    assert "nrc_share from 2013, sg_entrepreneurship from 2013: those have no slider" in (
        views.readout_html(m)
    )
    assert "no slider" not in views.readout_html(adapter.initial_model(choices["projection_2030"]))


def test_a_first_year_change_of_assertiveness_is_the_value_itself() -> None:
    sc = load_scenario(
        {
            "name": "a",
            "extends": "historical",
            "parameters": {"rus_assertiveness": 0.3},
            "parameter_changes": [{"year": 1991, "parameters": {"rus_assertiveness": -2.0}}],
        }
    )
    comp = compile_scenario(sc)
    prm = P.param_arrays([sc.resolved_parameters()] * 2)
    st = init_state(comp, prm)
    retune(comp, prm, st, np.full((2, len(comp.question_entries)), 0.5))
    assert st.assertive.tolist() == [-2.0, -2.0]  # not 0.3 + (-2.0 - 0.3)


def test_the_python_api_refuses_it_too() -> None:
    from sim.experiments.plan import plan
    from sim.experiments.schema import SweepSpec

    spec = SweepSpec(
        name="api",
        scenario=SCENARIO,
        design="grid",
        levers=[{"name": "nrc_share", "values": [0.0, 1.0]}],
    )
    with pytest.raises(
        InputError, match=r"api: levers\[0\]\.name: scenario 'nrc_rejuvenated_2013'"
    ):
        plan(spec, load_scenario(SCENARIO))
