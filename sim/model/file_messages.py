"""Messages for scenario files that say what the mistake is.

An experiment handed to ``natosim run`` is named as an experiment; a pydantic
error becomes one line in the project's words (an unknown key with the nearest
keys of the table it sits in, a value outside its choices or bounds).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from sim.files.errors import InputError
from sim.files.field_errors import type_message, value_message
from sim.model import params as P
from sim.model import scenario as S
from sim.model.param_changes import ParameterChange
from sim.model.vocabulary import did_you_mean

__all__ = ["EXPERIMENT_KEYS", "error_message", "is_experiment", "not_an_experiment"]

#: Keys only an experiment file has (``natosim sweep``, ``natosim calibrate``).
EXPERIMENT_KEYS = (
    "kind",
    "design",
    "levers",
    "uncertainties",
    "replicates",
    "scenario",
    "scenarios",
    "abc",
    "targets",
    "outcomes",
    "trajectories",
)


def is_experiment(data: dict[str, Any]) -> bool:
    """Whether a file's keys are an experiment's (one only it has, none only a scenario has)."""
    shared = {"name", "description", "seed", "parameters"}
    return any(k in data for k in EXPERIMENT_KEYS) and not any(
        k in data for k in (*S.Scenario.model_fields, "extends") if k not in shared
    )


def not_an_experiment(path: Path, data: dict[str, Any], seen: tuple[Path, ...]) -> None:
    """An experiment file read as a scenario is named as such, not as unknown keys.

    Args:
        path: The file.
        data: Its keys.
        seen: The files that led to it by ``extends`` (the last names it).

    Raises:
        InputError: If the file has a key only an experiment has and none only
            a scenario has.
    """
    if not is_experiment(data):
        return  # a scenario (perhaps with a mistyped key, which validation names)
    found = [k for k in EXPERIMENT_KEYS if k in data]
    what = f"this is an experiment, not a scenario (it has {', '.join(map(repr, found[:3]))})"
    if seen:  # named by a child's extends
        raise InputError(seen[-1], "extends", f"parent {path.name}: {what}")
    raise InputError(path, None, f"{what}: run it with natosim sweep or natosim calibrate")


#: The model class at each location of a scenario file (for its keys).
_MODEL_AT: dict[str, type[BaseModel]] = {
    "time": S.TimeSpan,
    "actors": S.ActorsSpec,
    "events": S.EventSpec,
    "remove": S.Matcher,
    "forbid": S.Matcher,
    "shocks": S.ShockSpec,
    "parameter_changes": ParameterChange,
    "figure1": S.Figure1Block,
}


def _keys(model: type[BaseModel]) -> list[str]:
    out = [f.alias or name for name, f in model.model_fields.items()]
    if model is S.EventSpec:
        out.append("target")
    if model is S.Scenario:
        out.append("extends")
    return out


def error_message(err: dict[str, Any]) -> str:
    """One pydantic error of a scenario file as one line in the project's words."""
    kind = err["type"]
    loc = [p for p in err.get("loc", ()) if not isinstance(p, int)]
    if kind == "extra_forbidden":
        model = _MODEL_AT.get(str(loc[0]), S.Scenario) if len(loc) > 1 else S.Scenario
        if model is ParameterChange and str(loc[-1]) in P.BY_NAME:
            return (
                f"unknown key {loc[-1]!r}: a parameter goes in the change's table, "
                f"parameters = {{ {loc[-1]} = ... }}"
            )
        return f"unknown key {loc[-1]!r}{did_you_mean(str(loc[-1]), _keys(model))}"
    typed = type_message(err) or value_message(err)
    if typed is not None:
        return typed
    if kind == "missing":
        return "is required"
    return str(err["msg"]).removeprefix("Value error, ")
