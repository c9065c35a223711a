"""The pairs of a trajectory table, found with array operations, as Python finds them."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.results import pair_index

CODES = st.sampled_from(["NATO", "RUS", "USA", "DEU", "POL", "UKR"])


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.tuples(CODES, CODES), max_size=40), categorical=st.booleans())
def test_pairs_are_those_python_finds_in_the_same_order(
    rows: list[tuple[str, str]], categorical: bool
) -> None:
    traj = pd.DataFrame(rows, columns=["observer", "target"], dtype=str)
    if categorical:
        traj = traj.astype("category")
    codes, pairs = pair_index.pair_codes(traj)
    assert pairs == list(dict.fromkeys(rows))  # first appearance, as dict.fromkeys(zip(...))
    assert [pairs[c] for c in codes] == rows
    wanted = [("RUS", "NATO"), ("POL", "RUS")]
    assert pair_index.rows_of(traj, wanted).tolist() == [r in wanted for r in rows]


def test_a_missing_code_is_a_pair_of_its_own() -> None:
    traj = pd.DataFrame({"observer": ["RUS", np.nan, "RUS"], "target": ["NATO", "NATO", "NATO"]})
    codes, pairs = pair_index.pair_codes(traj)
    assert codes.tolist() == [0, 1, 0] and pairs[0] == ("RUS", "NATO") and len(pairs) == 2
