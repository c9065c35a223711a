"""The result of a run: trust arrays plus the tidy tables built from them on demand."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from sim.model.compile import Compiled
from sim.model.core import Trajectories
from sim.model.events import EVENT_COLUMNS, fixed_acts
from sim.model.scenario import LEADERS, Scenario

if TYPE_CHECKING:  # pandas is imported only when a table is asked for (keeps workers light)
    import pandas as pd

__all__ = ["RunResult"]


@dataclass(repr=False, eq=False)
class RunResult:
    """The outcome of :func:`run`: arrays plus tidy tables built on demand.

    Its ``repr`` is one line (scenario, replicates, years, first seed); two
    results compare by identity (compare ``trajectory`` or ``arrays.trust`` for
    their numbers).
    """

    scenario: Scenario
    compiled: Compiled
    seeds: list[int]
    parameters: dict[str, float]
    arrays: Trajectories

    def __repr__(self) -> str:
        years = self.years
        span = f"{int(years[0])}-{int(years[-1])}" if len(years) else "no years"
        return (
            f"<RunResult {self.scenario.name!r}: {len(self.seeds)} replicate(s), {span}, "
            f"seed {self.seeds[0] if self.seeds else None}>"
        )

    @property
    def years(self) -> np.ndarray:
        """Reported years."""
        return self.compiled.years[self._year_mask]

    @property
    def _year_mask(self) -> np.ndarray:
        return self.compiled.years >= self.compiled.report_from

    def series(self, observer: str, target: str) -> np.ndarray:
        """Trust of one pair, ``(replicates, years)`` over the reported years.

        Raises:
            KeyError: If the scenario has no trust of ``observer`` in ``target``
                (the message names the pairs it has of that observer).
        """
        p = self.compiled.pair_index.get((observer, target))
        if p is None:
            have = sorted(t for o, t in self.compiled.pair_index if o == observer)
            known = f"{observer}'s trust in: {', '.join(have)}" if have else "no such observer"
            raise KeyError(f"no trust {observer} -> {target} in this scenario ({known})")
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
        """``replicate, year, actor, action, target, origin``.

        Origin ``scheduled``, ``chosen``, ``shock`` (a scenario's shock) or ``drawn``
        (a change of leader drawn after ``turnover_from``).
        """
        import pandas as pd

        comp = self.compiled
        rows: list[tuple] = []
        n_rep = self.arrays.trust.shape[0]
        fixed = fixed_acts(comp, self.scenario)  # shocks and scheduled events
        for rep in range(n_rep):
            chosen = self.arrays.chosen[rep]
            drawn = self.arrays.leaders[rep] if self.arrays.leaders is not None else None
            for ti, year in enumerate(comp.years):
                if year < comp.report_from:
                    continue
                rows.extend((rep, year, *act) for act in fixed.get(int(year), ()))
                if drawn is not None:  # leaders changed by the draw, after the record
                    for i in np.flatnonzero(drawn[ti]):
                        who = LEADERS[i]
                        rows.append((rep, year, who, "leadership_change", who, "drawn"))
                for k in np.flatnonzero(chosen[ti]):
                    o = comp.slots[k]
                    rows.append((rep, year, o.actor, o.action, o.targets[0], "chosen"))
        return pd.DataFrame(rows, columns=list(EVENT_COLUMNS)).astype(
            {"replicate": "int64", "year": "int64"}
        )
