"""Trust arrays viewed by pair and year: one replicate per row, or their median."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model.compile import Compiled

__all__ = ["DIRECTIONS", "Panel"]

#: The headline directions, by key.
DIRECTIONS: dict[str, tuple[str, str]] = {"rus_nato": ("RUS", "NATO"), "nato_rus": ("NATO", "RUS")}


@dataclass(frozen=True)
class Panel:
    """Trust ``(N, T, P)`` over the reported years, with pair and year lookup.

    ``N`` is the number of replicates, or 1 for the per-year median over them
    (:meth:`median`): the narrative checks run the same code on both.
    """

    years: np.ndarray
    trust: np.ndarray
    pair_index: dict[tuple[str, str], int]

    @classmethod
    def of(cls, comp: Compiled, trust: np.ndarray) -> Panel:
        """The reported years of a batch ``(R, T, P)`` computed for ``comp``."""
        mask = comp.years >= comp.report_from
        return cls(comp.years[mask], trust[:, mask], comp.pair_index)

    def median(self) -> Panel:
        """The per-year, per-pair median over the replicates, as one row."""
        return Panel(self.years, np.median(self.trust, axis=0, keepdims=True), self.pair_index)

    @property
    def n(self) -> int:
        """Number of rows (replicates, or 1 for a median)."""
        return self.trust.shape[0]

    def has(self, *years: int) -> bool:
        """Whether every year given is reported."""
        return all(int(y) in set(self.years.tolist()) for y in years)

    def has_pair(self, observer: str, target: str) -> bool:
        """Whether the directed pair exists in this scenario."""
        return (observer, target) in self.pair_index

    def series(self, observer: str, target: str) -> np.ndarray:
        """Trust of one pair, ``(N, T)``."""
        return self.trust[:, :, self.pair_index[(observer, target)]]

    def at(self, observer: str, target: str, year: int) -> np.ndarray:
        """Trust of one pair in one year, ``(N,)``."""
        i = int(np.flatnonzero(self.years == year)[0])
        return self.trust[:, i, self.pair_index[(observer, target)]]

    def span(self, observer: str, target: str, first: int, last: int) -> np.ndarray:
        """Trust of one pair over ``first..last`` (inclusive), ``(N, years)``."""
        m = (self.years >= first) & (self.years <= last)
        return self.series(observer, target)[:, m]
