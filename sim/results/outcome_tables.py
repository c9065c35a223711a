"""Outcomes of the runs in a folder: a sweep's column, or computed from a run's trajectories.

A run folder (``natosim run``) records trajectories, not outcomes; its
outcomes are computed here from ``trajectory.csv`` by the model's own
definitions (:mod:`sim.model.outcomes`), so ``natosim plot A B --outcome NAME``
compares runs and sweeps on the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.data import tables
from sim.model import outcomes as O
from sim.results import pair_index

__all__ = ["from_trajectory", "trust_view"]


def trust_view(traj: pd.DataFrame, excluded: Sequence[str] = ()) -> O.TrustView:
    """The trust of a trajectory table as the model's :class:`~sim.model.outcomes.TrustView`.

    Args:
        traj: ``replicate, year, observer, target, trust`` (a run's or a sweep's).
        excluded: States the scenario excluded (``actors.exclude``).
    """
    t = traj.rename(columns={"run_id": "replicate"})
    p, pairs = pair_index.pair_codes(t)
    years = np.sort(t.year.unique())
    reps = np.sort(t.replicate.unique())
    cube = np.full((len(reps), len(years), len(pairs)), np.nan)
    r = np.searchsorted(reps, t.replicate.to_numpy())
    y = np.searchsorted(years, t.year.to_numpy())
    cube[r, y, p] = t.trust.to_numpy(dtype=float)
    states = [st for st in tables.states() if st.code not in set(excluded)]
    return O.TrustView(years, cube, pairs, states)


def from_trajectory(
    traj: pd.DataFrame, outcome: str | O.Outcome, excluded: Sequence[str] = ()
) -> np.ndarray:
    """One outcome per replicate of a trajectory table.

    Raises:
        ValueError: For an unknown outcome name.
        KeyError: If the table lacks a pair the outcome needs.
    """
    return O.evaluate(O.resolve(outcome), trust_view(traj, excluded))
