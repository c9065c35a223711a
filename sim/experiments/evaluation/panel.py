"""Trust arrays viewed by pair and year: one replicate per row, or their median."""

from __future__ import annotations

import numpy as np

from sim.model.outcomes import TrustView

__all__ = ["DIRECTIONS", "Panel"]

#: The headline directions, by key.
DIRECTIONS: dict[str, tuple[str, str]] = {"rus_nato": ("RUS", "NATO"), "nato_rus": ("NATO", "RUS")}


class Panel(TrustView):
    """Trust ``(N, T, P)`` over the reported years, with year lookup and the median.

    The model's :class:`~sim.model.outcomes.TrustView` (pairs, series, group means)
    with what the evaluation adds: ``N`` is the number of replicates, or 1 for the
    per-year median over them (:meth:`median`): the narrative checks run the same
    code on both. Built with :meth:`TrustView.of` from a compiled scenario's batch.
    """

    def median(self) -> Panel:
        """The per-year, per-pair median over the replicates, as one row."""
        med = np.median(self.trust, axis=0, keepdims=True)
        return Panel(self.years, med, self.pairs, self.states)

    def since(self, year: int) -> Panel:
        """The same rows from ``year`` on."""
        keep = self.years >= year
        return Panel(self.years[keep], self.trust[:, keep], self.pairs, self.states)

    @property
    def n(self) -> int:
        """Number of rows (replicates, or 1 for a median)."""
        return self.n_runs

    def has(self, *years: int) -> bool:
        """Whether every year given is reported."""
        return all(int(y) in set(self.years.tolist()) for y in years)

    def at(self, observer: str, target: str, year: int) -> np.ndarray:
        """Trust of one pair in one year, ``(N,)``."""
        i = int(np.flatnonzero(self.years == year)[0])
        return self.series(observer, target)[:, i]

    def span(self, observer: str, target: str, first: int, last: int) -> np.ndarray:
        """Trust of one pair over ``first..last`` (inclusive), ``(N, years)``."""
        m = (self.years >= first) & (self.years <= last)
        return self.series(observer, target)[:, m]
