"""The Mesa view of the model: ``DiplomacyModel``.

``DiplomacyModel`` runs the same core as :func:`sim.run` with one
replicate. Its random numbers come from the model's own generator
(``self.rng``, seeded by ``rng=``), drawn up front in the same order as
:func:`sim.model.state.draw_noise`, so a Mesa run and ``natosim run`` with the same
seed give identical numbers. It works with Mesa's tools unmodified
(``DataCollector``, ``mesa.batch_run``, ``SolaraViz``).

Example:
    >>> from sim import DiplomacyModel
    >>> m = DiplomacyModel(scenario="historical", rng=1)
    >>> while m.running:
    ...     m.step()
    >>> df = m.datacollector.get_model_vars_dataframe()
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from sim.data import tables
from sim.files.errors import InputError
from sim.model import params as P
from sim.model.agents import AllianceAgent, RussiaAgent, StateAgent
from sim.model.compile import compile_scenario
from sim.model.core import init_state, noise_from, sigmoid, step
from sim.model.resolve import load_scenario
from sim.model.runner import resolve_params, whole_number
from sim.model.scenario import LEADERS, Scenario
from sim.model.state import retune

if TYPE_CHECKING:
    import pandas as pd


class DiplomacyModel(mesa.Model):
    """NATO-Russia diplomacy under Figure 1's perception rules (one replicate).

    Args:
        scenario: Scenario path, name in ``scenarios/``, dict or Scenario.
        rng: Integer seed of the model's random numbers, 0 to 2**63 - 1 as
            ``run``'s seed (default: the scenario's seed), or a numpy Generator,
            SeedSequence or BitGenerator. Only an integer seed reproduces
            ``run(scenario, seed)``: given a Generator, Mesa first draws from it, so
            the stream differs.
        **overrides: Parameter values replacing the scenario's (see
            :mod:`sim.model.params`), e.g. ``nrc_share=0.8``.
    """

    def __init__(
        self,
        scenario: str | Path | Scenario | dict = "historical",
        rng: Any = None,
        **overrides: float,
    ) -> None:
        if "seed" in overrides:  # Mesa 3 names the model's seed rng
            raise InputError(
                f"seed={overrides['seed']!r}: DiplomacyModel takes its seed as rng= "
                "(Mesa 3's name for it; natosim run and sim.run call it seed)"
            )
        sc = load_scenario(scenario)
        ok = (np.random.Generator, np.random.SeedSequence, np.random.BitGenerator)
        if rng is not None and not isinstance(rng, ok):
            rng = whole_number(rng, "rng", 0)  # a seed, as run(seed=...) takes it
        super().__init__(rng=sc.seed if rng is None else rng)
        self.scenario_spec = sc
        self.parameters = resolve_params(sc, overrides)
        self.compiled = compile_scenario(sc)
        self._prm = P.param_arrays([self.parameters])
        noise = noise_from(self.rng, self.compiled)
        self._u, self._z, self._q = noise.u[None], noise.z[None], noise.q[None]
        self.state = init_state(self.compiled, self._prm, self._q)
        self.year = int(self.compiled.years[0]) - 1
        self.trust_now = sigmoid(self.state.L[0])
        self.event_log: list[dict[str, Any]] = []

        AllianceAgent(self, tables.NATO, "NATO", "alliance")
        RussiaAgent(self, tables.RUS, "Russia", "russia")
        for st in self.compiled.states:
            StateAgent(self, st)

        self.datacollector = mesa.DataCollector(
            model_reporters={
                "year": "year",
                "trust_nato_rus": lambda m: m.trust("NATO", "RUS"),
                "trust_rus_nato": lambda m: m.trust("RUS", "NATO"),
                "members": lambda m: int(m.state.member[0].sum()),
                "nrc_strength": lambda m: float(m.state.inst[0]),
            },
            agent_reporters={
                "code": "code",
                "trust_in_russia": "trust_in_russia",
                "russia_trust": "russia_trust",
                "member": "is_member",
            },
        )
        self.running = True

    def trust(self, observer: str, target: str) -> float:
        """Current trust of ``observer`` toward ``target``."""
        return float(self.trust_now[self.compiled.pair_index[(observer, target)]])

    @property
    def events(self) -> pd.DataFrame:
        """The events so far, as ``RunResult.events`` gives them (shocks included).

        The columns and types of ``events.csv`` (replicate 0), for the years
        reported up to now; after the last step, equal to ``sim.run``'s with the
        same seed and parameters. ``event_log`` keeps the acts as logged, without
        the scenario's shocks.
        """
        from sim.model.events import event_rows, events_frame

        return events_frame(event_rows(self))

    def step(self) -> None:
        """Advance one simulated year and record it (does nothing after the last year)."""
        if self.state.t >= len(self.compiled.years):
            self.running = False
            return
        ti = self.state.t
        self._prm = retune(self.compiled, self._prm, self.state, self._q)  # scheduled changes
        occ = step(self.compiled, self._prm, self.state, self._u[:, ti], self._z[:, ti])
        self.trust_now = sigmoid(self.state.L[0])
        self.year = int(self.compiled.years[ti])
        if self.year >= self.compiled.report_from:
            for o in self.compiled.sched[ti]:
                self.event_log.append(self._event(o.actor, o.action, o.targets, "scheduled"))
            for i in np.flatnonzero(self.state.drawn_leaders[0]):  # leaders changed by the draw
                who = LEADERS[i]
                self.event_log.append(self._event(who, "leadership_change", (who,), "drawn"))
            for k in np.flatnonzero(occ[0]):
                o = self.compiled.slots[k]
                self.event_log.append(self._event(o.actor, o.action, o.targets, "chosen"))
            self.datacollector.collect(self)
        if self.state.t >= len(self.compiled.years):
            self.running = False

    def _event(self, actor: str, action: str, targets: tuple[str, ...], origin: str) -> dict:
        return {
            "year": self.year,
            "actor": actor,
            "action": action,
            "target": ";".join(targets),
            "origin": origin,
        }
