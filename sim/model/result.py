"""The result of a run: trust arrays plus the tidy tables built from them on demand."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from sim.model.compile import Compiled
from sim.model.core import Trajectories
from sim.model.scenario import Scenario

if TYPE_CHECKING:  # pandas is imported only when a table is asked for (keeps workers light)
    import pandas as pd

__all__ = ["RunResult"]


@dataclass
class RunResult:
    """The outcome of :func:`run`: arrays plus tidy tables built on demand."""

    scenario: Scenario
    compiled: Compiled
    seeds: list[int]
    parameters: dict[str, float]
    arrays: Trajectories

    @property
    def years(self) -> np.ndarray:
        """Reported years."""
        return self.compiled.years[self._year_mask]

    @property
    def _year_mask(self) -> np.ndarray:
        return self.compiled.years >= self.compiled.report_from

    def series(self, observer: str, target: str) -> np.ndarray:
        """Trust of one pair, ``(replicates, years)`` over the reported years."""
        p = self.compiled.pair_index[(observer, target)]
        return self.arrays.trust[:, self._year_mask, p]

    def median(self, observer: str, target: str) -> pd.Series:
        """Median over replicates of one pair's trust, indexed by year."""
        import pandas as pd

        return pd.Series(
            np.median(self.series(observer, target), axis=0), index=self.years, name="trust"
        )

    @cached_property
    def trajectory(self) -> pd.DataFrame:
        """``replicate, seed, year, observer, target, trust``, one row per pair and year."""
        import pandas as pd

        comp = self.compiled
        trust = self.arrays.trust[:, self._year_mask]
        r, t, p = trust.shape
        obs = np.array([a for a, _ in comp.pairs])
        tgt = np.array([b for _, b in comp.pairs])
        return pd.DataFrame(
            {
                "replicate": np.repeat(np.arange(r), t * p),
                "seed": np.repeat(np.array(self.seeds, dtype=np.int64), t * p),
                "year": np.tile(np.repeat(self.years, p), r),
                "observer": np.tile(obs, r * t),
                "target": np.tile(tgt, r * t),
                "trust": trust.reshape(-1),
            }
        )

    @cached_property
    def events(self) -> pd.DataFrame:
        """``replicate, year, actor, action, target, origin`` (scheduled, chosen or shock)."""
        import pandas as pd

        comp = self.compiled
        rows: list[tuple] = []
        years = comp.years
        n_rep = self.arrays.trust.shape[0]
        shocks = sorted(self.scenario.shocks, key=lambda s: s.year)
        for rep in range(n_rep):
            chosen = self.arrays.chosen[rep]
            for ti, year in enumerate(years):
                if year < comp.report_from:
                    continue
                for sh in shocks:
                    if sh.year == year:
                        if sh.kind == "threat":
                            rows.append((rep, year, "WORLD", "threat_shock", sh.theme, "shock"))
                        else:
                            rows.append(
                                (rep, year, sh.actor, "leadership_change", sh.actor, "shock")
                            )
                for o in comp.sched[ti]:
                    rows.append((rep, year, o.actor, o.action, ";".join(o.targets), "scheduled"))
                for k in np.flatnonzero(chosen[ti]):
                    o = comp.slots[k]
                    rows.append((rep, year, o.actor, o.action, o.targets[0], "chosen"))
        return pd.DataFrame(
            rows, columns=["replicate", "year", "actor", "action", "target", "origin"]
        ).astype({"replicate": "int64", "year": "int64"})
