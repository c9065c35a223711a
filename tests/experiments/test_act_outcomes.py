"""Outcomes that count acts: the rows of that action a run's events.csv lists.

``{ name, action[, actor, target, stat] }`` counts the scheduled and chosen
acts of an action over the reported years (``count``) or gives the first year
with one (``first_year``, NaN without); bad entries are one line naming
``outcomes[i]``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import run
from sim.cli.main import main
from sim.model import outcomes as O

OUTCOMES = [
    O.Outcome("force", stat="count", action="use_of_force", actor="RUS"),
    O.Outcome("force_ukr", target="UKR", stat="first_year", action="use_of_force", actor="RUS"),
    O.Outcome("waves", stat="count", action="enlargement_wave"),
    O.Outcome("deals_deu", target="RUS", stat="count", action="bilateral_deal", actor="DEU"),
]


@pytest.mark.parametrize("scenario", ["projection_2030", "historical", "hindcast"])
def test_counts_are_the_rows_of_the_runs_events(scenario: str) -> None:
    res = run(scenario, seed=11, replicates=12)
    got = O.compute(res.compiled, res.arrays.trust, OUTCOMES, res.arrays.chosen)
    ev = res.events
    acts = ev[ev.origin.isin(["scheduled", "chosen"])]
    for r in range(12):
        mine = acts[acts.replicate == r]
        force = mine[(mine.action == "use_of_force") & (mine.actor == "RUS")]
        assert got["force"][r] == len(force)
        at_ukr = force[force.target.str.split(";").map(lambda t: "UKR" in t)]
        want = float(at_ukr.year.min()) if len(at_ukr) else np.nan
        assert np.array_equal(got["force_ukr"][r : r + 1], [want], equal_nan=True)
        assert got["waves"][r] == (mine.action == "enlargement_wave").sum()
        deals = mine[(mine.action == "bilateral_deal") & (mine.actor == "DEU")]
        assert got["deals_deu"][r] == len(deals)
    assert got["force"].dtype == np.int64 and got["force_ukr"].dtype == np.float64


def test_the_record_is_counted_in_every_run_of_history() -> None:
    res = run("historical", seed=2, replicates=5)
    waves = O.compute(res.compiled, res.arrays.trust, OUTCOMES[2:3], res.arrays.chosen)["waves"]
    assert (waves >= 3).all()  # 1999, 2004 and 2009 are scheduled


def test_an_act_outcome_needs_the_chosen_slots() -> None:
    res = run("historical", seed=2)
    with pytest.raises(ValueError, match="counts acts: pass the runs' chosen slots"):
        O.compute(res.compiled, res.arrays.trust, OUTCOMES[:1])


SWEEP = """name = "acts"
scenario = "projection_2030"
design = "grid"
replicates = 4
seed = 3
outcomes = [{outcome}]
[[levers]]
name = "nrc_share"
values = [0.0, 1.0]
"""


def test_a_sweep_records_them_as_a_run_of_its_row_gives(tmp_path: Path) -> None:
    exp = tmp_path / "acts.toml"
    exp.write_text(
        SWEEP.format(outcome='{ name = "force", action = "use_of_force", actor = "RUS" }')
    )
    out = tmp_path / "o"
    assert main(["sweep", str(exp), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    runs = pd.read_parquet(out / "runs.parquet")
    assert runs.force.dtype == np.int64
    for row in runs.itertuples():
        res = run("projection_2030", seed=int(row.seed), nrc_share=float(row.nrc_share))
        got = O.compute(res.compiled, res.arrays.trust, OUTCOMES[:1], res.arrays.chosen)
        assert got["force"][0] == row.force


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        ('{ name = "x", action = "use_of_forse" }', "unknown action 'use_of_forse' (did you mean"),
        ('{ name = "x", action = "use_of_force", actor = "POL" }', "POL never takes use_of_force"),
        ('{ name = "x", action = "use_of_force", target = "UK" }', "unknown target 'UK'"),
        ('{ name = "x", action = "enlargement_wave", target = "RUS" }', "would count nothing"),
        ('{ name = "x", action = "use_of_force", actor = "rus" }', "(did you mean 'RUS'?"),
        ('{ name = "x", action = "use_of_force", stat = "mean" }', "stat of acts must be one of"),
        ('{ name = "x", action = "reset", observer = "RUS" }', "not observer or year"),
        ('{ name = "x", actor = "RUS" }', "it needs the action counted"),
        (
            '{ name = "x", observer = "RUS", target = "NATO", stat = "count" }',
            'stat = "count" counts acts: it goes with action',
        ),
    ],
)
def test_bad_act_outcomes_are_one_line(tmp_path: Path, capsys, entry: str, says: str) -> None:
    exp = tmp_path / "acts.toml"
    exp.write_text(SWEEP.format(outcome=entry))
    assert main(["sweep", str(exp), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{exp}: outcomes[0]: " in err and says in err, err
    assert not (tmp_path / "o").exists()


def test_an_outcome_without_a_value_somewhere_says_its_sensitivity_is_empty(
    tmp_path: Path, capsys
) -> None:
    exp = tmp_path / "lhs.toml"
    exp.write_text(
        'name = "lhs"\nscenario = "projection_2030"\ndesign = "lhs"\nn = 12\nreplicates = 1\n'
        'outcomes = [{ name = "first", action = "enlargement_wave", stat = "first_year" }, '
        '{ name = "never", action = "reset", actor = "USA", stat = "first_year" }]\n'
        '[[levers]]\nname = "nrc_share"\nlow = 0.0\nhigh = 1.0\n'
    )
    out = tmp_path / "o"
    assert main(["sweep", str(exp), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    runs = pd.read_parquet(out / "runs.parquet")
    err = capsys.readouterr().err
    for name in ("first", "never"):
        empty = int(runs[name].isna().sum())
        said = f"natosim: warning: lhs: sensitivity of {name} left empty: {empty} of 12"
        assert (said in err) == (empty > 0), (name, empty, err)
