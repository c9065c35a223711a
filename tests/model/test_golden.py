"""Golden file: the historical scenario's headline trust must not drift unnoticed.

Regenerate deliberately with ``NATOSIM_UPDATE_GOLDEN=1 uv run pytest tests/model/test_golden.py``
after a model change, and say why in the commit message.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from sim import run

GOLDEN = Path(__file__).parent / "golden" / "historical_seed1991.csv"


def test_historical_headline_matches_golden():
    res = run("historical", seed=1991, replicates=3)
    df = res.trajectory
    df = df[df.observer.isin(["NATO", "RUS"]) & df.target.isin(["NATO", "RUS", "USA", "POL"])]
    df = df.reset_index(drop=True)
    if os.environ.get("NATOSIM_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        df.to_csv(GOLDEN, index=False, float_format="%.12f")
    gold = pd.read_csv(GOLDEN)
    assert list(gold.columns) == list(df.columns)
    assert (
        gold[["replicate", "seed", "year"]].to_numpy()
        == df[["replicate", "seed", "year"]].to_numpy()
    ).all()
    np.testing.assert_allclose(df.trust.to_numpy(), gold.trust.to_numpy(), rtol=0, atol=1e-10)
