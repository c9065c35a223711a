import numpy as np
import pandas as pd
import pytest

from sim.experiments.designs import sample
from sim.experiments.ranges import ParamRange
from sim.experiments.sensitivity import COLUMNS, analyze

ISHIGAMI_SPECS = [ParamRange(f"x{i}", "uncertainty", low=-np.pi, high=np.pi) for i in (1, 2, 3)]
ISHIGAMI_A, ISHIGAMI_B = 7.0, 0.1


def ishigami(x: pd.DataFrame) -> np.ndarray:
    x1, x2, x3 = (x[f"x{i}"].to_numpy() for i in (1, 2, 3))
    return np.sin(x1) + ISHIGAMI_A * np.sin(x2) ** 2 + ISHIGAMI_B * x3**4 * np.sin(x1)


def ishigami_analytic() -> tuple[np.ndarray, np.ndarray]:
    a, b, pi = ISHIGAMI_A, ISHIGAMI_B, np.pi
    v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * pi**8 * (1 / 18 - 1 / 50)
    var = v1 + v2 + v13
    s1 = np.array([v1, v2, 0.0]) / var
    st = np.array([v1 + v13, v2, v13]) / var
    return s1, st


def test_analytic_reference_values():
    s1, st = ishigami_analytic()
    np.testing.assert_allclose(s1, [0.3139, 0.4424, 0.0], atol=1e-4)
    np.testing.assert_allclose(st, [0.5576, 0.4424, 0.2437], atol=1e-4)


@pytest.fixture(scope="module")
def ishigami_sobol() -> pd.DataFrame:
    x = sample("sobol", ISHIGAMI_SPECS, n=1024, seed=2024)
    assert len(x) == 1024 * 5
    return analyze("sobol", ISHIGAMI_SPECS, x, {"y": ishigami(x)}, seed=7)


def test_sobol_result_layout(ishigami_sobol):
    res = ishigami_sobol
    assert tuple(res.columns) == COLUMNS
    assert len(res) == 2 * 3
    assert set(res["method"]) == {"sobol"}
    assert res["index"].tolist() == ["S1"] * 3 + ["ST"] * 3
    assert res["parameter"].tolist() == ["x1", "x2", "x3"] * 2
    assert (res["conf"] > 0).all()


@pytest.mark.parametrize("index", ["S1", "ST"])
def test_sobol_ishigami_matches_analytic(ishigami_sobol, index):
    s1, st = ishigami_analytic()
    expected = s1 if index == "S1" else st
    rows = ishigami_sobol[ishigami_sobol["index"] == index]
    value = rows["value"].to_numpy()
    conf = rows["conf"].to_numpy()
    # Absolute accuracy at N=1024 (Saltelli/Jansen estimators typically land
    # within ~0.03 here) ...
    np.testing.assert_allclose(value, expected, atol=0.05)
    # ... and the reported 95% CI half-width covers the analytic value.
    assert np.all(np.abs(value - expected) <= np.maximum(conf, 0.01))


def test_sobol_second_order_pairs():
    x = sample("sobol", ISHIGAMI_SPECS, n=256, seed=1, calc_second_order=True)
    res = analyze(
        "sobol", ISHIGAMI_SPECS, x, {"y": ishigami(x)}, calc_second_order=True, num_resamples=100
    )
    s2 = res[res["index"] == "S2"]
    assert s2["parameter"].tolist() == ["x1:x2", "x1:x3", "x2:x3"]
    _, st = ishigami_analytic()
    s1, _ = ishigami_analytic()
    s13 = st[2]  # x3 acts only through its interaction with x1
    assert abs(s2.set_index("parameter").loc["x1:x3", "value"] - s13) < 0.15
    assert abs(s1[0] - res.query("index == 'S1' and parameter == 'x1'")["value"].item()) < 0.15


def test_degenerate_outcomes_give_nan_rows_without_warnings():
    x = sample("sobol", ISHIGAMI_SPECS, n=64, seed=0)
    y = ishigami(x)
    with_nan = y.copy()
    with_nan[5] = np.nan
    outcomes = {
        "good": y,
        "constant": np.full(len(x), 3.0),
        "nan": with_nan,
        "inf": np.where(np.arange(len(x)) == 0, np.inf, y),
    }
    res = analyze("sobol", ISHIGAMI_SPECS, x, outcomes, num_resamples=50)
    assert res["outcome"].unique().tolist() == list(outcomes)
    for name in ("constant", "nan", "inf"):
        sub = res[res["outcome"] == name]
        assert len(sub) == 6
        assert sub["value"].isna().all()
        assert sub["conf"].isna().all()
    assert res.loc[res["outcome"] == "good", "value"].notna().all()


