"""Which hand-set numbers carry a target: rank correlations against a permutation threshold."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.stats import spearmanr

from sim import load_scenario
from sim.data import perception
from sim.experiments.calibration.population import weighted_quantile
from sim.experiments.evaluation import robustness as rob
from sim.experiments.evaluation.attribution import (
    MIN_DRAWS,
    attribute,
    spearman_columns,
    weighted_ranks,
)
from sim.experiments.evaluation.table_draws import (
    ACTION_COLUMNS,
    FIGURE_PARAMS,
    draw_tables,
    factor_family,
)
from sim.experiments.evaluation.variants import compiled_with_params
from sim.model import params as P
from sim.model.core import OFFSETS
from sim.results.attribution_report import attribution_markdown

finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(arrays(float, st.tuples(st.integers(3, 30), st.just(4)), elements=finite))
def test_spearman_columns_is_spearmans_rho(data: np.ndarray) -> None:
    x, y = data[:, :3], data[:, 3:]
    got = spearman_columns(x, y)[:, 0]
    for j in range(3):
        if np.ptp(x[:, j]) == 0 or np.ptp(y[:, 0]) == 0:
            assert got[j] == 0.0
        else:
            assert got[j] == pytest.approx(spearmanr(x[:, j], y[:, 0]).statistic, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(finite, finite, st.integers(1, 3)), min_size=3, max_size=15),
)
def test_integer_weights_are_repeated_draws(rows: list[tuple[float, float, int]]) -> None:
    """A draw of weight k counts as k equal draws: the weighted ρ is Spearman's on the
    repeated rows."""
    x = np.array([[r[0]] for r in rows])
    y = np.array([[r[1]] for r in rows])
    w = np.array([r[2] for r in rows], dtype=float)
    rep = np.repeat(np.arange(len(rows)), w.astype(int))
    got = spearman_columns(x, y, w)[0, 0]
    want = spearman_columns(x[rep], y[rep])[0, 0]
    assert got == pytest.approx(want, abs=1e-9)
    ranks = weighted_ranks(x, w)[:, 0]
    assert np.all((ranks > 0) & (ranks < 1))
    assert ranks == pytest.approx(
        weighted_ranks(x[rep], np.ones(rep.size))[:, 0][np.searchsorted(rep, np.arange(len(rows)))]
    )


def test_weighted_draws_split_at_their_weighted_median() -> None:
    """Over weighted particles the shares met are weighted, split at the median."""
    rng = np.random.default_rng(21)
    n = 40
    a = rng.uniform(0, 1, n)
    factors = [{"a": float(v), "b": float(u)} for v, u in zip(a, rng.uniform(0, 1, n), strict=True)]
    w = rng.uniform(0.2, 3.0, n)  # weights that vary on both sides of the split
    figures = [{"t": float(v)} for v in a]
    met = [{"t": bool(v > 0.8)} for v in a]
    att = attribute(
        factors,
        figures,
        met,
        np.random.default_rng(22),
        permutations=200,
        weights=list(w),
        split=None,
    )
    row = att["targets"]["t"]["top"][0]
    assert att["weighted"] and row["factor"] == "a" and row["rho"] == pytest.approx(1.0)
    assert row["split"] == pytest.approx(float(weighted_quantile(a, w, 0.5)))
    hi = a >= row["split"]
    assert 0.3 < w[hi].sum() / w.sum() < 0.7
    assert row["met_below"] == 0.0
    assert row["met_from"] == pytest.approx(float(w[hi] @ (a[hi] > 0.8) / w[hi].sum()))
    assert row["met_from"] != pytest.approx(float(np.mean(a[hi] > 0.8)))  # weighted, not plain
    e = att["targets"]["t"]
    assert e["effective_draws"] == pytest.approx(w.sum() ** 2 / (w @ w)) and e["draws"] == n
    # a draw of weight zero does not count
    zero = attribute(
        factors, figures, met, np.random.default_rng(22), permutations=50, weights=[0.0] * n
    )
    assert zero["targets"]["t"]["note"] == "too few draws"
    with pytest.raises(ValueError, match="weights"):
        attribute(factors, figures, met, rng, weights=[1.0])


def _draws(rng: np.random.Generator, n: int, m: int) -> list[dict[str, float]]:
    return [
        {f"f{j}": float(v) for j, v in enumerate(row)} for row in rng.uniform(0.75, 1.25, (n, m))
    ]


def test_a_planted_factor_is_found_and_only_it() -> None:
    rng = np.random.default_rng(1)
    factors = _draws(rng, 100, 200)
    y = [3.0 * f["f17"] + rng.normal(0, 0.1) for f in factors]
    met = [{"t": v > 3.0} for v in y]
    att = attribute(factors, [{"t": v} for v in y], met, np.random.default_rng(2))
    e = att["targets"]["t"]
    assert att["factors"] == 200 and e["draws"] == 100
    assert e["carried_by"] == ["f17"]
    top = e["top"][0]
    assert top["factor"] == "f17" and top["rho"] > 0.8 and top["carries"]
    assert top["number"] is None  # no numbers given
    # the target is met when the factor is turned up, not when it is turned down
    assert top["met_below"] < 0.2 and top["met_from"] > 0.8
    assert not any(r["carries"] for r in e["top"][1:])


def test_pure_noise_is_carried_by_nothing_at_about_the_stated_rate() -> None:
    """The threshold is family-wise: across many targets of pure noise about 5 % of
    them (not 5 % of the factors) show any carrier."""
    rng = np.random.default_rng(3)
    factors = _draws(rng, 40, 50)
    figures = [{f"t{k}": float(v) for k, v in enumerate(row)} for row in rng.normal(size=(40, 200))]
    met = [dict.fromkeys(f, True) for f in figures]
    att = attribute(factors, figures, met, np.random.default_rng(4), permutations=200)
    hits = sum(bool(e["carried_by"]) for e in att["targets"].values())
    assert 2 <= hits <= 20  # 5 % of 200 is 10
    # a threshold taken as a quantile of single correlations would flag far more
    assert all(e["threshold"] > 0.4 for e in att["targets"].values())


def test_the_threshold_is_the_exact_tests_order_statistic() -> None:
    """The ⌈0.95 (B + 1)⌉-th largest of the permutations' maxima, from the same generator."""
    rng = np.random.default_rng(31)
    factors = _draws(rng, 30, 8)
    y = rng.normal(size=30)
    att = attribute(
        factors,
        [{"t": float(v)} for v in y],
        [{"t": True}] * 30,
        np.random.default_rng(32),
        permutations=199,
    )
    x = np.array([list(f.values()) for f in factors])
    again = np.random.default_rng(32)
    perm = np.stack([again.permutation(y) for _ in range(199)], axis=1)
    null = np.sort(np.abs(spearman_columns(x, perm)).max(axis=0))
    assert att["targets"]["t"]["threshold"] == null[190 - 1]  # ⌈0.95 · 200⌉ = 190
    with pytest.raises(ValueError, match="permutations"):
        attribute(factors, [{"t": 1.0}] * 30, [{"t": True}] * 30, again, permutations=0)


