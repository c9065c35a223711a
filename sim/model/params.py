"""Model parameters: names, defaults, admissible ranges and meaning.

Every numeric knob of the model is declared once, in :mod:`sim.model.param_table`. Scenario files,
``DiplomacyModel(**overrides)``, ``natosim run --set`` and experiment files all
refer to these names, and validation uses the ranges below.

Parameters come in two kinds, after the XLRM vocabulary of EMA Workbench:
*levers* are choices an actor makes (the article's three levers), and
*uncertainties* are things about the world the model cannot know.
"""

from __future__ import annotations

import numpy as np

from sim.model.param_table import PARAMS, ParamDef

__all__ = [
    "BY_NAME",
    "DEFAULTS",
    "LEVERS",
    "PARAMS",
    "PARAM_NAMES",
    "ParamDef",
    "check_value",
    "param_arrays",
]

PARAM_NAMES: tuple[str, ...] = tuple(p.name for p in PARAMS)
BY_NAME: dict[str, ParamDef] = {p.name: p for p in PARAMS}
DEFAULTS: dict[str, float] = {p.name: p.default for p in PARAMS}
LEVERS: tuple[str, ...] = tuple(p.name for p in PARAMS if p.kind == "lever")


def check_value(name: str, value: object) -> float:
    """Validate one parameter value and return it as a float.

    Args:
        name: Parameter name.
        value: Candidate value.

    Returns:
        The value as a float.

    Raises:
        KeyError: If the name is not a parameter.
        ValueError: If the value is not a finite number within range.
    """
    if name not in BY_NAME:
        raise KeyError(name)
    spec = BY_NAME[name]
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ValueError(f"must be a number, got {value!r}")
    v = float(value)
    if not np.isfinite(v) or v < spec.low or v > spec.high:
        raise ValueError(f"must be within [{spec.low}, {spec.high}], got {v}")
    return v


def param_arrays(values: list[dict[str, float]]) -> dict[str, np.ndarray]:
    """Stack per-run parameter dictionaries into arrays of shape ``(R,)``.

    Args:
        values: One complete parameter dictionary per replicate.

    Returns:
        Mapping from parameter name to a float64 array with one entry per replicate.
    """
    return {n: np.array([v[n] for v in values], dtype=np.float64) for n in PARAM_NAMES}
