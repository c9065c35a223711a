"""``[[parameter_changes]]``: parameters set from a year on.

The years before a change are the same run as without it, number for number; a
change in the first simulated year is the same run as the value in
``[parameters]``; the Mesa view applies changes as ``run`` does; bad entries are
one line naming the file and field.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import DiplomacyModel, run
from sim.cli.main import main
from sim.model import params as P
from sim.model.param_changes import START_ONLY
from sim.model.resolve import load_scenario

#: Every parameter that may change in a later year.
CHANGEABLE = sorted(n for n in P.PARAM_NAMES if n not in START_ONLY)


def _child(year: int, values: dict[str, float], base: str = "historical") -> dict:
    return {
        "name": "changed",
        "extends": base,
        "parameter_changes": [{"year": year, "parameters": values}],
    }


def test_the_years_before_a_change_are_untouched_and_the_later_ones_move() -> None:
    base = run("historical", seed=7, replicates=20)
    changed = run(_child(2004, {"nrc_share": 0.9, "hostile_weight": 0.2}), seed=7, replicates=20)
    years = list(base.years)
    before = years.index(2004)
    a, b = base.arrays.trust, changed.arrays.trust
    assert np.array_equal(a[:, :before], b[:, :before])
    assert not np.array_equal(a[:, before:], b[:, before:])
    # hostile acts that weigh less and a council that carries the agenda: more trust by 2012
    assert np.median(b[:, -1, 0]) != np.median(a[:, -1, 0])
    assert changed.median("RUS", "NATO").iloc[-1] > base.median("RUS", "NATO").iloc[-1]


@settings(max_examples=25, deadline=None)
@given(
    name=st.sampled_from(CHANGEABLE),
    share=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**32),
)
def test_a_change_in_the_first_year_is_the_value_in_parameters(
    name: str, share: float, seed: int
) -> None:
    spec = P.BY_NAME[name]
    value = spec.low + share * (spec.high - spec.low)
    first = load_scenario("historical").time.start
    changed = run(_child(first, {name: value}), seed=seed, replicates=3)
    set_ = run(
        {"name": "set", "extends": "historical", "parameters": {name: value}},
        seed=seed,
        replicates=3,
    )
    assert np.array_equal(changed.arrays.trust, set_.arrays.trust)
    assert np.array_equal(changed.arrays.chosen, set_.arrays.chosen)


def test_the_mesa_view_applies_the_changes_as_run_does() -> None:
    sc = load_scenario(_child(2009, {"rus_assertiveness": 1.5, "fig_tension": 0.2}))
    m = DiplomacyModel(sc, rng=11)
    while m.running:
        m.step()
    df = m.datacollector.get_model_vars_dataframe()
    res = run(sc, seed=11)
    assert np.array_equal(df.trust_rus_nato.to_numpy(), res.series("RUS", "NATO")[0])
    assert np.array_equal(df.trust_nato_rus.to_numpy(), res.series("NATO", "RUS")[0])


def test_a_later_change_of_the_same_parameter_wins_and_children_add(tmp_path: Path) -> None:
    (tmp_path / "early.toml").write_text(
        'name = "early"\nextends = "historical"\n'
        "[[parameter_changes]]\nyear = 2000\nparameters = { memory = 0.05 }\n"
    )
    (tmp_path / "both.toml").write_text(
        'name = "both"\nextends = "early.toml"\n'
        "[[parameter_changes]]\nyear = 2005\nparameters = { memory = 0.2 }\n"
    )
    inherited = run(tmp_path / "both.toml", seed=3, replicates=4).arrays.trust
    listed = {
        "name": "listed",
        "extends": "historical",
        "parameter_changes": [
            {"year": 2005, "parameters": {"memory": 0.2}},
            {"year": 2000, "parameters": {"memory": 0.05}},
        ],
    }
    assert np.array_equal(inherited, run(listed, seed=3, replicates=4).arrays.trust)
    late = run(_child(2005, {"memory": 0.2}), seed=3, replicates=4).arrays.trust
    assert not np.array_equal(inherited, late)  # the change of 2000 acts until 2005


@pytest.mark.parametrize("name", CHANGEABLE)
def test_each_parameter_changed_in_the_first_year_is_its_value_set(name: str) -> None:
    spec = P.BY_NAME[name]
    value = spec.low + 0.37 * (spec.high - spec.low)
    first = load_scenario("projection_2030").time.start
    changed = run(_child(first, {name: value}, "projection_2030"), seed=2, replicates=2)
    set_ = run(
        {"name": "set", "extends": "projection_2030", "parameters": {name: value}},
        seed=2,
        replicates=2,
    )
    assert np.array_equal(changed.arrays.trust, set_.arrays.trust)


def test_a_changed_scenario_has_its_own_digest_and_the_others_keep_theirs() -> None:
    changed = load_scenario(_child(2004, {"nrc_share": 0.9}))
    same_name = load_scenario({"name": "changed", "extends": "historical"})
    assert changed.digest() != same_name.digest()


def _refused(tmp_path: Path, body: str, capsys) -> str:
    p = tmp_path / "bad.toml"
    p.write_text('name = "bad"\nextends = "historical"\n' + body)
    assert main(["validate", str(p)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    return err


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (
            "[[parameter_changes]]\nyear = 2005\nparameters = { initial_trust = 0.5 }\n",
            "parameter_changes[0].parameters: initial_trust sets the first year's trust: it "
            "is not changed from a year on (set it in [parameters])",
        ),
        (
            "[[parameter_changes]]\nyear = 2005\nparameters = { nrc_shar = 0.5 }\n",
            "parameter_changes[0].parameters: unknown parameter 'nrc_shar' (did you mean "
            "'nrc_share'?",
        ),
        (
            "[[parameter_changes]]\nyear = 2030\nparameters = { nrc_share = 0.5 }\n",
            "parameter_changes[0].year: 2030 is outside the time span 1991-2012",
        ),
        (
            "[[parameter_changes]]\nyear = 2005\nparameters = {}\n",
            "parameter_changes[0].parameters: is empty",
        ),
        (
            "[[parameter_changes]]\nyear = 2005\nparameters = { nrc_share = 2 }\n",
            "parameter_changes[0].parameters: nrc_share",
        ),
        (
            '[[parameter_changes]]\nyear = "2005"\nparameters = { nrc_share = 0.5 }\n',
            "parameter_changes[0].year",
        ),
    ],
)
def test_bad_changes_are_one_line_naming_the_field(tmp_path, capsys, body, says) -> None:
    err = _refused(tmp_path, body, capsys)
    assert f"{tmp_path / 'bad.toml'}: {says}" in err


def test_a_parents_later_change_drops_out_of_a_shorter_span(tmp_path: Path) -> None:
    parent = tmp_path / "parent.toml"
    parent.write_text(
        'name = "parent"\nextends = "historical"\n'
        "[[parameter_changes]]\nyear = 2010\nparameters = { nrc_share = 0.9 }\n"
    )
    child = tmp_path / "child.toml"
    child.write_text('name = "child"\nextends = "parent.toml"\n[time]\nstart = 1991\nend = 2005\n')
    short = run(child, seed=5, replicates=3).arrays.trust
    plain = run(
        {"name": "p", "extends": "historical", "time": {"start": 1991, "end": 2005}},
        seed=5,
        replicates=3,
    ).arrays.trust
    assert np.array_equal(short, plain)


def test_validate_show_lists_the_changes(tmp_path: Path, capsys) -> None:
    p = tmp_path / "later.toml"
    p.write_text(
        'name = "later"\nextends = "projection_2030"\n'
        "[[parameter_changes]]\nyear = 2013\nparameters = { nrc_share = 0.8 }\n"
    )
    assert main(["validate", str(p), "--show"]) == 0
    text = capsys.readouterr().out
    assert "Parameters changed from a year on:\n  from 2013: nrc_share = 0.8\n" in text
    assert "parameter  from 2013: nrc_share -> 0.8  (parameter_changes[0])" in text


def test_the_bundled_council_from_2013_parts_from_the_projection_in_2013() -> None:
    proj = run("projection_2030", replicates=40)
    later = run("nrc_rejuvenated_2013", replicates=40)
    assert np.array_equal(
        proj.arrays.trust[:, : list(proj.years).index(2013)],
        later.arrays.trust[:, : list(later.years).index(2013)],
    )
    for obs, tgt in (("RUS", "NATO"), ("NATO", "RUS")):
        assert later.median(obs, tgt).loc[2030] > proj.median(obs, tgt).loc[2030] + 0.05


def test_a_parents_earlier_change_holds_from_a_later_first_year(tmp_path: Path, capsys) -> None:
    """A child of the Council-from-2013 projection that starts in 2015 keeps that Council."""
    late = tmp_path / "late.toml"
    late.write_text(
        'name = "late"\nextends = "nrc_rejuvenated_2013"\nreport_from = 2015\n'
        "scheduled_only_until = 2015\nturnover_from = 2015\n[time]\nstart = 2015\nend = 2030\n"
    )
    values = load_scenario("nrc_rejuvenated_2013").parameter_changes[0].parameters
    set_ = {
        "name": "set",
        "extends": "projection_2030",
        "time": {"start": 2015, "end": 2030},
        "report_from": 2015,
        "scheduled_only_until": 2015,
        "turnover_from": 2015,
    }
    plain = run(set_, seed=8, replicates=3).arrays.trust
    kept = run(late, seed=8, replicates=3).arrays.trust
    assert np.array_equal(
        kept, run({**set_, "parameters": values}, seed=8, replicates=3).arrays.trust
    )
    assert not np.array_equal(kept, plain)
    assert main(["validate", str(late), "--show"]) == 0
    text = capsys.readouterr().out
    assert "from 2013: nrc_share = 0.85, sg_entrepreneurship = 0.8  (before the time span: " in text
    assert "holds from 2015) — " in text  # and the change's note


def test_a_child_with_changes_of_its_own_is_told_apart_from_its_parent(
    tmp_path: Path, capsys
) -> None:
    """Errors and listings name the child's own entries; a parent's later one still drops out."""
    short = tmp_path / "short.toml"
    short.write_text(
        'name = "short"\nextends = "nrc_rejuvenated_2013"\nturnover_from = 2012\n[time]\nstart = 1991\nend = 2012\n'
        "[[parameter_changes]]\nyear = 2005\nparameters = { memory = 0.2 }\n"
    )
    assert main(["validate", str(short), "--show"]) == 0
    text = capsys.readouterr().out
    assert "from 2005: memory -> 0.2  (parameter_changes[0])" in text
    assert "from 2013: nrc_share = 0.85, sg_entrepreneurship = 0.8  (after the time span" in text
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'name = "bad"\nextends = "nrc_rejuvenated_2013"\n'
        "[[parameter_changes]]\nyear = 2015\nparameters = { nrc_share = 7 }\n"
    )
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}: parameter_changes[0].parameters: nrc_share" in err
