"""One class for "a named parameter with a range": levers, uncertainties and priors.

A :class:`ParamRange` is what a sweep varies (a *lever*, a policy choice, or an
*uncertainty*, an exogenous factor: EMA Workbench's words) and what a
calibration fits (a *prior*, uniform on ``[low, high]``). It is either
continuous (``low``/``high``, optionally restricted to integers) or discrete
(an explicit ``values`` tuple). Designs (:mod:`sim.experiments.designs`),
sensitivity analysis and the ABC-SMC engine all take it; the engine derives its
arrays of lows and highs from a list of them (:func:`bounds_arrays`).

The class itself checks only its own shape, so the designs work for any named
input (e.g. the Ishigami test function). Experiment files add the model's
declaration (:class:`sim.model.params.ParamDef`): the name must be a model
parameter and the range must lie inside its admissible range
(:func:`within_model`, applied by the ``Lever``, ``Uncertainty`` and ``Prior``
field types of the experiment schemas, which also set ``kind`` from the list
the entry sits in).

Example:
    >>> ParamRange("nrc_share", "lever", low=0.0, high=1.0).width
    1.0
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import (
    AfterValidator,
    ConfigDict,
    StrictBool,
    StrictFloat,
    ValidationInfo,
    field_validator,
)
from pydantic.dataclasses import dataclass

from sim.files.field_errors import key_error
from sim.files.hints import did_you_mean
from sim.model import params as P

__all__ = [
    "Kind",
    "Lever",
    "ParamRange",
    "Prior",
    "Uncertainty",
    "bounds_arrays",
    "within_model",
]

#: What a range is for: a policy choice, an unknown of the world, or a fitted prior.
Kind = Literal["lever", "uncertainty", "prior"]
KINDS: tuple[str, ...] = ("lever", "uncertainty", "prior")


@dataclass(frozen=True, config=ConfigDict(extra="forbid"))
class ParamRange:
    """A named parameter with a range (``low``/``high``) or a list of ``values``.

    Exactly one of ``low``/``high`` (continuous) or ``values`` (discrete) must be
    given.

    Attributes:
        name: Name of the parameter (a column of a design matrix).
        kind: ``"lever"``, ``"uncertainty"`` or ``"prior"``; metadata only (every
            design treats all kinds alike). In an experiment file it may be left
            out: the list the entry sits in (``levers``, ``uncertainties``,
            ``parameters``) sets it.
        low: Lower bound of a continuous parameter.
        high: Upper bound of a continuous parameter (must exceed ``low``).
        values: The admissible values of a discrete parameter, in order.
        integer: For continuous parameters only: draw integers in ``[low, high]``
            (both bounds must be integral).

    Raises:
        ValueError: On an empty name, unknown kind, missing or contradictory
            bounds, ``low >= high``, empty or duplicated ``values``, or
            ``integer=True`` with non-integral bounds or with ``values``.
    """

    name: str
    kind: Kind | None = None
    low: StrictFloat | None = None
    high: StrictFloat | None = None
    values: tuple[Any, ...] | None = None
    integer: StrictBool = False

    @field_validator("kind", mode="before")
    @classmethod
    def _known_kind(cls, v: Any, info: ValidationInfo) -> Any:
        if v is not None and v not in KINDS:
            raise ValueError(
                f"ParamRange {info.data.get('name')!r}: kind must be one of "
                f"{', '.join(map(repr, KINDS))}, got {v!r}"
            )
        return v

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError(f"ParamRange name must be a non-empty string, got {self.name!r}")
        has_bounds = self.low is not None or self.high is not None
        if self.values is not None:
            if has_bounds:
                raise ValueError(f"{self.name}: give either low/high or values, not both")
            if self.integer:
                raise ValueError(f"{self.name}: integer = true applies to low/high ranges only")
            if len(self.values) == 0:
                raise ValueError(f"{self.name}: values must not be empty")
            try:
                distinct = len(set(self.values))
            except TypeError as exc:
                raise ValueError(f"{self.name}: values must be hashable ({exc})") from exc
            if distinct != len(self.values):
                raise ValueError(f"{self.name}: values contain duplicates")
            return
        if self.low is None or self.high is None:
            raise ValueError(
                f"{self.name}: a continuous parameter needs both low and high "
                "(or give values for a discrete parameter)"
            )
        low, high = float(self.low), float(self.high)
        if not (math.isfinite(low) and math.isfinite(high)):
            raise ValueError(f"{self.name}: low and high must be finite")
        if low >= high:
            raise ValueError(
                f"{self.name}: low must be below high, got low = {low:g}, high = {high:g}"
            )
        if self.integer and not (low.is_integer() and high.is_integer()):
            raise ValueError(
                f"{self.name}: integer = true needs whole-number bounds, got low={low}, high={high}"
            )
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    @classmethod
    def prior(cls, name: str, low: float, high: float) -> ParamRange:
        """A uniform prior on ``[low, high]`` (``kind = "prior"``)."""
        return cls(name, "prior", low=low, high=high)

    @property
    def is_discrete(self) -> bool:
        """Whether the parameter is given as an explicit list of values."""
        return self.values is not None

    @property
    def bounds(self) -> tuple[float, float]:
        """``(low, high)`` of a continuous parameter.

        Raises:
            ValueError: If the parameter is discrete.
        """
        if self.low is None or self.high is None:
            raise ValueError(f"ParamRange {self.name!r} is discrete and has no bounds")
        return self.low, self.high

    @property
    def width(self) -> float:
        """``high − low`` of a continuous parameter."""
        low, high = self.bounds
        return high - low

    @property
    def choices(self) -> tuple[Any, ...]:
        """The ``values`` of a discrete parameter.

        Raises:
            ValueError: If the parameter is continuous.
        """
        if self.values is None:
            raise ValueError(f"ParamRange {self.name!r} is continuous and has no values")
        return self.values


def bounds_arrays(ranges: Sequence[ParamRange]) -> tuple[np.ndarray, np.ndarray]:
    """Arrays of the lows and highs of continuous ranges, in order.

    Raises:
        ValueError: If a range is discrete.
    """
    pairs = [r.bounds for r in ranges]
    return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])


def unknown_parameter(name: str) -> str:
    """``unknown parameter 'nrc_shar' (did you mean 'nrc_share'?; ...)``, as for a scenario."""
    return f"unknown parameter {name!r}{did_you_mean(name, P.PARAM_NAMES, what='parameters')}"


def within_model(r: ParamRange) -> ParamRange:
    """Check a range against the model's declaration of its parameter.

    The name must be a parameter of :mod:`sim.model.params`, and the range (or
    every value, which must be a number) must lie within its admissible range.

    Returns:
        The range, with numeric ``values`` as floats.

    Raises:
        ValueError: When the parameter is unknown or the range leaves its bounds.
    """
    if r.name not in P.BY_NAME:
        raise ValueError(unknown_parameter(r.name))
    spec = P.BY_NAME[r.name]
    if r.values is not None:
        for v in r.values:
            if isinstance(v, bool) or not isinstance(v, int | float):
                raise ValueError(f"value {v!r} of {r.name} is not a number")
            if not spec.low <= v <= spec.high:
                raise ValueError(f"value {v} outside [{spec.low}, {spec.high}]")
        return dataclasses.replace(r, values=tuple(float(v) for v in r.values))
    low, high = r.bounds
    if not spec.low <= low < high <= spec.high:
        raise ValueError(
            f"{r.name} needs {spec.low} <= low < high <= {spec.high}, got {low}, {high}"
        )
    return r


def _in_list(kind: Kind, *, continuous: bool = False) -> AfterValidator:
    """Validator of one entry of an experiment file's list of ``kind`` ranges."""

    def check(r: ParamRange) -> ParamRange:
        if r.kind not in (None, kind):
            raise ValueError(f"kind {r.kind!r} does not belong in this list (it holds {kind}s)")
        if continuous and r.values is not None:
            raise ValueError(f"a {kind} needs low and high, not values")
        if r.name not in P.BY_NAME:  # put on the entry's key `name`, as the user wrote it
            raise key_error("name", unknown_parameter(r.name), r.name)
        r = within_model(r)
        return r if r.kind == kind else dataclasses.replace(r, kind=kind)

    return AfterValidator(check)


#: A lever of an experiment file (``[[levers]]``), checked against the model.
Lever = Annotated[ParamRange, _in_list("lever")]
#: An uncertainty of an experiment file (``[[uncertainties]]``), checked against the model.
Uncertainty = Annotated[ParamRange, _in_list("uncertainty")]
#: A uniform prior of a calibration file (``[[parameters]]``), checked against the model.
Prior = Annotated[ParamRange, _in_list("prior", continuous=True)]
