import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.experiments.designs import DESIGNS, problem, sample, to_unit, unit_to_values
from sim.experiments.ranges import ParamRange

CONT = ParamRange("alpha", "uncertainty", low=-1.0, high=3.0)
INT = ParamRange("steps", "uncertainty", low=2, high=5, integer=True)
DISC = ParamRange("policy", "lever", values=("hawk", "dove", "owl"))
NUM_DISC = ParamRange("budget", "lever", values=(10, 20))
SPECS = [CONT, INT, DISC, NUM_DISC]


# --- ParamRange validation ---------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"low": 1.0, "high": 1.0}, "low must be below high"),
        ({"low": 2.0, "high": 1.0}, "low must be below high"),
        ({"values": ()}, "values must not be empty"),
        ({"values": (1, 1)}, "duplicates"),
        ({"low": 0.0}, "needs both low and high"),
        ({}, "needs both low and high"),
        ({"low": 0.0, "high": 1.0, "values": (1,)}, "not both"),
        ({"low": 0.5, "high": 3.0, "integer": True}, "whole-number bounds"),
        ({"values": (1, 2), "integer": True}, "low/high ranges only"),
        ({"low": 0.0, "high": math.inf}, "finite"),
    ],
)
def test_paramspec_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ParamRange("p", "uncertainty", **kwargs)


def test_paramspec_rejects_bad_kind_and_name():
    with pytest.raises(ValueError, match="kind"):
        ParamRange("p", "knob", low=0, high=1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="non-empty"):
        ParamRange("", "lever", low=0, high=1)


def test_paramspec_is_frozen_and_normalises():
    p = ParamRange("p", "lever", values=[3, 1, 2])  # type: ignore[arg-type]
    assert p.values == (3, 1, 2)
    assert isinstance(p.low, type(None))
    q = ParamRange("q", "lever", low=0, high=2)
    assert q.bounds == (0.0, 2.0)
    with pytest.raises(AttributeError):
        q.low = 1.0  # type: ignore[misc]


# --- problem ----------------------------------------------------------------


def test_problem_dict():
    prob = problem(SPECS)
    assert prob == {
        "num_vars": 4,
        "names": ["alpha", "steps", "policy", "budget"],
        "bounds": [[-1.0, 3.0], [2.0, 5.0], [0.0, 1.0], [0.0, 1.0]],
    }


def test_problem_rejects_duplicates_and_empty():
    with pytest.raises(ValueError, match="duplicate parameter names"):
        problem([CONT, CONT])
    with pytest.raises(ValueError, match="at least one"):
        problem([])


# --- sample -----------------------------------------------------------------


def test_unknown_design():
    with pytest.raises(ValueError, match="unknown design 'fractal'"):
        sample("fractal", SPECS, n=4, seed=0)


@pytest.mark.parametrize("design", ["lhs", "sobol", "morris"])
def test_bad_n(design):
    with pytest.raises(ValueError, match="n must be a positive integer"):
        sample(design, SPECS, n=0, seed=0)


def test_grid_full_factorial():
    df = sample("grid", [CONT, DISC], n=123, seed=9, levels=5)
    assert list(df.columns) == ["alpha", "policy"]
    assert len(df) == 5 * 3
    # First parameter varies slowest; continuous points include both ends.
    assert df["alpha"].tolist() == [v for v in (-1.0, 0.0, 1.0, 2.0, 3.0) for _ in range(3)]
    assert df["policy"].tolist() == ["hawk", "dove", "owl"] * 5
    assert isinstance(df.index, pd.RangeIndex)


def test_grid_integer_dedups_and_bad_levels():
    df = sample("grid", [INT], n=0, seed=0, levels=10)
    assert df["steps"].tolist() == [2, 3, 4, 5]
    assert df["steps"].dtype == np.int64
    with pytest.raises(ValueError, match="levels"):
        sample("grid", [CONT], n=0, seed=0, levels=1)


