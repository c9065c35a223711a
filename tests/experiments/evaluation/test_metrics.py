"""Metrics and null models on constructed cases where the answer is known."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.experiments.calibration.mapping import correlation
from sim.experiments.evaluation.metrics import (
    count_cycles,
    explained_share,
    pearson,
    r_squared,
    skill,
)
from sim.experiments.evaluation.nulls import Impulse, fit_null

YEARS = np.arange(1991, 2013)


def test_synthetic_cycles_are_counted() -> None:
    # Four full waves of amplitude 0.2 over 24 years: each fall then rise is one cycle.
    t = np.arange(25)
    x = 0.5 + 0.2 * np.cos(2 * np.pi * t / 6)
    assert count_cycles(x)[0] == 4


def test_cycles_need_a_recovery_after_the_crisis() -> None:
    falls_only = np.array([[0.9, 0.8, 0.7, 0.6, 0.5]])
    assert count_cycles(falls_only)[0] == 0
    two_crises_one_recovery = np.array([[0.9, 0.8, 0.7, 0.8, 0.8]])
    assert count_cycles(two_crises_one_recovery)[0] == 1
    small_moves = np.array([[0.5, 0.46, 0.5, 0.46, 0.5]])
    assert count_cycles(small_moves)[0] == 0


def test_cycles_combine_directions() -> None:
    a = np.array([[0.5, 0.4, 0.4, 0.4]])  # crisis in one direction
    b = np.array([[0.5, 0.5, 0.5, 0.6]])  # recovery in the other
    assert count_cycles(a)[0] == 0
    assert count_cycles(a, b)[0] == 1


@given(st.lists(st.floats(0.01, 0.99), min_size=2, max_size=40))
def test_cycles_never_exceed_half_the_moves(values) -> None:
    x = np.array([values])
    assert 0 <= count_cycles(x)[0] <= (len(values) - 1) // 2


def test_explained_share_is_zero_for_an_identical_variant() -> None:
    x = np.cumsum(np.random.default_rng(1).normal(size=22))
    share, r2 = explained_share(x, x)
    assert share == 0.0 and r2 == 1.0


def test_explained_share_is_one_for_a_variant_that_misses_everything() -> None:
    x = np.cumsum(np.random.default_rng(2).normal(size=22))
    share, _ = explained_share(x, np.zeros_like(x))
    assert share == pytest.approx(1.0, abs=0.2)
    assert r_squared(np.diff(x), np.diff(x) * 0.5) < 1.0


def test_pearson_and_skill() -> None:
    assert pearson(np.ones(5), np.arange(5.0)) is None
    assert pearson(np.arange(5.0), 2 * np.arange(5.0)) == pytest.approx(1.0)
    assert skill(0.5, 1.0) == pytest.approx(0.5)
    assert skill(1.0, 0.0) is None


def test_trend_null_matches_a_trend() -> None:
    y = 1.0 + 0.02 * (YEARS - 1991)
    train = YEARS <= 2005
    pred = fit_null("trend", YEARS[train], y[train])(YEARS[~train])
    np.testing.assert_allclose(pred, y[~train], atol=1e-9)


def test_step_null_finds_the_step() -> None:
    y = np.where(YEARS < 1999, 0.4, 1.1)
    pred = fit_null("step", YEARS, y)(YEARS)
    np.testing.assert_allclose(pred, y)


def test_persistence_null_repeats_last_value() -> None:
    y = np.arange(YEARS.size, dtype=float)
    train = YEARS <= 2005
    predict = fit_null("persistence", YEARS[train], y[train])
    assert predict(np.array([1995]))[0] == y[YEARS == 1994][0]
    np.testing.assert_allclose(predict(YEARS[~train]), y[YEARS == 2005][0])


def test_event_impulse_null_recovers_planted_impulses() -> None:
    events = [Impulse(1994, -1), Impulse(1999, -1), Impulse(2002, +1), Impulse(2008, -1)]
    decay = 0.6
    x = np.zeros(YEARS.size)
    for ev in events:
        lag = YEARS - ev.year
        x += np.where(lag >= 0, ev.tone * decay ** np.maximum(lag, 0), 0.0)
    y = 1.0 - 0.3 * x  # hostile raise distance, friendly lower it
    train = YEARS <= 2005
    pred = fit_null("event_impulse", YEARS[train], y[train], events)(YEARS)
    np.testing.assert_allclose(pred, y, atol=1e-9)


_VALUES = st.lists(st.floats(-10.0, 10.0, allow_nan=False), min_size=3, max_size=30)


@given(_VALUES, _VALUES)
def test_pearson_is_the_calibrations_correlation_where_it_is_defined(x, y) -> None:
    n = min(len(x), len(y))
    a, b = np.array(x[:n]), np.array(y[:n])
    r = pearson(a, b)
    c = correlation(a, b)
    if r is None:  # refused: a series constant up to rounding
        assert np.ptp(a) <= 1e-11 or np.ptp(b) <= 1e-11
    else:
        assert r == c and -1.0 <= r <= 1.0


def test_a_constant_series_has_no_correlation_in_either() -> None:
    assert pearson(np.ones(5), np.arange(5.0)) is None
    assert np.isnan(correlation(np.ones(5), np.arange(5.0)))
    assert pearson(np.arange(2.0), np.arange(2.0)) is None
    assert correlation(np.arange(2.0), np.arange(2.0)) == 1.0


def test_the_chosen_share_within_a_run_sees_choices_the_median_smooths_away() -> None:
    """Two runs whose choices fall in different years: each run's own share is large,
    the median's small, because the median of the two is a smooth line."""
    from sim.experiments.evaluation.cycles import chosen_shares, chosen_shares_within
    from sim.experiments.evaluation.panel import Panel

    years = np.arange(2000, 2011)
    pairs = [("RUS", "NATO"), ("NATO", "RUS")]
    base = np.linspace(0.6, 0.4, years.size)
    full = np.stack([base, base, base])[:, :, None].repeat(2, axis=2)
    for i, year in enumerate((2003, 2005, 2007)):  # each run's own jump, in its own year
        full[i, years >= year, :] += 0.1
    fixed = np.stack([base, base, base])[:, :, None].repeat(2, axis=2)
    fixed[:, 5:, :] += 0.1 * np.array([0.9, 1.0, 1.1])[:, None, None]  # a shared jump
    a, b = Panel(years, full, pairs), Panel(years, fixed, pairs)
    within = chosen_shares_within(a, b)
    med = chosen_shares(a.median(), b.median())
    for k in ("rus_nato", "nato_rus"):
        assert within[k]["median"] > 0.5
        assert within[k]["q25"] <= within[k]["median"] <= within[k]["q75"]
        assert med[k]["share"] == pytest.approx(0.0, abs=1e-12)
    same = chosen_shares_within(a, a)
    assert same["rus_nato"] == {"median": 0.0, "q25": 0.0, "q75": 0.0}
