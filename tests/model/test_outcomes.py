"""Direct tests of :mod:`sim.model.outcomes` on constructed trust arrays."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.data.tables import NATO, RUS
from sim.model.outcomes import CRISIS_DROP, compute
from tests.model.builders import compiled, pair

#: 1990-1995, reported from 1991: the first year is simulated but not reported.
COMP = compiled(1990, 1995, report_from=1991)
RN, NR = pair(COMP, RUS, NATO), pair(COMP, NATO, RUS)

# Dyadic values, so that every difference and mean below is exact.
RUS_NATO = [0.9, 0.5, 0.4375, 0.5, 0.453125, 0.4375]  # falls 0.4 into 1991 (not reported)
NATO_RUS = [0.0625, 0.75, 0.6875, 0.625, 0.71875, 0.71875]  # lowest in 1990 (not reported)
FLAT = 0.625


def _trust(series: list[tuple[list[float], list[float]]], fill: float = 0.5) -> np.ndarray:
    """Trust ``(R, T, P)``: given headline series, every other pair at ``fill``."""
    t = np.full((len(series), len(COMP.years), COMP.n_pairs), fill)
    for i, (rn, nr) in enumerate(series):
        t[i, :, RN] = rn
        t[i, :, NR] = nr
    return t


@pytest.fixture(scope="module")
def out() -> dict[str, np.ndarray]:
    return compute(COMP, _trust([(RUS_NATO, NATO_RUS), ([FLAT] * 6, [FLAT] * 6)]))


def test_every_outcome_has_one_value_per_run(out) -> None:
    assert set(out) == {
        "final_trust_rus_nato",
        "final_trust_nato_rus",
        "mean_trust_rus_nato",
        "mean_trust_nato_rus",
        "min_trust_rus_nato",
        "min_trust_nato_rus",
        "year_min_rus_nato",
        "year_min_nato_rus",
        "crises",
        "crises_rus_nato",
    }
    assert all(np.shape(v) == (2,) for v in out.values())


def test_final_trust_is_the_last_year(out) -> None:
    assert list(out["final_trust_rus_nato"]) == [0.4375, FLAT]
    assert list(out["final_trust_nato_rus"]) == [0.71875, FLAT]


def test_mean_trust_is_over_the_reported_years(out) -> None:
    assert list(out["mean_trust_rus_nato"]) == [2.328125 / 5, FLAT]
    assert list(out["mean_trust_nato_rus"]) == [3.5 / 5, FLAT]


def test_min_trust_and_its_year_are_over_the_reported_years(out) -> None:
    assert list(out["min_trust_rus_nato"]) == [0.4375, FLAT]
    assert list(out["min_trust_nato_rus"]) == [0.625, FLAT]  # not 1990's 0.0625
    # Russia->NATO is lowest in 1992 and again in 1995: the first year counts
    assert list(out["year_min_rus_nato"]) == [1992, 1991]
    assert list(out["year_min_nato_rus"]) == [1993, 1991]


def test_crises_count_falls_larger_than_the_threshold(out) -> None:
    assert CRISIS_DROP == 0.05
    # Russia->NATO falls 0.0625 into 1992 (a crisis) and 0.046875 into 1994 (not);
    # its 0.4 fall into 1991 precedes the reported years
    assert list(out["crises_rus_nato"]) == [1, 0]
    # NATO->Russia falls 0.0625 into 1992 and into 1993: with Russia's 1992 fall,
    # two years in which either direction fell
    assert list(out["crises"]) == [2, 0]


def test_the_whole_span_counts_when_nothing_is_held_back() -> None:
    comp = compiled(1990, 1995)
    t = np.full((1, 6, comp.n_pairs), 0.5)
    t[0, :, pair(comp, RUS, NATO)] = RUS_NATO
    t[0, :, pair(comp, NATO, RUS)] = NATO_RUS
    o = compute(comp, t)
    assert list(o["crises_rus_nato"]) == [2]  # the 1991 fall counts now
    assert list(o["min_trust_nato_rus"]) == [0.0625]
    assert list(o["year_min_nato_rus"]) == [1990]
    assert list(o["mean_trust_rus_nato"]) == [pytest.approx((0.9 + 2.328125) / 6)]


def test_other_pairs_do_not_matter() -> None:
    assert COMP.pair_alliance.any()  # the allies' pairs among them
    series = [(RUS_NATO, NATO_RUS)]
    a = compute(COMP, _trust(series, fill=0.0))
    b = compute(COMP, _trust(series, fill=1.0))
    assert all(np.array_equal(a[k], b[k]) for k in a)


def test_a_one_year_report_has_no_crisis() -> None:
    comp = compiled(1990, 1995, report_from=1995)
    o = compute(comp, _trust([(RUS_NATO, NATO_RUS)]))
    assert list(o["crises"]) == [0] and list(o["crises_rus_nato"]) == [0]
    assert list(o["mean_trust_rus_nato"]) == [0.4375] == list(o["min_trust_rus_nato"])
    assert list(o["year_min_nato_rus"]) == [1995]


TRUST = arrays(
    np.float64,
    st.tuples(st.integers(1, 4), st.just(len(COMP.years)), st.just(COMP.n_pairs)),
    elements=st.floats(0.0, 1.0),
)


@given(TRUST)
@settings(max_examples=40, deadline=None)
def test_outcomes_agree_with_the_series(trust: np.ndarray) -> None:
    o = compute(COMP, trust)
    years = COMP.years[1:]
    for i in range(trust.shape[0]):
        for name, p in (("rus_nato", RN), ("nato_rus", NR)):
            x = trust[i, 1:, p]
            assert o[f"final_trust_{name}"][i] == x[-1]
            assert o[f"min_trust_{name}"][i] == x.min()
            assert x.min() - 1e-12 <= o[f"mean_trust_{name}"][i] <= x.max() + 1e-12
            y = o[f"year_min_{name}"][i]
            assert y in years and x[list(years).index(y)] == x.min()
            assert np.all(x[years < y] > x.min())  # the first year of the lowest trust
        falls = np.diff(trust[i, 1:, RN]) < -CRISIS_DROP
        either = falls | (np.diff(trust[i, 1:, NR]) < -CRISIS_DROP)
        assert o["crises_rus_nato"][i] == falls.sum() <= o["crises"][i] == either.sum()


@given(TRUST, st.data())
@settings(max_examples=30, deadline=None)
def test_a_runs_outcomes_do_not_depend_on_its_batch(trust: np.ndarray, data) -> None:
    i = data.draw(st.integers(0, trust.shape[0] - 1))
    together, alone = compute(COMP, trust), compute(COMP, trust[i : i + 1])
    assert all(together[k][i] == alone[k][0] for k in together)
