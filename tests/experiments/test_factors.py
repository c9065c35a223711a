"""Factors beyond numbers: scenarios as a categorical factor, policies crossed with worlds."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import run
from sim.cli.main import main
from sim.experiments.schema import load_experiment
from sim.experiments.sweep import plan, sweep
from tests.paths import ROOT

SC = ROOT / "scenarios"
MULTI = f"""
name = "worlds"
scenarios = ["{(SC / "historical.toml").as_posix()}", "{(SC / "no_kosovo.toml").as_posix()}"]
design = "lhs"
cross = true
n = 3
policies = 2
replicates = 2
seed = 11
chunk_size = 5
outcomes = ["final_trust_rus_nato", "crises"]

[[levers]]
name = "nrc_share"
low = 0.0
high = 1.0

[[uncertainties]]
name = "hostile_weight"
low = 0.2
high = 0.8
"""


@pytest.fixture(scope="module")
def multi(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    tmp = tmp_path_factory.mktemp("multi")
    (tmp / "worlds.toml").write_text(MULTI)
    return tmp, sweep(
        plan(load_experiment(tmp / "worlds.toml")), tmp / "s", progress=False, workers=1
    )


def test_every_policy_in_every_world_and_every_scenario(multi) -> None:
    _, paths = multi
    runs = pd.read_parquet(paths["runs"])
    assert len(runs) == 2 * (2 * 3) * 2  # scenarios x (policies x worlds) x replicates
    assert list(runs.columns[:8]) == [
        "run_id",
        "point_id",
        "replicate",
        "policy_id",
        "world_id",
        "seed",
        "scenario",
        "nrc_share",
    ]
    assert runs.scenario.drop_duplicates().tolist() == ["historical", "no_kosovo"]
    pts = runs.drop_duplicates("point_id")
    for _, s in pts.groupby("scenario"):
        assert s.nrc_share.nunique() == 2 and s.hostile_weight.nunique() == 3
        assert len(s[["nrc_share", "hostile_weight"]].drop_duplicates()) == 6  # all pairs
    a, b = (g[["nrc_share", "hostile_weight"]].to_numpy() for _, g in pts.groupby("scenario"))
    assert np.array_equal(a, b)  # the same points in each scenario
    man = json.loads(paths["manifest"].read_text())
    assert [s["name"] for s in man["scenarios"]] == ["historical", "no_kosovo"]
    assert man["experiment"]["cross"] is True and man["n_points"] == 12


def test_each_run_names_its_replicate_policy_and_world(multi) -> None:
    _, paths = multi
    runs = pd.read_parquet(paths["runs"])
    assert all(sorted(r) == [0, 1] for _, r in runs.groupby("point_id").replicate)
    assert (runs.run_id == runs.point_id * 2 + runs.replicate).all()
    for _, s in runs.groupby("scenario"):
        # a policy is one point of the levers, a world one of the uncertainties,
        # and every policy meets every world once per replicate
        assert (s.groupby("policy_id").nrc_share.nunique() == 1).all()
        assert (s.groupby("world_id").hostile_weight.nunique() == 1).all()
        assert s.policy_id.nunique() == 2 and s.world_id.nunique() == 3
        assert len(s.groupby(["policy_id", "world_id", "replicate"])) == len(s)
    # the ids are the same design's in both scenarios
    a, b = (g[["policy_id", "world_id", "nrc_share"]] for _, g in runs.groupby("scenario"))
    assert a.reset_index(drop=True).equals(b.reset_index(drop=True))


def test_a_run_of_the_second_scenario_is_that_scenarios_run(multi) -> None:
    _, paths = multi
    runs = pd.read_parquet(paths["runs"])
    row = runs[runs.scenario == "no_kosovo"].iloc[3]
    res = run(
        SC / "no_kosovo.toml",
        seed=int(row.seed),
        nrc_share=float(row.nrc_share),
        hostile_weight=float(row.hostile_weight),
    )
    assert row.final_trust_rus_nato == res.series("RUS", "NATO")[0, -1]
    traj = pd.read_parquet(paths["trajectories"])
    mine = traj[(traj.run_id == row.run_id) & (traj.observer == "RUS")].trust.to_numpy()
    assert np.array_equal(mine, res.series("RUS", "NATO")[0])


def test_each_scenarios_events_are_recorded(multi) -> None:
    _, paths = multi
    ev = pd.read_csv(paths["events"])
    assert ev.columns[0] == "scenario"
    hist = run(SC / "historical.toml").events
    want = hist[hist.origin != "chosen"].reset_index(drop=True)
    got = ev[ev.scenario == "historical"].drop(columns="scenario").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)
    kosovo = ev[(ev.scenario == "no_kosovo") & (ev.action == "out_of_area_intervention")]
    assert 1999 not in set(kosovo.year)


def test_several_scenarios_are_identical_on_a_pool_and_resumable(multi, tmp_path: Path) -> None:
    tmp, paths = multi
    pool = sweep(
        plan(load_experiment(tmp / "worlds.toml")), tmp_path / "p", progress=False, workers=2
    )
    for name in ("runs", "trajectories"):
        assert pool[name].read_bytes() == paths[name].read_bytes(), name
    (tmp_path / "p" / "runs.parquet").unlink()
    assert main(["sweep", str(tmp / "worlds.toml"), "--out", str(tmp_path / "p"), "--quiet"]) == 0
    assert (tmp_path / "p" / "runs.parquet").read_bytes() == paths["runs"].read_bytes()


def test_sobol_over_scenarios_gives_indices_per_scenario(tmp_path: Path) -> None:
    p = tmp_path / "sob.toml"
    p.write_text(
        f'name = "sob"\nscenarios = ["{(SC / "historical.toml").as_posix()}", '
        f'"{(SC / "no_kosovo.toml").as_posix()}"]\n'
        'design = "morris"\nn = 4\nseed = 1\nresamples = 20\noutcomes = ["crises"]\n'
        '[[levers]]\nname = "nrc_share"\nlow = 0.0\nhigh = 1.0\n'
        '[[uncertainties]]\nname = "hostile_weight"\nlow = 0.2\nhigh = 0.8\n'
    )
    paths = sweep(plan(load_experiment(p)), tmp_path / "o", progress=False, workers=1)
    sens = pd.read_csv(paths["sensitivity"])
    assert sens.columns[0] == "scenario"
    assert sens.groupby("scenario").size().to_dict() == {"historical": 4, "no_kosovo": 4}


BAD = {
    "both": ('scenario = "historical"\nscenarios = ["historical"]\ndesign = "grid"\n', "not both"),
    "neither": ('design = "grid"\n', "give scenario"),
    "twice": ('scenarios = ["historical", "historical"]\ndesign = "grid"\n', "listed twice"),
    "missing": ('scenarios = ["historical", "nope"]\ndesign = "grid"\n', "scenarios[1]"),
    "cross without worlds": (
        'scenario = "historical"\ndesign = "lhs"\ncross = true\n'
        '[[levers]]\nname = "nrc_share"\nlow = 0.0\nhigh = 1.0\n',
        "uncertainties (worlds)",
    ),
    "cross with sobol": (
        'scenario = "historical"\ndesign = "sobol"\ncross = true\n'
        '[[levers]]\nname = "nrc_share"\nlow = 0.0\nhigh = 1.0\n'
        '[[uncertainties]]\nname = "noise"\nlow = 0.0\nhigh = 0.2\n',
        "grid or lhs",
    ),
    "policies without cross": (
        'scenario = "historical"\ndesign = "lhs"\npolicies = 3\n'
        '[[levers]]\nname = "nrc_share"\nlow = 0.0\nhigh = 1.0\n',
        "cross = true",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_factors_are_one_line(case: str, tmp_path: Path, capsys) -> None:
    body, words = BAD[case]
    p = tmp_path / "x.toml"
    p.write_text(f'name = "x"\n{body}')
    assert main(["sweep", str(p), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(p) in err and words in err, err
    assert not (tmp_path / "o").exists()


def test_read_sweep_gives_the_folders_tables(multi, tmp_path: Path) -> None:
    from sim import InputError, read_sweep

    _, paths = multi
    t = read_sweep(paths["runs"].parent)
    assert t.runs.equals(pd.read_parquet(paths["runs"]))
    assert t.trajectories is not None and set(t.trajectories.run_id) == set(t.runs.run_id)
    joined = t.trajectories.merge(t.runs[["run_id", "policy_id", "world_id"]], on="run_id")
    assert len(joined) == len(t.trajectories)  # every trajectory row finds its run
    assert t.events is not None and set(t.events.scenario) == {"historical", "no_kosovo"}
    assert t.manifest["experiment"]["name"] == "worlds"
    assert repr(t) == f"<SweepTables 'worlds': {len(t.runs)} runs>"
    with pytest.raises(InputError, match="not a finished sweep"):
        read_sweep(tmp_path)
