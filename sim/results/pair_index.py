"""The directed pairs of a trajectory table, found with array operations.

A sweep of a million runs writes tens of millions of trajectory rows; walking
them in Python (``set(zip(observer, target))``) took minutes where hashing the
columns takes seconds. Every reader of a table's pairs goes through here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["pair_codes", "pairs", "rows_of"]


def pair_codes(traj: pd.DataFrame) -> tuple[np.ndarray, list[tuple[str, str]]]:
    """Each row's pair as a code, and the pairs in the order they first appear.

    Args:
        traj: A table with ``observer`` and ``target`` columns.

    Returns:
        ``codes`` (one integer per row, indexing ``pairs``) and ``pairs``.
    """
    obs, observers = pd.factorize(traj.observer, use_na_sentinel=False)
    tgt, targets = pd.factorize(traj.target, use_na_sentinel=False)
    width = max(len(targets), 1)
    codes, first = pd.factorize(obs * width + tgt, use_na_sentinel=False)
    found = [(str(observers[k // width]), str(targets[k % width])) for k in first]
    return np.asarray(codes), found


def pairs(traj: pd.DataFrame) -> list[tuple[str, str]]:
    """The table's directed pairs ``(observer, target)``, in the order they first appear."""
    return pair_codes(traj)[1]


def rows_of(traj: pd.DataFrame, wanted: Sequence[tuple[str, str]]) -> np.ndarray:
    """A boolean mask of the rows whose pair is one of ``wanted``."""
    codes, found = pair_codes(traj)
    keep = np.array([p in set(wanted) for p in found], dtype=bool)
    return keep[codes] if len(found) else np.zeros(len(traj), dtype=bool)