def test_weighted_noise_is_carried_by_nothing_at_about_the_stated_rate() -> None:
    """Very unequal weights stay with their draws: the rate of false carriers stays 5 %."""
    rng = np.random.default_rng(33)
    factors = _draws(rng, 40, 5)
    w = rng.lognormal(0.0, 1.5, 40)
    figures = [{f"t{k}": float(v) for k, v in enumerate(row)} for row in rng.normal(size=(40, 400))]
    met = [dict.fromkeys(f, True) for f in figures]
    att = attribute(
        factors, figures, met, np.random.default_rng(34), permutations=200, weights=list(w)
    )
    hits = sum(bool(e["carried_by"]) for e in att["targets"].values())
    assert 8 <= hits <= 34  # 5 % of 400 is 20


def test_numbers_of_zero_and_figures_not_finite_are_left_out() -> None:
    rng = np.random.default_rng(35)
    factors = _draws(rng, 30, 4)
    numbers = {"f0": 0.0, "f1": -2.0, "f2": 0.5, "f3": 0.0}
    figures = [{"t": float(f["f0"]) if i % 5 else float("nan")} for i, f in enumerate(factors)]
    met = [{"t": False}] * 30
    att = attribute(factors, figures, met, rng, permutations=50, numbers=numbers)
    assert att["factors"] == 2 and att["inert"] == 2
    e = att["targets"]["t"]
    assert e["draws"] == 24  # the six NaN figures are left out
    assert {r["factor"] for r in e["top"]} == {"f1", "f2"}
    figures[0]["t"] = float("inf")
    assert attribute(factors, figures, met, rng, permutations=50)["targets"]["t"]["draws"] == 24


def test_too_few_draws_or_a_constant_figure_are_not_attributed() -> None:
    rng = np.random.default_rng(5)
    factors = _draws(rng, MIN_DRAWS, 5)
    figures = [{"const": 1.0, "none": None, "some": float(i)} for i in range(MIN_DRAWS)]
    met = [{"const": True, "none": None, "some": i > 3} for i in range(MIN_DRAWS)]
    att = attribute(factors, figures, met, np.random.default_rng(6), permutations=50)
    assert att["targets"]["const"]["note"] == "the figure is the same in every draw"
    assert att["targets"]["none"] == {
        "draws": 0,
        "effective_draws": 0.0,
        "threshold": None,
        "top": [],
        "carried_by": [],
        "note": "too few draws",
    }
    assert len(att["targets"]["some"]["top"]) == 5
    with pytest.raises(ValueError, match="same factors"):
        attribute([{"a": 1.0}, {"b": 1.0}], [{}, {}], [{}, {}], rng)
    with pytest.raises(ValueError, match="one entry per draw"):
        attribute([{"a": 1.0}], [{}, {}], [{}, {}], rng)


