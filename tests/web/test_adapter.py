"""The page's model adapter: the controls give the same run as ``natosim run``."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from sim import run
from sim.data.locate import scenarios_dir
from sim.model import params as P
from sim.web import adapter as app


def _play(model: app.AppModel) -> app.AppModel:
    while model.running:
        model.step()
    return model


@pytest.fixture(scope="module")
def choices() -> dict[str, app.ScenarioChoice]:
    return app.scenario_choices()[0]


def test_initial_model_equals_run(choices) -> None:
    m = _play(app.initial_model(choices["historical"]))
    df = m.datacollector.get_model_vars_dataframe()
    res = run("historical")
    assert m.seed == 1991
    assert np.array_equal(df.trust_rus_nato.to_numpy(), res.series("RUS", "NATO")[0])
    assert np.array_equal(df.trust_nato_rus.to_numpy(), res.series("NATO", "RUS")[0])


def test_controls_map_to_run_arguments() -> None:
    m = _play(
        app.AppModel(
            scenario_file=str(scenarios_dir() / "no_kosovo.toml"),
            seed=" 42 ",
            random_shocks=False,
            feedback=False,
            nrc_share=0.9,
            sg_entrepreneurship=0.3,  # the default: not a change
        )
    )
    res = run("no_kosovo", seed=42, nrc_share=0.9, noise=0.0, trust_sensitivity=0.0)
    df = m.datacollector.get_model_vars_dataframe()
    assert np.array_equal(df.trust_rus_nato.to_numpy(), res.series("RUS", "NATO")[0])
    assert m.changed_parameters() == {"nrc_share": 0.9, "noise": 0.0, "trust_sensitivity": 0.0}
    assert m.run_command().startswith(
        "natosim run no_kosovo --seed 42 --set nrc_share=0.9 --set trust_sensitivity=0.0 "
        "--set noise=0.0 --out runs/no_kosovo_seed42_"
    )
    assert len(m.run_command().rpartition("_")[2]) == 6  # a digest of the settings
    plain = app.AppModel(scenario_file=str(scenarios_dir() / "historical.toml"), seed="7")
    assert plain.run_command() == "natosim run historical --seed 7 --out runs/historical_seed7"


def test_mesa_reset_arguments_are_accepted(choices) -> None:
    """Mesa's Reset passes every control plus its own ``scenario`` object."""
    from mesa.experimental.scenarios import Scenario as MesaScenario

    params = app.model_params(choices["historical"])
    kwargs = {k: (v.value if hasattr(v, "value") else v) for k, v in params.items()}
    kwargs = {k: (v["value"] if isinstance(v, dict) else v) for k, v in kwargs.items()}
    m = app.AppModel(**kwargs, scenario=MesaScenario())
    assert m.parameters == choices["historical"].scenario.resolved_parameters()
    assert m.seed == 1991


@pytest.mark.parametrize(
    ("text", "seed", "noted"),
    [("", 1991, False), (None, 1991, False), ("7", 7, False), (8, 8, False),
     ("x1", 1991, True), ("-3", 1991, True), (str(2**63), 1991, True)],
)  # fmt: skip
def test_parse_seed(text, seed, noted) -> None:
    value, note = app.parse_seed(text, 1991)
    assert value == seed
    assert bool(note) == noted


def test_sliders_start_at_the_scenario_values(choices) -> None:
    params = app.model_params(choices["nrc_rejuvenated"])
    own = choices["nrc_rejuvenated"].scenario.resolved_parameters()
    assert own["nrc_share"] != P.DEFAULTS["nrc_share"]  # the scenario sets its own
    for name, *_ in app.SLIDERS:
        assert params[name].value == own[name]
    assert params["seed"]["value"] == str(choices["nrc_rejuvenated"].scenario.seed)
    levers = [name for name, _, _ in app.SLIDERS[:3]]
    assert levers == ["sg_entrepreneurship", "nrc_share", "nato_globalism"]
    for name, *_ in app.SLIDERS:
        s = params[name]
        n = (s.value - s.min) / s.step
        assert abs(n - round(n)) < 1e-9, name  # the value lies on the slider's grid


def test_stepping_past_the_end_is_harmless(choices) -> None:
    m = _play(app.initial_model(choices["historical"]))
    rows = len(m.datacollector.get_model_vars_dataframe())
    m.step()  # Mesa's render interval can ask for more steps than remain
    assert len(m.datacollector.get_model_vars_dataframe()) == rows


def test_a_step_waits_while_the_page_reads_the_model(choices) -> None:
    """Mesa plays in its own thread: a step cannot run while a panel holds the lock."""
    m = app.initial_model(choices["historical"])
    stepper = threading.Thread(target=m.step)
    with m.lock:  # as a panel does while it draws
        stepper.start()
        stepper.join(0.5)
        assert stepper.is_alive()
        assert m.state.t == 0
        assert m.datacollector.get_model_vars_dataframe().empty
    stepper.join()
    assert m.state.t == 1
    m.step()  # the lock is re-entrant and free again
    assert m.state.t == 2


def test_given_scenario_outside_the_folder_is_offered(tmp_path) -> None:
    own = tmp_path / "mine.toml"
    own.write_text(f'extends = "{scenarios_dir() / "historical.toml"}"\nname = "mine"\n')
    choices, first = app.scenario_choices(str(own))
    assert first == "mine.toml"
    assert choices[first].path == own.resolve()
    assert "historical" in choices
    _, first = app.scenario_choices("no_kosovo")
    assert first == "no_kosovo"


def test_pending_names_the_controls_reset_would_change() -> None:
    m = app.AppModel(scenario_file=str(scenarios_dir() / "historical.toml"), seed="5")
    same = {"scenario_file": "x", "seed": " 5 ", "random_shocks": True, "feedback": True}
    same |= {name: m.parameters[name] for name, _, _ in app.SLIDERS}
    assert m.pending(same) == []
    moved = same | {"seed": "6", "feedback": False, "nrc_share": 0.9}
    labels = {n: lab for n, lab, _ in app.SLIDERS}
    assert m.pending(moved) == [
        "the seed",
        "Trust steers the next moves",
        labels["nrc_share"],
    ]
    from sim.web.pending import pending_html

    assert pending_html([]) == ""
    assert "Not applied yet: the seed; Trust" in pending_html(m.pending(moved))
