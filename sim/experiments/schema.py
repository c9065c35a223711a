"""Experiment files: what to vary, how to sample it, what to record.

An experiment (TOML or YAML, validated like a scenario) names a base
scenario, the *levers* and *uncertainties* to vary (EMA Workbench's words),
a design (``grid``, ``lhs``, ``sobol`` or ``morris``), replicates per point,
one master seed and the outcomes to record. Errors name the file and field.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from sim.data import locate
from sim.experiments.designs import ParamSpec
from sim.files.documents import error_location, read_document
from sim.files.errors import InputError
from sim.model import params as P
from sim.model.outcomes import OUTCOMES
from sim.model.resolve import load_scenario
from sim.model.scenario import Scenario


class VarySpec(BaseModel):
    """One varied parameter: a range (``low``/``high``) or a list of ``values``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    low: float | None = None
    high: float | None = None
    values: tuple[float, ...] | None = None

    @model_validator(mode="after")
    def _check(self) -> VarySpec:
        if self.name not in P.BY_NAME:
            raise ValueError(f"unknown parameter {self.name!r} (known: {', '.join(P.PARAM_NAMES)})")
        spec = P.BY_NAME[self.name]
        if self.values is not None:
            if self.low is not None or self.high is not None:
                raise ValueError("give either values or low/high, not both")
            if not self.values:
                raise ValueError("values must not be empty")
            if len(set(self.values)) != len(self.values):
                raise ValueError("values must not repeat")
            for v in self.values:
                if not spec.low <= v <= spec.high:
                    raise ValueError(f"value {v} outside [{spec.low}, {spec.high}]")
        else:
            if self.low is None or self.high is None:
                raise ValueError("needs low and high (or values)")
            if not spec.low <= self.low < self.high <= spec.high:
                raise ValueError(
                    f"needs {spec.low} <= low < high <= {spec.high}, got {self.low}, {self.high}"
                )
        return self


class Experiment(BaseModel):
    """A validated experiment file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
    description: str = ""
    scenario: str
    design: Literal["grid", "lhs", "sobol", "morris"]
    n: int = Field(default=64, ge=1, le=1_000_000)
    levels: int = Field(default=5, ge=2, le=101)
    second_order: bool = False
    morris_levels: int = Field(default=4, ge=2, le=20)
    resamples: int = Field(default=200, ge=10, le=10_000)
    replicates: int = Field(default=1, ge=1, le=100_000)
    seed: int = Field(default=0, ge=0, le=2**63 - 1)
    outcomes: tuple[str, ...] = tuple(OUTCOMES)
    trajectories: Literal["none", "headline", "all"] = "headline"
    chunk_size: int = Field(default=512, ge=1, le=100_000)
    levers: tuple[VarySpec, ...] = ()
    uncertainties: tuple[VarySpec, ...] = ()

    @field_validator("outcomes")
    @classmethod
    def _known_outcomes(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for o in v:
            if o not in OUTCOMES:
                raise ValueError(f"unknown outcome {o!r} (known: {', '.join(OUTCOMES)})")
        if not v:
            raise ValueError("record at least one outcome")
        return v

    @model_validator(mode="after")
    def _check(self) -> Experiment:
        names = [v.name for v in (*self.levers, *self.uncertainties)]
        if len(set(names)) != len(names):
            raise ValueError("a parameter is listed twice")
        if self.design != "grid" and not names:
            raise ValueError(f"design {self.design!r} needs at least one lever or uncertainty")
        if self.design in ("sobol", "morris") and len(names) < 2:
            raise ValueError(f"design {self.design!r} needs at least two parameters")
        return self

    def param_specs(self) -> list[ParamSpec]:
        """The varied parameters as :class:`sim.design.ParamSpec`, levers first."""
        out = []
        for kind, group in (("lever", self.levers), ("uncertainty", self.uncertainties)):
            for v in group:
                if v.values is not None:
                    out.append(ParamSpec(v.name, kind, values=tuple(v.values)))
                else:
                    out.append(ParamSpec(v.name, kind, low=v.low, high=v.high))
        return out

    def digest(self) -> str:
        """SHA-256 of the canonical form (identifies the experiment for resuming)."""
        blob = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()


def load_experiment(path: str | Path) -> tuple[Experiment, Scenario]:
    """Load and validate an experiment and its base scenario.

    Args:
        path: The experiment file, or the name of a bundled experiment.

    Returns:
        The experiment and its resolved base scenario.

    Raises:
        InputError: Naming the file and field when anything is wrong.
    """
    path = locate.find_input(path, "experiment")
    data: dict[str, Any] = read_document(path, "experiment")
    try:
        exp = Experiment.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        msg = err["msg"].removeprefix("Value error, ")
        raise InputError(path, error_location(err), msg) from None
    try:
        sc_path = locate.find_input(exp.scenario, "scenario", path.parent)
    except InputError as exc:
        raise InputError(path, "scenario", f"scenario {exp.scenario!r}: {exc.message}") from None
    return exp, load_scenario(sc_path)
