"""The Python API checks what a notebook hands it, as the files and the command line are.

A scenario object built or changed in Python, a seed or a replicate count of
the wrong kind, numpy's scalars from a DataFrame row, an outcome function the
workers cannot import: each gets one clear ``InputError`` before anything runs,
or is taken as the plain value it stands for.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim import DiplomacyModel, load_scenario, run
from sim.experiments.schema import SweepSpec, sweep_experiment
from sim.experiments.sweep import plan
from sim.files.errors import InputError
from sim.model.scenario import EventSpec
from tests.paths import ROOT


def test_a_scenario_changed_in_python_is_checked_as_its_file_would_be() -> None:
    h = load_scenario("historical")
    assert load_scenario(h) is h  # one already checked is not checked again
    bad_act = EventSpec(year=2006, actor="POL", action="enlargement_wave", target="RUS")
    with pytest.raises(InputError, match="RUS is Russia, an actor of its own"):
        run(h.model_copy(update={"events": (*h.events, bad_act)}))
    with pytest.raises(InputError, match="did you mean 'nrc_share'"):
        run(h.model_copy(update={"parameters": {"nrc_shar": 0.9}}))
    fine = h.model_copy(update={"parameters": {**h.parameters, "nrc_share": 0.9}})
    assert run(fine).parameters["nrc_share"] == 0.9


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"seed": "42"}, "seed: must be a whole number, got '42'"),
        ({"seed": 1.7}, "seed: must be a whole number"),
        ({"seed": True}, "seed: must be a whole number"),
        ({"seed": -5}, "seed: must be from 0 to 2**63-1"),
        ({"seed": 2**70}, "seed: must be from 0 to 2**63-1"),
        ({"replicates": 2.5}, "replicates: must be a whole number"),
        ({"replicates": 0}, "replicates: must be from 1 to 100,000, got 0"),
        ({"seed": 1e17}, "seed: got the float 1e+17, which may have lost digits: pass an int"),
        ({"seed": float("nan")}, "seed: must be a whole number, got nan"),
        ({"replicates": 10**7}, "more than the limit"),
    ],
)
def test_a_seed_or_replicates_of_the_wrong_kind_is_refused(kwargs, words) -> None:
    with pytest.raises(InputError) as e:
        run("historical", **kwargs)
    assert words in str(e.value)


def test_a_whole_float_seed_from_a_dataframe_row_is_its_int() -> None:
    import pandas as pd

    row = pd.DataFrame({"seed": [4244773964052561], "x": [0.5]}).iloc[0]  # mixed: floats
    assert isinstance(row["seed"], np.floating)
    a = run("historical", seed=row["seed"], replicates=2.0)
    b = run("historical", seed=4244773964052561, replicates=2)
    assert a.seeds == b.seeds and np.array_equal(a.arrays.trust, b.arrays.trust)


def test_a_scenario_of_the_wrong_type_is_one_line() -> None:
    with pytest.raises(InputError, match="scenario: expected a bundled name, a file path, a dict"):
        run(123)


def test_a_dicts_mistyped_key_carries_no_pydantic_error() -> None:
    with pytest.raises(InputError) as e:
        run({"extends": "historical", "remov": []})
    assert "remov: unknown key 'remov' (did you mean 'remove'?)" in str(e.value)
    assert e.value.__context__ is None and e.value.__cause__ is None  # one error, not two


def test_numpy_scalars_are_their_plain_values() -> None:
    a = run("historical", seed=np.int64(5), replicates=np.int64(2))
    b = run("historical", seed=5, replicates=2)
    assert a.seeds == b.seeds and np.array_equal(a.arrays.trust, b.arrays.trust)
    row = {"year": np.int64(2006), "actor": "NATO", "action": "nrc_engagement", "target": "RUS"}
    s = load_scenario({"name": "x", "extends": "historical", "seed": np.int64(5), "events": [row]})
    assert s.seed == 5 and s.events[-1].year == 2006


def test_a_result_prints_as_one_line() -> None:
    r = run("historical", seed=7, replicates=3)
    assert repr(r) == "<RunResult 'historical': 3 replicate(s), 1991-2012, seed 7>"
    assert r == r and r != run("historical", seed=7, replicates=3)  # by identity


def test_the_mesa_model_names_its_seed_rng() -> None:
    with pytest.raises(InputError, match="rng="):
        DiplomacyModel("historical", seed=3)


@pytest.mark.parametrize(
    ("function", "words"),
    [
        ("nosuchmod:gap", "No module named 'nosuchmod'"),
        ("tests.model.test_api_inputs:nothing_here", "has no attribute"),
    ],
)
def test_an_outcome_function_is_imported_before_any_run(function, words) -> None:
    with pytest.raises(InputError) as e:
        plan(sweep_experiment(_spec(function)))
    assert "f: outcome 'g'" in str(e.value) and words in str(e.value)


def _spec(function: str) -> SweepSpec:
    return SweepSpec(
        name="f",
        scenario="historical",
        design="grid",
        replicates=1,
        outcomes=({"name": "g", "function": function},),
    )


def test_a_notebooks_function_is_refused_for_worker_processes_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    import sys
    import types

    from sim.experiments.sweep import sweep

    notebook = types.ModuleType("__main__")  # a kernel's __main__: no file behind it
    notebook.gap = lambda view: view.series("RUS", "NATO")[:, -1]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "__main__", notebook)
    pl = plan(sweep_experiment(_spec("__main__:gap")))
    with pytest.raises(InputError, match="defined in a notebook or at the prompt"):
        sweep(pl, tmp_path / "pool", workers=2, progress=False)
    assert not (tmp_path / "pool").exists()  # refused before the folder is made
    files = sweep(pl, tmp_path / "serial", workers=1, progress=False)  # in this process
    assert len(pd.read_parquet(files["runs"])) == 1


def test_a_copy_of_a_shorter_child_keeps_its_parents_later_entries_out(tmp_path) -> None:
    from sim.model import resolve as R

    p = tmp_path / "short.toml"
    p.write_text('name = "short"\nextends = "historical"\n[time]\nstart = 1991\nend = 2005\n')
    sc = load_scenario(p)  # the parent's shocks after 2005 drop out
    copy = load_scenario(sc.model_copy(update={"seed": 9}))
    assert copy.seed == 9 and copy.shocks == sc.shocks
    R._VALIDATED.clear()  # as in a fresh process that got the object pickled
    assert load_scenario(sc) == sc
    assert run(sc.model_copy(update={"seed": 9})).arrays.trust.shape[1] == 15


def test_numpy_scalars_put_in_by_model_copy_are_their_values() -> None:
    h = load_scenario("historical")
    s = load_scenario(
        h.model_copy(update={"seed": np.int64(5), "parameters": {"memory": np.float32(0.25)}})
    )
    assert s.seed == 5 and type(s.seed) is int and s.parameters == {"memory": 0.25}


def test_a_scenario_prints_as_one_line() -> None:
    assert repr(load_scenario("no_kosovo")) == (
        "<Scenario 'no_kosovo': 1991-2012, the timeline, 14 shocks, 3 removed, seed 1991>"
    )
    assert repr(load_scenario("hindcast")).startswith("<Scenario 'hindcast': 1991-2012, 0 events")


def test_the_mesa_models_rng_is_checked_as_a_seed() -> None:
    with pytest.raises(InputError, match="rng: must be a whole number, got '3'"):
        DiplomacyModel("historical", rng="3")
    a, b = DiplomacyModel("historical", rng=3.0), DiplomacyModel("historical", rng=3)
    a.step(), b.step()
    assert a.trust_now.tolist() == b.trust_now.tolist()


def test_a_path_like_or_a_mapping_is_a_scenario() -> None:
    import types

    class Where:
        def __fspath__(self) -> str:
            return str(ROOT / "scenarios" / "historical.toml")

    assert load_scenario(Where()).name == "historical"
    view = types.MappingProxyType({"extends": "historical", "name": "mine"})
    assert load_scenario(view).name == "mine"
    assert str(load_scenario("historical")) == repr(load_scenario("historical"))
