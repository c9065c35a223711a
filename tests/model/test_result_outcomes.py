"""``RunResult.outcomes``: a run's outcomes in Python, as a sweep records them.

The table has the columns of a sweep's ``runs.parquet`` for the same runs, with
the same values; an outcome the scenario cannot compute is refused in one line.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import InputError, Outcome, run
from sim.cli.main import main
from sim.model.outcomes import OUTCOMES

SWEEP = """name = "o"
scenario = "historical"
design = "grid"
replicates = 3
seed = 8
[[levers]]
name = "nrc_share"
values = [0.1, 0.9]
"""


def test_each_row_of_a_sweep_is_what_its_run_gives(tmp_path: Path) -> None:
    exp = tmp_path / "o.toml"
    exp.write_text(SWEEP)
    out = tmp_path / "sweep"
    assert main(["sweep", str(exp), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    runs = pd.read_parquet(out / "runs.parquet")
    for row in runs.itertuples():
        got = run("historical", seed=int(row.seed), nrc_share=float(row.nrc_share)).outcomes()
        assert list(got.columns) == ["replicate", "seed", *OUTCOMES]
        for name in OUTCOMES:
            assert got[name].iloc[0] == getattr(row, name), name
            assert got[name].dtype == runs[name].dtype, name


def test_the_values_are_those_of_the_trajectories() -> None:
    res = run("historical", seed=5, replicates=6)
    got = res.outcomes(
        "final_trust_rus_nato",
        "year_min_nato_rus",
        Outcome("pol_2008", "RUS", "POL", "at", 2008),
        Outcome("new", "RUS", "new_members", "mean"),
        Outcome("force", action="use_of_force", actor="RUS"),
    )
    assert list(got.replicate) == list(range(6)) and list(got.seed) == res.seeds
    rn, nr = res.series("RUS", "NATO"), res.series("NATO", "RUS")
    assert np.array_equal(got.final_trust_rus_nato, rn[:, -1])
    assert np.array_equal(got.year_min_nato_rus, res.years[nr.argmin(axis=1)])
    assert np.array_equal(got.pol_2008, res.series("RUS", "POL")[:, res.years == 2008][:, 0])
    ev = res.events
    force = ev[(ev.action == "use_of_force") & (ev.actor == "RUS")].groupby("replicate").size()
    assert list(got.force) == [int(force.get(r, 0)) for r in range(6)]
    assert got.force.dtype == np.int64  # an act outcome counts by default
    new = [st for st in res.compiled.states if st.role == "member" and st.tier == "new"]
    assert new and got.new.between(0, 1).all()


@pytest.mark.parametrize(
    ("items", "says"),
    [
        (("final_trust",), "unknown outcome 'final_trust'"),
        (("crises", "crises"), "'crises' is asked for twice"),
        ((Outcome("seed", "RUS", "POL"),), "'seed' would clash with the column"),
        ((Outcome("x", "RUS", "ZZZ"),), "'x': unknown actor 'ZZZ'"),
        ((Outcome("x", "RUS", "POL", "at", 1950),), "year 1950 is outside the reported years"),
        ((Outcome("x", "RUS", "POL", "at"),), 'year goes with stat = "at"'),
        ((Outcome("x", "RUS", "POL", "median"),), "unknown statistic 'median'"),
        ((Outcome("x", action="use_of_force", actor="USA"),), "USA never takes use_of_force"),
        ((Outcome("x", action="reset", stat="mean"),), "stat of acts must be one of"),
        ((Outcome("x", function="nosuchmod:f"),), "No module named 'nosuchmod'"),
        ((Outcome("x y", "RUS", "POL"),), "must be letters, digits and _"),
        ((Outcome("trust_é", "RUS", "POL"),), "must be letters, digits and _"),  # as a file's
        ((Outcome("x" * 81, "RUS", "POL"),), "at most 80 characters"),
        ((Outcome("x", function="math:sqrt", actor="USA"),), "either function or observer"),
        ((7,), "expected a built-in name or an Outcome, got int"),
        # fields that do not go together, refused as an experiment file's are
        ((Outcome("d", "USA", action="bilateral_deal"),), "not observer or year"),
        ((Outcome("d", action="bilateral_deal", actor="USA", year=2008),), "not observer"),
        ((Outcome("crises", "RUS", "POL", "final"),), "'crises' is a built-in outcome"),
        ((Outcome("x", "RUS", "POL", function="math:sqrt"),), "either function or observer"),
        ((Outcome("x", function="math:sqrt", year=2000),), "either function or observer"),
        ((Outcome("x", "RUS", "NATO", actor="USA"),), "needs the action counted"),
        # a function that fails on the run's trust names itself and its error
        ((Outcome("x", function="math:sqrt"),), "'x': math:sqrt failed (TypeError: "),
    ],
)
def test_an_outcome_it_cannot_compute_is_one_line(items: tuple, says: str) -> None:
    res = run("historical", seed=1, replicates=2)
    with pytest.raises(InputError) as e:
        res.outcomes(*items)
    assert says in str(e.value) and "\n" not in str(e.value), str(e.value)
    assert str(e.value).startswith("outcomes: ")


def test_a_pair_the_scenario_does_not_track_is_refused() -> None:
    res = run("historical", seed=1, replicates=1)
    with pytest.raises(InputError, match="the model does not track it"):
        res.outcomes(Outcome("x", "NATO", "BEL"))


def test_a_built_in_outcome_passed_as_its_object_is_itself() -> None:
    from sim.model.outcomes import BUILTIN

    res = run("historical", seed=1, replicates=2)
    got = res.outcomes(BUILTIN["crises"], "final_trust_rus_nato")
    assert got.equals(res.outcomes("crises", "final_trust_rus_nato"))


def test_a_failing_function_outcome_keeps_its_error_as_the_cause() -> None:
    res = run("historical", seed=1, replicates=2)
    with pytest.raises(InputError) as e:
        res.outcomes(Outcome("x", function="math:sqrt"))
    assert isinstance(e.value.__cause__, TypeError)  # the user's own traceback is kept


def test_a_function_outcomes_own_value_error_is_named_with_its_cause() -> None:
    res = run("historical", seed=1, replicates=2)
    with pytest.raises(InputError) as e:
        res.outcomes(Outcome("mine", function="tests.model.test_result_outcomes:_fails"))
    text = str(e.value)
    assert text.startswith("outcomes: 'mine': tests.model.test_result_outcomes:_fails failed")
    assert "(ValueError: my own bug)" in text and "\n" not in text
    assert isinstance(e.value.__cause__, ValueError)
    with pytest.raises(InputError, match=r"returned shape \(3,\), expected \(2,\)"):
        res.outcomes(Outcome("three", function="tests.model.test_result_outcomes:_three"))


def _fails(view) -> np.ndarray:
    raise ValueError("my own bug")


def _three(view) -> np.ndarray:
    return np.zeros(3)


def test_a_list_or_a_files_tables_are_taken_as_the_outcomes() -> None:
    res = run("historical", seed=1, replicates=2)
    want = res.outcomes("crises", Outcome("rp", "RUS", "POL", "at", 2008))
    table = {"name": "rp", "observer": "RUS", "target": "POL", "stat": "at", "year": 2008}
    assert res.outcomes(["crises", table]).equals(want)
    assert res.outcomes(("crises", Outcome("rp", "RUS", "POL", "at", 2008))).equals(want)
    deals = res.outcomes({"name": "d", "action": "bilateral_deal", "actor": "USA"})
    assert (
        deals.d.tolist()
        == res.outcomes(Outcome("d", action="bilateral_deal", actor="USA")).d.tolist()
    )
    with pytest.raises(
        InputError, match=r"outcomes: unknown key 'observr' \(did you mean 'observer'"
    ):
        res.outcomes({"name": "x", "observr": "RUS", "target": "POL"})
    with pytest.raises(InputError, match="outcomes: a table needs a name"):
        res.outcomes({"observer": "RUS", "target": "POL"})
    # refused as an experiment file's tables are
    for table, says in (
        ({"name": "x", "observer": "RUS", "target": "POL"}, "'x' needs stat"),
        ({"name": "x", "target": "POL", "stat": None}, "'x' needs observer, stat"),
        ({"name": "x", "observer": "RUS", "target": "POL", "stat": ["final"]}, "stat must be"),
        ({"name": "x", "observer": "RUS", "target": "POL", "stat": "at", "year": "2008"},
         "year must be a whole number, got '2008'"),
    ):  # fmt: skip
        with pytest.raises(InputError) as e:
            res.outcomes(table)
        assert says in str(e.value), str(e.value)
    with pytest.raises(InputError, match="the list is empty"):
        res.outcomes([])


def test_a_pair_the_run_does_not_have_gets_a_hint() -> None:
    res = run("historical", seed=1, replicates=1)
    with pytest.raises(
        KeyError, match=r"no trust NAT0 -> RUS in this scenario \(did you mean 'NATO'"
    ):
        res.median("NAT0", "RUS")
    with pytest.raises(KeyError, match=r"NATO's trust in: "):
        res.series("NATO", "BEL")
