"""Partial rank correlation coefficients, the sensitivity of a Latin hypercube sweep."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import spearmanr

from sim.cli.main import main
from sim.experiments.prcc import prcc


def _sample(n: int = 400, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(size=(n, 3))
    y = np.exp(3 * x[:, 0]) - 2 * x[:, 1] + 0.05 * rng.normal(size=n)  # x2 does nothing
    return x, y


def test_it_finds_the_monotone_effects_and_their_signs() -> None:
    x, y = _sample()
    r, half = prcc(x, y)
    assert r[0] > 0.9 and r[1] < -0.5 and abs(r[2]) < 2 * half[2]
    assert np.all((half > 0) & (half < 0.2))


def test_one_parameter_is_spearmans_correlation() -> None:
    x, y = _sample()
    r, _ = prcc(x[:, :1], y)
    assert np.isclose(r[0], spearmanr(x[:, 0], y).statistic)


def test_it_depends_only_on_ranks() -> None:
    x, y = _sample()
    again = prcc(np.column_stack([np.exp(x[:, 0]), 5 * x[:, 1] - 1, x[:, 2] ** 3]), y**3)
    assert np.allclose(prcc(x, y), again)


def test_degenerate_inputs_are_nan_not_errors() -> None:
    x, y = _sample(n=50)
    x[:, 2] = 0.5
    r, half = prcc(x, y)
    assert np.isnan(r[2]) and np.isnan(half[2]) and np.isfinite(r[:2]).all()
    assert np.isnan(prcc(x, np.ones(50))[0]).all()
    assert np.isnan(prcc(x[:4], y[:4])[0]).all()  # 4 points, 3 parameters: no degrees of freedom


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(8, 60))
def test_coefficients_lie_in_minus_one_to_one(seed: int, n: int) -> None:
    rng = np.random.default_rng(seed)
    r, half = prcc(rng.uniform(size=(n, 3)), rng.normal(size=n))
    assert np.all(np.abs(r) <= 1.0) and np.all((half >= 0) & (half <= 1.0))


def test_an_lhs_sweep_writes_and_draws_them(tmp_path: Path) -> None:
    exp = tmp_path / "lhs.toml"
    exp.write_text(
        'name = "lhs"\nscenario = "historical"\ndesign = "lhs"\nn = 80\nreplicates = 2\n'
        'seed = 4\noutcomes = ["final_trust_rus_nato"]\n'
        '[[levers]]\nname = "nrc_share"\nlow = 0.0\nhigh = 1.0\n'
        '[[uncertainties]]\nname = "hostile_weight"\nlow = 0.2\nhigh = 0.8\n'
    )
    out = tmp_path / "o"
    assert main(["sweep", str(exp), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    sens = pd.read_csv(out / "sensitivity.csv").set_index("parameter")
    assert set(sens["index"]) == {"PRCC"} and set(sens.method) == {"lhs"}
    runs = pd.read_parquet(out / "runs.parquet")
    means = runs.groupby("point_id")[["nrc_share", "hostile_weight", "final_trust_rus_nato"]].mean()
    want, _ = prcc(means[["nrc_share", "hostile_weight"]].to_numpy(), means.final_trust_rus_nato)
    assert np.allclose(sens.loc[["nrc_share", "hostile_weight"], "value"], want)
    assert sens.loc["hostile_weight", "value"] < 0 < sens.loc["nrc_share", "value"]
    assert main(["plot", str(out), "--quiet"]) == 0
    assert (out / "sensitivity_final_trust_rus_nato.png").is_file()
