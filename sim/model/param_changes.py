"""Parameters that change in a given year: a scenario's ``[[parameter_changes]]``.

``[parameters]`` hold for the whole run, history included. A projection's
question is often about a policy from a year on — what if the Council had
carried the agenda after 2012 — so a scenario may also set parameters from a
year::

    [[parameter_changes]]
    year = 2013
    parameters = { nrc_share = 0.8, sg_entrepreneurship = 0.8 }

From that year's step on, the run uses the new values; the years before are
those of the same scenario without the change, number for number (the random
numbers are drawn up front and do not depend on parameters). What a parameter
shaped at the start is derived again from the new values: the weights of the
Figure 1 readings (``fig_*``, ``nato_globalism``, ``sg_entrepreneurship``,
``proximity``) and the members' exposure under the Council (``nrc_share``);
Russia's assertiveness moves by the change of ``rus_assertiveness`` (its
leaders' turns add to it as before). A change in the first simulated year is
therefore the same run as the value set in ``[parameters]`` (tested). The
parameters that only set the first year's trust and its anchors cannot change
later (:data:`START_ONLY`). Changes are listed like events: a child's add to its
parent's, and a later one of the same parameter overrides an earlier. A change
holds from its year on, so a parent's change dated before a child's later first
year holds from that first year (a child of ``nrc_rejuvenated_2013`` that starts
in 2015 keeps the Council of 2013); a parent's change after the child's last
year drops out.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, StrictInt, field_validator

from sim.files.errors import shown
from sim.model import params as P
from sim.model.vocabulary import did_you_mean

__all__ = [
    "START_ONLY",
    "ParameterChange",
    "changed_from",
    "check_parameters",
    "held_back",
    "steps",
]

#: Parameters that set where trust starts and what it relaxes to: a change in a
#: later year would have nothing to act on. Name -> why (for the message).
START_ONLY: dict[str, str] = {
    "initial_trust": "sets the first year's trust",
    "baseline_trust": "sets the level trust starts relaxing to",
    "alliance_trust": "sets where the members' trust in each other starts",
    "two_tier": "also sets where the new members' trust starts",
}


def check_parameters(v: Any, later: bool = False) -> Any:
    """A table of parameter values as a file writes it, checked name by name.

    Args:
        v: The table.
        later: The values apply from a later year (:data:`START_ONLY` refused).

    Raises:
        ValueError: Naming the first unknown parameter, non-number or value out of range.
    """
    if not isinstance(v, dict):
        raise ValueError("must be a table of name = value")
    for k, x in v.items():
        if k not in P.BY_NAME:
            raise ValueError(
                f"unknown parameter {k!r}{did_you_mean(k, P.PARAM_NAMES, what='parameters')}"
            )
        if later and k in START_ONLY:
            raise ValueError(
                f"{k} {START_ONLY[k]}: it is not changed from a year on (set it in [parameters])"
            )
        if isinstance(x, bool) or not isinstance(x, int | float):
            raise ValueError(f"{k} must be a number, got {shown(x)}")
        try:
            P.check_value(k, x)
        except OverflowError:  # an integer too large for a float
            raise ValueError(f"{k} must be within range, got {shown(x)}") from None
        except ValueError as exc:
            raise ValueError(f"{k} {exc}") from None
    return v


class ParameterChange(BaseModel):
    """Parameters set from a year on (that year's step and every later one)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: StrictInt
    parameters: dict[str, float]
    note: str = ""

    @field_validator("parameters", mode="before")
    @classmethod
    def _params(cls, v: Any) -> Any:
        v = check_parameters(v, later=True)
        if not v:
            raise ValueError("is empty: name at least one parameter and its value")
        return v


def steps(changes: tuple[ParameterChange, ...], years: np.ndarray) -> dict[int, dict[str, float]]:
    """The changes by year index: earlier ones from the first year, later ones dropped.

    Args:
        changes: The scenario's changes, in file order.
        years: The simulated years.

    Returns:
        Year index -> the parameters set from it (in year order, a later entry
        for the same parameter wins; changes before the first year all fall on
        index 0, in their order).
    """
    first, last = int(years[0]), int(years[-1])
    out: dict[int, dict[str, float]] = {}
    for c in sorted(changes, key=lambda c: c.year):  # stable: file order within a year
        if c.year <= last:
            out.setdefault(max(c.year, first) - first, {}).update(
                {k: float(v) for k, v in c.parameters.items()}
            )
    return out


def changed_from(changes: tuple[ParameterChange, ...], start: int, end: int) -> dict[str, int]:
    """Each parameter a scenario changes in its span, with the first year it holds from.

    Args:
        changes: The scenario's changes.
        start: First simulated year (earlier changes hold from it).
        end: Last simulated year (later changes drop out).
    """
    out: dict[str, int] = {}
    for c in sorted(changes, key=lambda c: c.year):
        if c.year <= end:
            for k in c.parameters:
                out.setdefault(k, max(c.year, start))
    return out


def held_back(name: str, year: int, scenario: str) -> str:
    """Why a value for the whole run cannot be given to a parameter a scenario changes."""
    return (
        f"scenario {scenario!r} changes {name} from {year} ([[parameter_changes]]), so a value "
        f"for the whole run would not hold from then; set it in a scenario without that change "
        f"(or extend the scenario and change it from a year of your own)"
    )
