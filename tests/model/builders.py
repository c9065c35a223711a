"""Small constructed scenarios and parameter arrays for the model's unit tests."""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.data import tables
from sim.model import params as P
from sim.model.compile import Compiled, compile_scenario
from sim.model.resolve import load_scenario

#: Parameters that switch off everything but what a test looks at.
QUIET: dict[str, float] = {"noise": 0.0, "surprise": 0.0, "lens_discount": 0.0}


def compiled(start: int = 1991, end: int = 1995, **keys: Any) -> Compiled:
    """A scenario without the timeline (no scheduled events unless given), compiled."""
    data = {"name": "unit", "time": {"start": start, "end": end}, **keys}
    return compile_scenario(load_scenario(data))


def params(r: int = 1, **values: float) -> dict[str, np.ndarray]:
    """Parameter arrays ``(r,)``: the defaults with ``values`` replaced."""
    return P.param_arrays([{**P.DEFAULTS, **values}] * r)


def param_rows(rows: list[dict[str, float]]) -> dict[str, np.ndarray]:
    """Parameter arrays, one replicate per dict of replaced defaults."""
    return P.param_arrays([{**P.DEFAULTS, **row} for row in rows])


def event(year: int, actor: str, action: str, *targets: str) -> dict[str, Any]:
    """A scheduled event as a scenario file writes it."""
    return {"year": year, "actor": actor, "action": action, "targets": list(targets)}


def slot(comp: Compiled, actor: str, action: str, target: str) -> int:
    """Index of the choice slot (actor, action, target)."""
    for j, o in enumerate(comp.slots):
        if (o.actor, o.action, o.targets) == (actor, action, (target,)):
            return j
    raise LookupError((actor, action, target))


def pair(comp: Compiled, reader: str, other: str) -> int:
    """Index of the directed trust pair (reader's trust in other)."""
    return comp.pair_index[(reader, other)]


def state(code: str) -> tables.State:
    """A state of ``seeds/states.csv`` by code."""
    return next(s for s in tables.states() if s.code == code)