def test_near_constant_outcome_does_not_leak_warnings():
    # Tiny but non-zero variance reaches SALib; any RuntimeWarning would fail
    # the test because pytest treats warnings as errors.
    x = sample("sobol", ISHIGAMI_SPECS, n=32, seed=0)
    y = np.zeros(len(x))
    y[0] = 1e-300
    res = analyze("sobol", ISHIGAMI_SPECS, x, {"y": y}, num_resamples=20)
    assert len(res) == 6


def test_morris_detects_inert_input():
    specs = [
        ParamRange("a", "uncertainty", low=0.0, high=2.0),
        ParamRange("b", "lever", values=(1, 2, 3, 4)),
        ParamRange("inert", "uncertainty", low=-5.0, high=5.0),
        ParamRange("c", "uncertainty", low=0.0, high=1.0),
    ]
    x = sample("morris", specs, n=30, seed=11, morris_levels=4)
    y = 3.0 * x["a"].to_numpy() + x["b"].to_numpy() ** 2 + np.sin(6 * x["c"].to_numpy())
    res = analyze("morris", specs, x, {"y": y}, seed=3, num_resamples=200, morris_levels=4)
    assert tuple(res.columns) == COLUMNS
    assert set(res["method"]) == {"morris"}
    mu = res[res["index"] == "mu_star"].set_index("parameter")
    sigma = res[res["index"] == "sigma"].set_index("parameter")
    assert mu.loc["inert", "value"] == pytest.approx(0.0, abs=1e-12)
    assert sigma.loc["inert", "value"] == pytest.approx(0.0, abs=1e-12)
    # Linear input: constant elementary effect 3 * (high - low) = 6, sigma 0.
    assert mu.loc["a", "value"] == pytest.approx(6.0)
    assert sigma.loc["a", "value"] == pytest.approx(0.0, abs=1e-9)
    assert mu.loc["b", "value"] > 1.0
    assert mu.loc["c", "value"] > 0.5
    assert sigma["conf"].isna().all()
    assert mu["conf"].notna().all()


def test_morris_constant_outcome_nan():
    specs = ISHIGAMI_SPECS
    x = sample("morris", specs, n=5, seed=0)
    res = analyze("morris", specs, x, {"flat": np.zeros(len(x))})
    assert res["value"].isna().all()
    assert res["index"].tolist() == ["mu_star"] * 3 + ["sigma"] * 3


def test_bad_inputs():
    x = sample("sobol", ISHIGAMI_SPECS, n=8, seed=0)
    with pytest.raises(ValueError, match="supports designs"):
        analyze("grid", ISHIGAMI_SPECS, x, {"y": ishigami(x)})
    with pytest.raises(ValueError, match="multiple of 5 rows"):
        analyze("sobol", ISHIGAMI_SPECS, x.iloc[:-1], {"y": ishigami(x)[:-1]})
    with pytest.raises(ValueError, match="1-D array of length 40"):
        analyze("sobol", ISHIGAMI_SPECS, x, {"y": np.zeros(3)})
    x4 = sample("sobol", ISHIGAMI_SPECS, n=4, seed=0)  # 20 rows, not a multiple of 8
    with pytest.raises(ValueError, match="second order"):
        analyze("sobol", ISHIGAMI_SPECS, x4, {"y": ishigami(x4)}, calc_second_order=True)


def test_an_lhs_design_gets_partial_rank_correlations():
    from sim.experiments.prcc import prcc

    x = sample("lhs", ISHIGAMI_SPECS, n=300, seed=2)
    y = ishigami(x)
    got = analyze("lhs", ISHIGAMI_SPECS, x, {"y": y})
    assert list(got.columns) == list(COLUMNS) and set(got["index"]) == {"PRCC"}
    want, half = prcc(x.to_numpy(), y)
    assert np.allclose(got.value, want) and np.allclose(got.conf, half)


def test_prcc_ranks_numeric_values_not_their_place_in_the_list():
    """values = [1.0, 0.0, 0.5] is the same parameter as [0.0, 0.5, 1.0]: same PRCC."""
    rng = np.random.default_rng(4)
    a = rng.choice([0.0, 0.5, 1.0], size=120)
    b = rng.uniform(size=120)
    x = pd.DataFrame({"a": a, "b": b})
    y = 2 * a + 0.3 * b
    ordered = [ParamRange("a", values=(0.0, 0.5, 1.0)), ParamRange("b", low=0.0, high=1.0)]
    shuffled = [ParamRange("a", values=(1.0, 0.0, 0.5)), ordered[1]]
    one = analyze("lhs", ordered, x, {"y": y})
    two = analyze("lhs", shuffled, x, {"y": y})
    assert np.allclose(one.value, two.value) and one.value.iloc[0] > 0.9