def test_attribution_is_reproducible_from_its_generator() -> None:
    rng = np.random.default_rng(7)
    factors = _draws(rng, 30, 20)
    figures = [{"t": float(f["f3"] + f["f4"])} for f in factors]
    met = [{"t": True}] * 30
    a = attribute(factors, figures, met, np.random.default_rng(8), permutations=100)
    b = attribute(factors, figures, met, np.random.default_rng(8), permutations=100)
    assert a == b


def test_a_draw_records_the_factor_each_number_was_scaled_by() -> None:
    _, params = compiled_with_params(load_scenario("historical_calibrated"))
    cat = perception.catalog()
    d = draw_tables(np.random.default_rng(11), params)
    f = d.factors
    n = len(cat.overrides) + len(cat.alliance) + len(ACTION_COLUMNS) * len(cat.actions)
    assert len(f) == n + len(OFFSETS) + len(FIGURE_PARAMS) + 1
    assert all(0.75 <= v <= 1.25 for v in f.values())
    for k, a in cat.actions.items():
        for c in ACTION_COLUMNS:
            assert getattr(d.catalog.actions[k], c) == getattr(a, c) * f[f"{c}:{k}"]
    for o, p in zip(cat.overrides, d.catalog.overrides, strict=True):
        assert p.value == o.value * f[f"override:{o.action}/{o.side}/{o.reader}"]
    for a, p in zip(cat.alliance, d.catalog.alliance, strict=True):
        assert p.value == a.value * f[f"alliance:{a.action}/{a.reader}"]
    for k, v in OFFSETS.items():
        assert d.offsets[k] == v * f[f"offset:{k}"]
    assert d.catalog.proximity_km == cat.proximity_km * f["proximity_km"]
    # one uniform per number, in the order of the names, and nothing else drawn
    fresh = np.random.default_rng(11)
    assert list(f.values()) == [float(fresh.uniform(0.75, 1.25)) for _ in f]
    again = np.random.default_rng(11)
    draw_tables(again, params)
    assert again.bit_generator.state == fresh.bit_generator.state
    assert list(f)[: len(cat.overrides)] == [
        f"override:{o.action}/{o.side}/{o.reader}" for o in cat.overrides
    ]
    assert list(f)[-1] == "proximity_km"
    # each number before scaling is kept under the same name
    assert list(d.numbers) == list(f)
    assert d.numbers["proximity_km"] == cat.proximity_km
    for k, a in cat.actions.items():
        assert d.numbers[f"base_logit:{k}"] == a.base_logit
    assert all(d.numbers[n] == params[n] for n in FIGURE_PARAMS)
    assert draw_tables(np.random.default_rng(99), params).numbers == d.numbers
    for name in FIGURE_PARAMS:  # a parameter is clipped to its bounds
        spec = P.BY_NAME[name]
        assert d.params[name] == np.clip(params[name] * f[name], spec.low, spec.high)
    # the robustness section's draw is this draw (same generator, same numbers)
    cat2, off2, drawn2 = rob.perturbed_tables(np.random.default_rng(11), params)
    assert (cat2, off2, drawn2) == (d.catalog, d.offsets, d.params)
    assert {factor_family(k) for k in f} == {
        *ACTION_COLUMNS,
        "override",
        "alliance",
        "offset",
        "parameter",
        "proximity_km",
    }


def test_the_report_names_the_carriers() -> None:
    rng = np.random.default_rng(12)
    factors = _draws(rng, 60, 30)
    figures = [{"t": 2.0 * f["f5"], "u": float(i % 3)} for i, f in enumerate(factors)]
    met = [{"t": v["t"] > 2.0, "u": True} for v in figures]
    numbers = {f"f{j}": -float(j) for j in range(30)}
    att = attribute(
        factors, figures, met, np.random.default_rng(13), permutations=200, numbers=numbers
    )
    md = attribution_markdown(att, 60)
    table = [line for line in md.splitlines() if line.startswith("|")]
    cells = {len(re.split(r"(?<!\\)\|", line)) for line in table}
    assert len(table) == 2 + 2 and len(cells) == 1  # header, rule, two targets
    post = attribution_markdown(att, 60, "posterior")
    assert "posterior particles" in post and "weighted median" in post
    assert "| `t` |" in md and "`f5` = -5: ρ +1.00 **carries**" in md
    assert "of the 29 factors of the 60 draws and the target's figure (1 more scale a zero" in md
    row_u = next(line for line in md.splitlines() if line.startswith("| `u` |"))
    assert "| none |" in row_u
    assert attribution_markdown(None, 0) == ""
    assert attribution_markdown({"targets": {}}, 0) == ""