@pytest.mark.parametrize(
    ("design", "rows"),
    [("lhs", 16), ("sobol", 16 * (4 + 2)), ("morris", 16 * (4 + 1))],
)
def test_sampled_designs_shape_range_and_dtypes(design, rows):
    df = sample(design, SPECS, n=16, seed=3)
    assert list(df.columns) == [p.name for p in SPECS]
    assert len(df) == rows
    assert df["alpha"].between(-1.0, 3.0).all()
    assert df["alpha"].dtype == np.float64
    assert df["steps"].dtype == np.int64
    assert set(df["steps"]) <= {2, 3, 4, 5}
    assert set(df["policy"]) <= {"hawk", "dove", "owl"}
    assert set(df["budget"]) <= {10, 20}
    assert df["budget"].dtype == np.int64


def test_sobol_second_order_rows():
    df = sample("sobol", SPECS, n=8, seed=0, calc_second_order=True)
    assert len(df) == 8 * (2 * 4 + 2)


def test_sobol_non_power_of_two_does_not_warn():
    # pytest turns warnings into errors, so this also checks suppression.
    assert len(sample("sobol", [CONT], n=10, seed=0)) == 30


@pytest.mark.parametrize("design", DESIGNS)
def test_deterministic_and_seed_sensitive(design):
    a = sample(design, SPECS, n=8, seed=42)
    b = sample(design, SPECS, n=8, seed=42)
    pd.testing.assert_frame_equal(a, b)
    if design != "grid":
        c = sample(design, SPECS, n=8, seed=43)
        assert not a.equals(c)


def test_lhs_is_latin():
    n = 20
    df = sample("lhs", [CONT], n=n, seed=1)
    strata = np.floor((df["alpha"].to_numpy() + 1.0) / 4.0 * n).astype(int)
    assert sorted(strata) == list(range(n))


def test_discrete_lhs_balanced():
    # With n a multiple of k, LHS gives every discrete value exactly n/k times.
    df = sample("lhs", [DISC], n=30, seed=5)
    assert df["policy"].value_counts().to_dict() == {"hawk": 10, "dove": 10, "owl": 10}


def test_morris_trajectories_change_one_input_per_step():
    specs = [CONT, ParamRange("b", "uncertainty", low=0, high=1), NUM_DISC]
    df = sample("morris", specs, n=6, seed=2, morris_levels=4)
    unit = to_unit(specs, df)
    for t in range(6):
        traj = unit[t * 4 : (t + 1) * 4]
        changed = (np.abs(np.diff(traj, axis=0)) > 1e-12).sum(axis=1)
        assert changed.tolist() == [1, 1, 1]


def test_unit_mapping_edges():
    unit = np.array([[0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0], [0.5, 0.5, 0.5, 0.5]])
    df = unit_to_values(SPECS, unit)
    assert df["alpha"].tolist() == [-1.0, 3.0, 1.0]
    assert df["steps"].tolist() == [2, 5, 4]
    assert df["policy"].tolist() == ["hawk", "owl", "dove"]
    assert df["budget"].tolist() == [10, 20, 20]


def test_to_unit_rejects_unknown_values_and_missing_columns():
    df = pd.DataFrame({"policy": ["hawk", "eagle"]})
    with pytest.raises(ValueError, match="not in its spec"):
        to_unit([DISC], df)
    with pytest.raises(ValueError, match="lacks parameter columns"):
        to_unit([CONT], df)


@settings(max_examples=40, deadline=None)
@given(
    low=st.floats(-1e6, 1e6, allow_nan=False),
    width=st.floats(1e-3, 1e6, allow_nan=False),
    u=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=20),
)
def test_continuous_mapping_stays_in_bounds(low, width, u):
    spec = ParamRange("x", "uncertainty", low=low, high=low + width)
    hi = spec.bounds[1]
    vals = unit_to_values([spec], np.array(u)[:, None])["x"].to_numpy()
    assert np.all(vals >= low - 1e-9 * abs(low))
    assert np.all(vals <= hi + 1e-9 * abs(hi))
