"""natosim: an agent-based model of NATO-Russia trust after Kanet & Larive (2012).

Public API::

    from sim import load_scenario, run, write_run, read_sweep, DiplomacyModel

``run(scenario, seed)`` is the model's one pure entry point (tables out);
``write_run(result, folder)`` writes a result's files as ``natosim run`` does;
``trust_figure(result)`` is its ``trust.png`` as a matplotlib figure;
``result.outcomes(...)`` gives a run's outcomes as a sweep records them
(:class:`Outcome` for one of your own);
``read_sweep(folder)`` reads a finished sweep's files back as tables;
``DiplomacyModel`` is its Mesa view (imported lazily, as Mesa is heavy).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.files.errors import InputError
from sim.model.outcomes import Outcome
from sim.model.resolve import load_scenario
from sim.model.result import RunResult
from sim.model.runner import run
from sim.model.scenario import Scenario

#: The error raised for a bad scenario (the project's one input error type).
ScenarioError = InputError

if TYPE_CHECKING:
    from sim.model.mesa_model import DiplomacyModel
    from sim.results.run_figure import trust_figure
    from sim.results.rundir import write_run
    from sim.results.sweep_folder import read_sweep

__all__ = [
    "DiplomacyModel",
    "InputError",
    "Outcome",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "load_scenario",
    "read_sweep",
    "run",
    "trust_figure",
    "write_run",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "DiplomacyModel":
        from sim.model.mesa_model import DiplomacyModel

        return DiplomacyModel
    if name == "write_run":  # results and figures: imported when asked for
        from sim.results.rundir import write_run

        return write_run
    if name == "trust_figure":  # matplotlib: imported when asked for
        from sim.results.run_figure import trust_figure

        return trust_figure
    if name == "read_sweep":
        from sim.results.sweep_folder import read_sweep

        return read_sweep
    raise AttributeError(name)
