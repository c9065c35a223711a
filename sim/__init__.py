"""natosim: an agent-based model of NATO-Russia trust after Kanet & Larive (2012).

Public API::

    from sim import load_scenario, run, DiplomacyModel

``run(scenario, seed)`` is the model's one pure entry point (tables out);
``DiplomacyModel`` is its Mesa view (imported lazily, as Mesa is heavy).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.run import RunResult, run
from sim.scenario import Scenario, ScenarioError, load_scenario

if TYPE_CHECKING:
    from sim.model import DiplomacyModel

__all__ = ["DiplomacyModel", "RunResult", "Scenario", "ScenarioError", "load_scenario", "run"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "DiplomacyModel":
        from sim.model import DiplomacyModel

        return DiplomacyModel
    raise AttributeError(name)
