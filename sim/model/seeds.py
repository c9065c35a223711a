"""Run seeds: one seed per run, every other seed derived from it with ``SeedSequence``.

The one place where run seeds are made: ``natosim run`` replicates, sweep runs
and calibration's common random numbers all come from these functions, so any
row of any output can be re-run alone from the seed written in it.
"""

from __future__ import annotations

import numpy as np

__all__ = ["crn_seeds", "derive_seed", "replicate_seeds"]


def derive_seed(master: int, index: int) -> int:
    """A run seed derived from a master seed and an index (SeedSequence based).

    Args:
        master: The master seed.
        index: Which derived seed (0, 1, 2, ...).

    Returns:
        A non-negative integer below 2**53, usable as ``natosim run --seed``. (53
        bits, so the seed survives any float conversion, JSON or spreadsheet.)
    """
    ss = np.random.SeedSequence([int(master), int(index)])
    return int(ss.generate_state(1, np.uint64)[0] >> np.uint64(11))


def replicate_seeds(seed: int, replicates: int) -> list[int]:
    """Seeds of ``replicates`` runs: the first is ``seed`` itself, the rest derived.

    Replicate 0 of ``natosim run --seed N --replicates R`` is therefore the
    same run as ``natosim run --seed N``, and any replicate ``r`` can be re-run
    alone with ``--seed`` set to its recorded seed.
    """
    return [int(seed)] + [derive_seed(seed, r) for r in range(1, replicates)]


def crn_seeds(seed: int, replicates: int) -> list[int]:
    """Common-random-number replicate seeds ``derive_seed(seed, r)``, r = 0..R−1."""
    return [derive_seed(seed, r) for r in range(replicates)]
