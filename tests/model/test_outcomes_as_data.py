"""Outcomes as data: built-in names, declarative pairs and group means, functions, integers."""

from __future__ import annotations

import numpy as np
import pytest

from sim import run
from sim.data import tables
from sim.model import outcomes as O


@pytest.fixture(scope="module")
def res():
    return run("historical", seed=4, replicates=3)


def test_builtins_keep_their_values_and_counts_are_integers(res) -> None:
    out = O.compute(res.compiled, res.arrays.trust)
    assert list(out) == list(O.OUTCOMES)
    rn, nr = res.series("RUS", "NATO"), res.series("NATO", "RUS")
    assert np.array_equal(out["final_trust_rus_nato"], rn[:, -1])
    assert np.array_equal(out["min_trust_nato_rus"], nr.min(axis=1))
    assert np.array_equal(out["year_min_rus_nato"], res.years[np.argmin(rn, axis=1)])
    falls = (np.diff(rn, axis=1) < -O.CRISIS_DROP) | (np.diff(nr, axis=1) < -O.CRISIS_DROP)
    assert np.array_equal(out["crises"], falls.sum(axis=1))
    for name in ("crises", "crises_rus_nato", "year_min_rus_nato", "year_min_nato_rus"):
        assert out[name].dtype == np.int64, name
    for name in ("final_trust_rus_nato", "mean_trust_nato_rus"):
        assert out[name].dtype == np.float64, name


def test_any_pair_and_every_statistic(res) -> None:
    defs = [
        O.Outcome("a", "RUS", "POL", "final"),
        O.Outcome("b", "POL", "RUS", "mean"),
        O.Outcome("c", "RUS", "EST", "min"),
        O.Outcome("d", "DEU", "RUS", "year_of_min"),
        O.Outcome("e", "RUS", "GEO", "crises"),
        O.Outcome("f", "RUS", "POL", "at", year=2008),
        O.Outcome("g", "RUS", "POL", "at", year=1850),
    ]
    out = O.compute(res.compiled, res.arrays.trust, defs)
    pol = res.series("RUS", "POL")
    assert np.array_equal(out["a"], pol[:, -1])
    assert np.allclose(out["b"], res.series("POL", "RUS").mean(axis=1))
    assert np.array_equal(out["c"], res.series("RUS", "EST").min(axis=1))
    assert np.array_equal(out["d"], res.years[np.argmin(res.series("DEU", "RUS"), axis=1)])
    geo = res.series("RUS", "GEO")
    assert np.array_equal(out["e"], (np.diff(geo, axis=1) < -O.CRISIS_DROP).sum(axis=1))
    assert np.array_equal(out["f"], pol[:, list(res.years).index(2008)])
    assert np.isnan(out["g"]).all()  # a year the scenario does not report
    assert [out[k].dtype for k in "abcdefg"] == [np.float64] * 3 + [np.int64] * 2 + [np.float64] * 2


def test_tier_means_average_the_states_of_the_tier(res) -> None:
    new = [st.code for st in tables.states() if st.role == "member" and st.tier == "new"]
    old = [st.code for st in tables.states() if st.role == "member" and st.tier == "old"]
    assert "POL" in new and "DEU" in old and "UKR" not in new + old
    defs = [
        O.Outcome("new_in_rus", "new_members", "RUS", "final"),
        O.Outcome("rus_in_old", "RUS", "old_members", "at", year=2000),
    ]
    out = O.compute(res.compiled, res.arrays.trust, defs)
    want_new = np.mean([res.series(c, "RUS")[:, -1] for c in new], axis=0)
    i2000 = list(res.years).index(2000)
    want_old = np.mean([res.series("RUS", c)[:, i2000] for c in old], axis=0)
    assert np.allclose(out["new_in_rus"], want_new)
    assert np.allclose(out["rus_in_old"], want_old)
    assert O.Outcome("x", "RUS", "new_members", "final").label() == (
        "RUS → new_members trust, in the last year"
    )


def gap(view: O.TrustView) -> np.ndarray:
    """Final NATO->RUS minus RUS->NATO (a user's outcome function)."""
    return view.series("NATO", "RUS")[:, -1] - view.series("RUS", "NATO")[:, -1]


def count_low_years(view: O.TrustView) -> np.ndarray:
    """Years with Russia's trust in NATO under 0.4 (an integer outcome)."""
    return (view.series("RUS", "NATO") < 0.4).sum(axis=1)


def test_a_function_named_by_its_import_path(res) -> None:
    defs = [
        O.Outcome("gap", function=f"{__name__}:gap"),
        O.Outcome("low", function=f"{__name__}.count_low_years"),
    ]
    out = O.compute(res.compiled, res.arrays.trust, defs)
    assert np.array_equal(
        out["gap"], res.series("NATO", "RUS")[:, -1] - res.series("RUS", "NATO")[:, -1]
    )
    assert out["low"].dtype == np.int64
    with pytest.raises(ValueError, match="no_such_module"):
        O.compute(res.compiled, res.arrays.trust, [O.Outcome("x", function="no_such_module:f")])


def test_outcomes_do_not_depend_on_the_batch() -> None:
    both = run("historical", seed=9, replicates=4)
    alone = run("historical", seed=int(both.seeds[2]))
    d = [O.Outcome("m", "new_members", "RUS", "mean"), "crises", "mean_trust_rus_nato"]
    a = O.compute(both.compiled, both.arrays.trust, d)
    b = O.compute(alone.compiled, alone.arrays.trust, d)
    for k in a:
        assert a[k][2] == b[k][0], k


def test_untracked_pairs_or_unknown_actors_are_explained(res) -> None:
    sts = tables.states()
    pairs = res.compiled.pairs
    assert O.pair_problem("RUS", "POL", sts, pairs) is None
    assert O.pair_problem("members", "RUS", sts, pairs) is None
    assert "no trust NATO -> POL" in O.pair_problem("NATO", "POL", sts, pairs)
    assert O.pair_problem("NATO", "POL", sts) is None  # names alone are fine
    assert "unknown actor 'XYZ'" in O.pair_problem("RUS", "XYZ", sts)
    kept = [st for st in sts if st.code != "POL"]
    assert "excluded" in O.pair_problem("RUS", "POL", kept)
