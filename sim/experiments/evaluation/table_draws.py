"""One draw of the hand-set numbers, each scaled by its own factor, with the factors named.

The robustness section perturbs every hand-set number that shapes a reading or a
choice (:mod:`~sim.experiments.evaluation.robustness`). A draw keeps the factor
it gave each number, under a name of its own, so that the evaluation can say
which of them carry a conclusion (:mod:`~sim.experiments.evaluation.attribution`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from sim.data import perception
from sim.model import params as P
from sim.model.core import OFFSETS

__all__ = [
    "ACTION_COLUMNS",
    "DECISION_PARAMS",
    "FIGURE_PARAMS",
    "TableDraw",
    "draw_tables",
    "factor_family",
]

#: Columns of the action catalogue that are perturbed.
ACTION_COLUMNS = ("magnitude", "base_logit", "stance", "lever_sg", "lever_nrc", "lever_global")
#: Hand-set parameters of the decision model (reassurance game, reciprocity, turnover).
DECISION_PARAMS = (
    "reassurance",
    "reciprocity",
    "confrontation_cost",
    "cost_decay",
    "cost_relief",
    "turnover_reset",
    "turnover_rate",
)
#: Hand-set parameters perturbed with the tables: the weights of Figure 1's rows and
#: lenses, the members' proximity to a threat, and the decision model's.
FIGURE_PARAMS = (
    *(p for p in P.PARAM_NAMES if p.startswith(("fig_", "lens_"))),
    "proximity",
    *DECISION_PARAMS,
)


@dataclass(frozen=True)
class TableDraw:
    """One draw of the hand-set numbers.

    Attributes:
        catalog: The perturbed catalogue (actions, overrides, alliance readings,
            proximity gradient).
        offsets: The perturbed core offsets.
        params: The complete parameters with the perturbed hand-set ones.
        factors: Name -> the factor drawn for that number, in drawing order:
            ``override:<action>/<side>/<reader>``, ``alliance:<action>/<reader>``,
            ``<column>:<action>`` for the action catalogue, ``offset:<name>``,
            the parameter's own name, and ``proximity_km``. A parameter clipped to
            its bounds keeps the factor drawn.
        numbers: Name -> the number before scaling (the same for every draw from
            the same parameters).
    """

    catalog: perception.Catalog
    offsets: dict[str, float]
    params: dict[str, float]
    factors: dict[str, float]
    numbers: dict[str, float]


def factor_family(name: str) -> str:
    """The family a factor belongs to (``magnitude``, ``override``, ``parameter``...)."""
    head, sep, _ = name.partition(":")
    if sep:
        return head
    return "proximity_km" if name == "proximity_km" else "parameter"


def draw_tables(
    rng: np.random.Generator, params: Mapping[str, float], spread: float = 0.25
) -> TableDraw:
    """Scale each hand-set number by its own factor, uniform in ``[1 − spread, 1 + spread]``.

    Args:
        rng: The robustness section's generator (one draw after another).
        params: The complete parameters the draw starts from.
        spread: Half-width of the factors' range.

    Raises:
        ValueError: Two perturbed numbers would share a name.
    """
    cat = perception.catalog()
    factors: dict[str, float] = {}
    numbers: dict[str, float] = {}

    def factor(name: str) -> Callable[[float], float]:
        if name in factors:
            raise ValueError(f"two perturbed numbers are both named {name!r}")
        f = factors[name] = float(rng.uniform(1.0 - spread, 1.0 + spread))

        def scaled(v: float) -> float:
            numbers[name] = float(v)
            return v * f

        return scaled

    overrides = tuple(
        dataclasses.replace(o, value=factor(f"override:{o.action}/{o.side}/{o.reader}")(o.value))
        for o in cat.overrides
    )
    alliance = tuple(
        dataclasses.replace(a, value=factor(f"alliance:{a.action}/{a.reader}")(a.value))
        for a in cat.alliance
    )
    actions = {
        k: dataclasses.replace(a, **{c: factor(f"{c}:{k}")(getattr(a, c)) for c in ACTION_COLUMNS})
        for k, a in cat.actions.items()
    }
    offsets = {k: factor(f"offset:{k}")(v) for k, v in OFFSETS.items()}
    drawn = dict(params)
    for name in FIGURE_PARAMS:
        spec = P.BY_NAME[name]
        drawn[name] = float(np.clip(factor(name)(params[name]), spec.low, spec.high))
    perturbed = dataclasses.replace(
        cat,
        actions=actions,
        overrides=overrides,
        alliance=alliance,
        proximity_km=factor("proximity_km")(cat.proximity_km),
    )
    return TableDraw(perturbed, offsets, drawn, factors, numbers)
