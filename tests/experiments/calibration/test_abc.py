"""Tests for the model-free calibration pieces (ABC-SMC, trust↔distance map) and the UNGA loaders."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.data.unga import load_idealpoint_members, load_idealpoint_summary
from sim.experiments.calibration.abc_smc import abc_smc, vectorize_simulator
from sim.experiments.calibration.mapping import (
    monotone_fit,
    monotone_loss,
    rmse_distance,
    split_fit_check,
)
from sim.experiments.calibration.population import AbcResult, weighted_quantile
from sim.experiments.ranges import ParamRange

N_YEARS = 22
YEARS = np.arange(1991, 1991 + N_YEARS)
N_REPLICATES = 10


# ---------------------------------------------------------------------------------------
# Toy stochastic simulators (vectorised over particles, noise from the given SeedSequence)
# ---------------------------------------------------------------------------------------


def logistic_trust(theta: np.ndarray, seed_seq: np.random.SeedSequence) -> np.ndarray:
    """Median over replicates of a noisy logistic trend; theta = (steepness k, midpoint t0)."""
    rng = np.random.default_rng(seed_seq)
    t = np.arange(N_YEARS, dtype=float)[None, None, :]
    k = theta[:, 0, None, None]
    t0 = theta[:, 1, None, None]
    mean = 1.0 / (1.0 + np.exp(-k * (t - t0)))
    reps = mean + 0.15 * rng.standard_normal((theta.shape[0], N_REPLICATES, N_YEARS))
    return np.median(reps, axis=1)


def ar1_series(theta: np.ndarray, seed_seq: np.random.SeedSequence) -> np.ndarray:
    """Median over replicates of an AR(1) started at 1; theta = (mean mu, persistence phi)."""
    rng = np.random.default_rng(seed_seq)
    mu = theta[:, 0:1]
    phi = theta[:, 1:2]
    eps = 0.1 * rng.standard_normal((N_YEARS, theta.shape[0], N_REPLICATES))
    x = np.ones((theta.shape[0], N_REPLICATES))
    out = np.empty((theta.shape[0], N_YEARS, N_REPLICATES))
    for t in range(N_YEARS):
        x = mu + phi * (x - mu) + eps[t]
        out[:, t] = x
    return np.median(out, axis=2)


LOGISTIC_TRUE = np.array([0.6, 12.0])
LOGISTIC_BOUNDS = (ParamRange.prior("k", 0.05, 2.0), ParamRange.prior("t0", 0.0, 21.0))
AR1_TRUE = np.array([-0.4, 0.8])
AR1_BOUNDS = (ParamRange.prior("mu", -1.0, 1.0), ParamRange.prior("phi", 0.0, 0.99))


@pytest.fixture(scope="module")
def logistic_observed() -> np.ndarray:
    # "Observed distance": a decreasing affine image of one synthetic trust trajectory.
    trust = logistic_trust(LOGISTIC_TRUE[None], np.random.SeedSequence(1000))[0]
    return 2.0 - 1.5 * trust


@pytest.fixture(scope="module")
def logistic_result(logistic_observed: np.ndarray) -> AbcResult:
    return abc_smc(
        logistic_trust,
        logistic_observed,
        monotone_loss,
        LOGISTIC_BOUNDS,
        n_particles=200,
        n_generations=6,
        seed=0,
    )


# ---------------------------------------------------------------------------------------
# Data loaders
# ---------------------------------------------------------------------------------------


def test_load_idealpoint_summary_has_22_years() -> None:
    df = load_idealpoint_summary()
    assert len(df) == 22
    assert df.index.name == "year"
    assert df.index.tolist() == list(range(1991, 2013))
    for col in ("dist_rus_usa_all", "mean_dist_rus_nato_members_all", "mean_dist_rus_nato16_fp"):
        assert col in df.columns
        assert (df[col] > 0).all()


def test_load_idealpoint_members_long() -> None:
    df = load_idealpoint_members()
    assert len(df) == 681
    assert df["iso3c"].nunique() == 32
    assert df["year"].between(1991, 2012).all()
    assert {"abs_dist_all", "abs_dist_fp", "nato_member_in_year"} <= set(df.columns)
    pol = df[df["iso3c"] == "POL"].set_index("year")["nato_member_in_year"]
    assert pol.loc[1998] == 0
    assert pol.loc[1999] == 1


# ---------------------------------------------------------------------------------------
# Monotone map
# ---------------------------------------------------------------------------------------


def test_monotone_fit_perfect_anticorrelation() -> None:
    trust = np.linspace(-1.0, 1.0, N_YEARS) ** 3
    distance = 1.2 - 0.7 * trust
    fit = monotone_fit(trust, distance)
    assert fit.pearson_r == pytest.approx(1.0)
    assert fit.spearman_rho == pytest.approx(1.0)
    assert fit.rmse == pytest.approx(0.0, abs=1e-12)
    assert fit.nrmse == pytest.approx(0.0, abs=1e-12)
    assert fit.slope == pytest.approx(-0.7)
    assert fit.intercept == pytest.approx(1.2)
    assert not fit.clamped
    np.testing.assert_allclose(fit.predict(trust), distance)


def test_monotone_fit_wrong_direction_is_clamped() -> None:
    trust = np.arange(10.0)
    distance = 0.5 + 0.1 * trust  # trust and distance rise together: anti-aligned
    fit = monotone_fit(trust, distance)
    assert fit.clamped
    assert fit.slope == 0.0
    assert fit.intercept == pytest.approx(distance.mean())
    assert fit.pearson_r == pytest.approx(-1.0)
    assert fit.nrmse == pytest.approx(1.0)
    assert fit.rmse == pytest.approx(distance.std())


def test_monotone_fit_constant_trust_and_nans() -> None:
    fit = monotone_fit(np.ones(5), [1.0, 2.0, 3.0, 4.0, 5.0])
    assert np.isnan(fit.pearson_r)
    assert np.isnan(fit.spearman_rho)
    assert fit.nrmse == pytest.approx(1.0)
    fit = monotone_fit([0.0, 1.0, np.nan, 3.0], [3.0, 2.0, 9.0, 0.0])
    assert fit.n == 3
    assert fit.pearson_r == pytest.approx(1.0)


def test_monotone_loss_matches_monotone_fit() -> None:
    rng = np.random.default_rng(3)
    observed = rng.normal(size=N_YEARS)
    sims = rng.normal(size=(6, N_YEARS))
    sims[0] = -observed  # perfectly aligned
    sims[1] = observed  # wrong direction
    sims[2] = 0.3  # constant
    loss = monotone_loss(sims, observed)
    expected = [monotone_fit(row, observed).nrmse for row in sims]
    np.testing.assert_allclose(loss, expected, atol=1e-12)
    assert loss[0] == pytest.approx(0.0, abs=1e-12)
    assert loss[1] == pytest.approx(1.0)
    sims[3, 4] = np.nan
    assert np.isinf(monotone_loss(sims, observed)[3])


def test_monotone_loss_segments() -> None:
    rng = np.random.default_rng(4)
    observed = rng.normal(size=2 * N_YEARS)
    sim = np.concatenate([-observed[:N_YEARS], observed[N_YEARS:]])[None]
    segs = [slice(0, N_YEARS), slice(N_YEARS, 2 * N_YEARS)]
    # First series perfect (loss 0), second anti-aligned (loss 1): RMS = sqrt(1/2).
    assert monotone_loss(sim, observed, segments=segs)[0] == pytest.approx(np.sqrt(0.5))


@settings(max_examples=40, deadline=None)
@given(
    scale=st.floats(0.01, 100.0),
    shift=st.floats(-100.0, 100.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_monotone_fit_invariant_to_positive_affine_trust(
    scale: float, shift: float, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    trust = rng.normal(size=N_YEARS)
    distance = 1.0 - 0.4 * trust + rng.normal(scale=0.3, size=N_YEARS)
    a = monotone_fit(trust, distance)
    b = monotone_fit(shift + scale * trust, distance)
    assert b.nrmse == pytest.approx(a.nrmse, abs=1e-9)
    assert b.pearson_r == pytest.approx(a.pearson_r, abs=1e-9)
    assert b.spearman_rho == pytest.approx(a.spearman_rho, abs=1e-12)
    assert 0.0 <= a.nrmse <= 1.0


def test_split_fit_check() -> None:
    trust = np.sin(np.linspace(0, 3, N_YEARS))
    distance = 2.0 - 0.5 * trust
    chk = split_fit_check(trust, distance, YEARS)
    # the default training years begin with the Russian Federation's own votes (1992)
    assert chk.train_years == tuple(range(1992, 2006))
    assert chk.test_years == tuple(range(2006, 2013))
    assert chk.train.n == 14
    assert chk.test_rmse == pytest.approx(0.0, abs=1e-12)
    assert chk.test_pearson_r == pytest.approx(1.0)
    assert chk.skill == pytest.approx(1.0)
    # Year-indexed Series are aligned on the index.
    s_trust = pd.Series(trust, index=YEARS)[::-1]
    s_dist = pd.Series(distance, index=YEARS)
    assert split_fit_check(s_trust, s_dist).test_rmse == pytest.approx(0.0, abs=1e-12)


# ---------------------------------------------------------------------------------------
# ABC-SMC
# ---------------------------------------------------------------------------------------


def test_abc_recovers_logistic_parameters_via_monotone_map(logistic_result: AbcResult) -> None:
    res = logistic_result
    summ = res.summary().set_index("parameter")
    assert list(summ.columns[:4]) == ["median", "mean", "q05", "q95"]
    for b, true in zip(LOGISTIC_BOUNDS, LOGISTIC_TRUE, strict=True):
        row = summ.loc[b.name]
        assert row.q05 <= true <= row.q95, (b.name, true, row.q05, row.q95)
        assert row.q95 - row.q05 < 0.5 * b.width
    assert np.all(np.diff(res.tolerances) <= 0)
    assert res.tolerances[-1] < 0.5 * res.tolerances[0]
    assert res.weights.sum() == pytest.approx(1.0)
    assert len(res.generations) == 6
    assert res.particles.shape == (200, 2)
    best = res.best()
    assert set(best) == {"k", "t0"}
    assert best["t0"] == pytest.approx(LOGISTIC_TRUE[1], abs=1.5)


def test_abc_recovers_ar1_parameters_with_rmse() -> None:
    observed = ar1_series(AR1_TRUE[None], np.random.SeedSequence(2000))[0]
    res = abc_smc(ar1_series, observed, rmse_distance, AR1_BOUNDS, n_particles=200, seed=1)
    summ = res.summary().set_index("parameter")
    for b, true in zip(AR1_BOUNDS, AR1_TRUE, strict=True):
        row = summ.loc[b.name]
        assert row.q05 <= true <= row.q95, (b.name, true, row.q05, row.q95)
        assert row.q95 - row.q05 < 0.5 * b.width


def test_abc_is_deterministic(logistic_observed: np.ndarray, logistic_result: AbcResult) -> None:
    again = abc_smc(
        logistic_trust,
        logistic_observed,
        monotone_loss,
        LOGISTIC_BOUNDS,
        n_particles=200,
        n_generations=6,
        seed=0,
    )
    assert len(again.generations) == len(logistic_result.generations)
    for g1, g2 in zip(again.generations, logistic_result.generations, strict=True):
        np.testing.assert_array_equal(g1.particles, g2.particles)
        np.testing.assert_array_equal(g1.weights, g2.weights)
        np.testing.assert_array_equal(g1.distances, g2.distances)
        assert g1.epsilon == g2.epsilon
        assert g1.n_simulations == g2.n_simulations
    pd.testing.assert_frame_equal(again.summary(), logistic_result.summary())
    other = abc_smc(
        logistic_trust,
        logistic_observed,
        monotone_loss,
        LOGISTIC_BOUNDS,
        n_particles=200,
        n_generations=2,
        seed=1,
    )
    assert not np.array_equal(other.particles, logistic_result.generations[1].particles)


def test_abc_stops_on_simulation_budget(logistic_observed: np.ndarray) -> None:
    res = abc_smc(
        logistic_trust,
        logistic_observed,
        monotone_loss,
        LOGISTIC_BOUNDS,
        n_particles=50,
        n_generations=10,
        seed=2,
        max_simulations_per_generation=120,
    )
    assert "budget" in res.stop_reason
    assert 1 <= len(res.generations) < 10
    assert all(len(g.weights) == 50 for g in res.generations)
    hist = res.history()
    assert list(hist.columns) == [
        "generation",
        "epsilon",
        "n_simulations",
        "acceptance_rate",
        "ess",
    ]


def test_abc_particles_stay_in_bounds(logistic_result: AbcResult) -> None:
    for g in logistic_result.generations:
        for j, b in enumerate(LOGISTIC_BOUNDS):
            assert np.all((g.particles[:, j] >= b.low) & (g.particles[:, j] <= b.high))


def test_vectorize_simulator_uses_spawned_seeds() -> None:
    def one(theta: np.ndarray, ss: np.random.SeedSequence) -> np.ndarray:
        return theta[0] + np.random.default_rng(ss).standard_normal(3)

    sim = vectorize_simulator(one)
    theta = np.array([[0.0], [10.0]])
    a = sim(theta, np.random.SeedSequence(5))
    b = sim(theta, np.random.SeedSequence(5))
    assert a.shape == (2, 3)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a[0], a[1] - 10.0)  # rows get different streams


def test_bounds_and_weighted_quantile() -> None:
    with pytest.raises(ValueError, match="low must be below high"):
        ParamRange.prior("x", 1.0, 1.0)
    v = np.random.default_rng(0).normal(size=101)
    q = [0.05, 0.5, 0.95]
    np.testing.assert_allclose(
        weighted_quantile(v, np.ones_like(v), q), np.quantile(v, q, method="hazen")
    )
    # Doubling a value's weight equals duplicating it.
    v2 = np.array([0.0, 1.0, 2.0])
    np.testing.assert_allclose(
        weighted_quantile(v2, [1.0, 2.0, 1.0], q),
        weighted_quantile([0.0, 1.0, 1.0, 2.0], np.ones(4), q),
    )


def test_the_stopping_note_tells_two_close_tolerances_apart() -> None:
    from sim.experiments.calibration.windows import _apart

    assert _apart(0.431712, 0.431684) == ("0.43171", "0.43168")
    assert _apart(0.5, 0.25) == ("0.5000", "0.2500")
