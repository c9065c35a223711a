"""The scenario as given, simulated once on the evaluation's seeds, for every section.

The narrative checks, the emergence, alliance and ablation sections and the
in-sample data check all compare with the same runs: the scenario compiled once,
with its own parameters, on the same seeds. :meth:`Baseline.run` simulates them
once and each section is handed the result, instead of simulating it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from sim.experiments.evaluation.panel import Panel
from sim.experiments.evaluation.variants import compiled_with_params, simulate
from sim.model.compile import Compiled
from sim.model.scenario import Scenario

__all__ = ["Baseline"]


@dataclass(frozen=True)
class Baseline:
    """One scenario, compiled, with its parameters and its runs on the given seeds.

    Attributes:
        scenario: The scenario.
        seeds: One seed per replicate.
        comp: The compiled scenario.
        params: Its complete parameters.
        trust: Trust ``(R, T, P)`` of the runs (read-only: every section shares it).
        panel: The runs over the reported years.
        median: Their per-year median.
    """

    scenario: Scenario
    seeds: tuple[int, ...]
    comp: Compiled
    params: dict[str, float]
    trust: np.ndarray
    panel: Panel = field(init=False, repr=False, compare=False)
    median: Panel = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.trust.setflags(write=False)
        panel = Panel.of(self.comp, self.trust)
        object.__setattr__(self, "panel", panel)
        object.__setattr__(self, "median", panel.median())

    @classmethod
    def run(cls, sc: Scenario, seeds: Sequence[int]) -> Baseline:
        """Compile ``sc`` and simulate it with its own parameters on ``seeds``."""
        comp, params = compiled_with_params(sc)
        return cls(sc, tuple(seeds), comp, params, simulate(comp, seeds, params))

    def resampled(self, rows: Sequence[int]) -> Baseline:
        """The same scenario with the replicates ``rows`` (repeats allowed), in that order.

        Every run depends only on its seed, so replicate ``i`` of the result is
        replicate ``rows[i]`` of this one, in every variant a section simulates.
        """
        idx = np.asarray(rows, dtype=int)
        return Baseline(
            self.scenario,
            tuple(self.seeds[i] for i in idx),
            self.comp,
            self.params,
            self.trust[idx],
        )

    def simulate(self, **over: float) -> Panel:
        """The same compiled scenario and seeds with parameters ``over`` laid over its own."""
        return Panel.of(self.comp, simulate(self.comp, self.seeds, {**self.params, **over}))
