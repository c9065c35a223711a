"""The vectorised model simulator handed to ABC-SMC: parameters → per-year median trust.

For a parameter vector θ the model is run with ``replicates`` Monte Carlo
replicates whose seeds are fixed for the whole experiment (``derive_seed(seed,
r)``, *common random numbers*), and the per-year median over replicates of each
target pair is the summary. One ABC batch (particles × replicates) is one call of
:func:`sim.model.runner.run_arrays` (chunked to bound memory). With common random
numbers the loss is a deterministic function of θ, so particles are compared on
the same random draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.model.compile import Compiled
from sim.model.runner import run_arrays

__all__ = ["CHUNK_RUNS", "TrustSimulator"]

#: Runs per call of :func:`sim.model.runner.run_arrays` (bounds memory: trust is (runs, T, P)).
CHUNK_RUNS = 4000


@dataclass
class TrustSimulator:
    """Vectorised model simulator for ABC: parameters → per-year median trust.

    All particles are run on the same replicate seeds (common random numbers), in
    batches of at most :data:`CHUNK_RUNS` runs through :func:`sim.model.runner.run_arrays`.

    Attributes:
        comp: The compiled scenario.
        base: Complete parameter dict (the scenario's values); fitted ones replace these.
        names: Fitted parameter names (columns of ``theta``).
        pairs: Directed trust pairs summarised, in order.
        years: Years summarised (inclusive span).
        seeds: The replicate seeds (one run per seed and particle).
    """

    comp: Compiled
    base: dict[str, float]
    names: list[str]
    pairs: list[tuple[str, str]]
    years: tuple[int, int]
    seeds: list[int]
    n_runs: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self._pair_idx = np.array([self.comp.pair_index[p] for p in self.pairs], dtype=np.intp)
        yrs = self.comp.years
        self._year_idx = np.flatnonzero((yrs >= self.years[0]) & (yrs <= self.years[1]))

    @property
    def n_years(self) -> int:
        """Number of years in the summary."""
        return int(self._year_idx.size)

    def param_sets(self, theta: np.ndarray) -> list[dict[str, float]]:
        """Complete parameter dicts, one per row of ``theta``."""
        return [
            {**self.base, **{n: float(v) for n, v in zip(self.names, row, strict=True)}}
            for row in np.atleast_2d(theta)
        ]

    def trust(self, theta: np.ndarray) -> np.ndarray:
        """Trust of the summarised pairs and years, ``(n, replicates, pairs, years)``."""
        sets = self.param_sets(theta)
        r = len(self.seeds)
        per_chunk = max(1, CHUNK_RUNS // r)
        out = np.empty((len(sets), r, len(self.pairs), self.n_years))
        for i in range(0, len(sets), per_chunk):
            chunk = sets[i : i + per_chunk]
            runs = [p for p in chunk for _ in range(r)]
            arr = run_arrays(self.comp, runs, self.seeds * len(chunk)).trust
            sel = arr[:, self._year_idx][:, :, self._pair_idx]  # (runs, years, pairs)
            out[i : i + len(chunk)] = sel.reshape(len(chunk), r, self.n_years, -1).transpose(
                0, 1, 3, 2
            )
            self.n_runs += len(runs)
        return out

    def medians(self, theta: np.ndarray) -> np.ndarray:
        """Median over replicates, ``(n, pairs, years)``."""
        return np.median(self.trust(theta), axis=1)

    def __call__(self, theta: np.ndarray, seed_seq: np.random.SeedSequence) -> np.ndarray:
        """The ABC ``simulate`` interface (``SimulateFn``): ``(n, pairs · years)``.

        ``seed_seq`` is not used: the replicate seeds are fixed (common random numbers).
        """
        del seed_seq
        med = self.medians(theta)
        return med.reshape(med.shape[0], -1)

    def segments(self) -> list[slice]:
        """Column slices of each pair in the flattened summary."""
        n = self.n_years
        return [slice(i * n, (i + 1) * n) for i in range(len(self.pairs))]
