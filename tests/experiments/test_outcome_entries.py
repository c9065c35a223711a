"""The outcomes of an experiment file: names, tables, checks against the scenario, digests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim import run
from sim.cli.main import main
from sim.experiments.schema import SweepSpec, load_experiment, sweep_experiment
from sim.experiments.sweep import plan, sweep
from sim.model import outcomes as O
from tests.paths import ROOT

HISTORICAL = (ROOT / "scenarios" / "historical.toml").as_posix()
HEAD = f'name = "oc"\nscenario = "{HISTORICAL}"\ndesign = "grid"\nreplicates = 2\nseed = 2\n'
LEVER = '[[levers]]\nname = "nrc_share"\nvalues = [0.0, 1.0]\n'


def _write(tmp_path: Path, outcomes: str, head: str = HEAD) -> Path:
    p = tmp_path / "oc.toml"
    p.write_text(f"{head}outcomes = {outcomes}\n{LEVER}", encoding="utf-8")
    return p


def test_declared_outcomes_are_columns_of_the_runs_table(tmp_path: Path) -> None:
    p = _write(
        tmp_path,
        '["crises", { name = "rus_pol_final", observer = "RUS", target = "POL", stat = "final" },'
        ' { name = "new_2008", observer = "new_members", target = "RUS", stat = "at",'
        " year = 2008 }]",
    )
    loaded = load_experiment(p)
    paths = sweep(plan(loaded), tmp_path / "o", progress=False, workers=1)
    runs = pd.read_parquet(paths["runs"])
    assert list(runs.columns) == [
        "run_id", "point_id", "replicate", "seed", "nrc_share", "crises", "rus_pol_final", "new_2008"
    ]  # fmt: skip
    assert runs.crises.dtype == "int64" and runs.rus_pol_final.dtype == "float64"
    row = runs.iloc[3]
    res = run(HISTORICAL, seed=int(row.seed), nrc_share=float(row.nrc_share))
    assert row.rus_pol_final == res.series("RUS", "POL")[0, -1]
    assert row.crises == O.compute(res.compiled, res.arrays.trust, ["crises"])["crises"][0]


BAD = {
    "unknown name": (
        '["final_trust_rus_usa"]',
        "outcomes[0]",
        "unknown outcome 'final_trust_rus_usa'",
    ),
    "untracked pair": (
        '[{ name = "x", observer = "NATO", target = "POL", stat = "final" }]',
        "outcomes[0]",
        "no trust NATO -> POL in this scenario",
    ),
    "two groups": (
        '[{ name = "x", observer = "old_members", target = "new_members", stat = "final" }]',
        "outcomes[0]",
        "at most one side may be a group",
    ),
    "unknown actor": (
        '[{ name = "x", observer = "RUS", target = "ATL", stat = "final" }]',
        "outcomes[0]",
        "unknown actor 'ATL'",
    ),
    "bad stat": (
        '[{ name = "x", observer = "RUS", target = "POL", stat = "median" }]',
        "outcomes[0].stat",
        "final",
    ),
    "at without year": (
        '[{ name = "x", observer = "RUS", target = "POL", stat = "at" }]',
        "outcomes[0]",
        "year",
    ),
    "year outside": (
        '[{ name = "x", observer = "RUS", target = "POL", stat = "at", year = 2020 }]',
        "outcomes[0]",
        "outside the reported years 1991-2012",
    ),
    "function in a file": ('[{ name = "x", function = "os:getcwd" }]', "outcomes[0]", "Python API"),
    "twice": ('["crises", "crises"]', "outcomes", "listed twice"),
    "clash": (
        '[{ name = "seed", observer = "RUS", target = "POL", stat = "min" }]',
        "outcomes",
        "clash",
    ),
    "builtin name reused": (
        '[{ name = "crises", observer = "RUS", target = "POL", stat = "min" }]',
        "outcomes[0]",
        "built-in",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_outcomes_are_one_line_naming_the_field(case: str, tmp_path: Path, capsys) -> None:
    outcomes, field, words = BAD[case]
    p = _write(tmp_path, outcomes)
    assert main(["sweep", str(p), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert f"{p}: {field}" in err and words in err, err
    assert not (tmp_path / "o").exists()


def test_an_excluded_state_is_named(tmp_path: Path, capsys) -> None:
    sc = tmp_path / "no_pol.toml"
    sc.write_text(
        f'name = "no_pol"\nextends = "{HISTORICAL}"\non_inconsistent = "drop"\n'
        '[actors]\nexclude = ["POL"]\n'
    )
    head = HEAD.replace(HISTORICAL, sc.as_posix())
    p = _write(tmp_path, '[{ name = "x", observer = "POL", target = "RUS", stat = "final" }]', head)
    assert main(["sweep", str(p), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "outcomes[0]" in err and "POL is not an actor of this scenario" in err


def test_a_function_outcome_from_python(tmp_path: Path) -> None:
    spec = SweepSpec(
        name="fn",
        scenario=HISTORICAL,
        design="grid",
        replicates=2,
        outcomes=(
            "final_trust_rus_nato",
            {"name": "gap", "function": "tests.model.test_outcomes_as_data:gap"},
            {"name": "low", "function": "tests.model.test_outcomes_as_data:count_low_years"},
        ),
    )
    paths = sweep(plan(sweep_experiment(spec)), tmp_path / "fn", progress=False, workers=1)
    runs = pd.read_parquet(paths["runs"])
    res = run(HISTORICAL, seed=int(runs.seed[1]))
    assert runs.gap[1] == res.series("NATO", "RUS")[0, -1] - res.series("RUS", "NATO")[0, -1]
    assert runs.low.dtype == "int64"


def test_digests_of_files_without_the_new_keys_are_unchanged() -> None:
    # The digest identifies a sweep folder for resuming: the shipped experiments keep theirs.
    assert load_experiment("levers_grid").spec.digest() == (
        "f7d48f864ec9facb1d570f99d404dc34ebbfa18a265f7fe22ec1f9959be0f713"
    )
    assert load_experiment("sobol").spec.digest() == (
        "f2875499b4fc982da1e2d7151aa46cef81fcee2682f3f25dd96d65b99c15ae08"
    )


@pytest.mark.parametrize("extra", [{"action": "reset"}, {"actor": "USA"}, {"stat": "mean"}])
def test_a_python_function_outcome_takes_no_other_fields(extra: dict) -> None:
    from pydantic import ValidationError

    from sim.experiments.outcome_entries import OutcomeEntry

    with pytest.raises(ValidationError, match="give either function or observer"):
        OutcomeEntry.model_validate({"name": "x", "function": "os:getcwd", **extra})
