"""Mesa agents: thin views on the core's arrays.

Each agent knows its code and its index in the trust arrays; it holds no state
of its own, so the Mesa view and the ensemble path can never disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from sim.data import tables

if TYPE_CHECKING:
    from sim.model.mesa_model import DiplomacyModel


class ActorAgent(mesa.Agent):
    """An actor of the model (NATO, Russia, a member state or an aspirant)."""

    model: DiplomacyModel

    def __init__(self, model: DiplomacyModel, code: str, name: str, role: str) -> None:
        super().__init__(model)
        self.code = code
        self.name = name
        self.role = role

    def _pair(self, observer: str, target: str) -> float:
        idx = self.model.compiled.pair_index.get((observer, target))
        if idx is None:
            return float("nan")
        return float(self.model.trust_now[idx])

    @property
    def trust_in_russia(self) -> float:
        """This actor's trust toward Russia (NaN for Russia itself)."""
        return self._pair(self.code, tables.RUS)

    @property
    def russia_trust(self) -> float:
        """Russia's trust toward this actor (NaN for Russia itself)."""
        return self._pair(tables.RUS, self.code)

    @property
    def is_member(self) -> bool:
        """Whether the actor is a NATO member now (NATO itself counts as False)."""
        s = self.model.compiled.state_index.get(self.code)
        return bool(s is not None and self.model.state.member[0, s])


class AllianceAgent(ActorAgent):
    """NATO as a collective actor: its decisions blend its members' views."""


class RussiaAgent(ActorAgent):
    """The Russian leadership."""


class StateAgent(ActorAgent):
    """A member state or an aspirant (Ukraine, Georgia)."""

    def __init__(self, model: DiplomacyModel, state: tables.State) -> None:
        super().__init__(model, state.code, state.name, state.role)
        self.tier = state.tier
        self.accession = state.accession
        self.key_partner = state.key_partner
