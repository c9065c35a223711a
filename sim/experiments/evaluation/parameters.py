"""Every number the model is built on: its value, its range, what the data say of it.

Model parameters (``sim/model/params.py``) are listed with their value in the
evaluated scenario, their admissible range, the calibration prior where one is
fitted and how far the posterior narrows it, and a value from the literature
where an honest analogue exists. The hand-set numbers of the design tables are
counted, with which of them the robustness draws perturb.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from sim.data import perception, tables
from sim.model import params as P
from sim.model.core import OFFSETS, THREAT_WEIGHT
from sim.model.readings import EXPOSURE

__all__ = ["LITERATURE", "hand_set_counts", "parameter_table"]

#: Literature analogues (value, what it is, citation). Only where one honestly applies.
LITERATURE: dict[str, dict[str, object]] = {
    "hostile_weight": {
        "value": 2.25,
        "what": "ratio hostile_weight / friendly_weight compared with the loss-aversion "
        "coefficient (losses weigh about 2.25 times gains)",
        "citation": "Tversky, A. & Kahneman, D. (1992). Advances in prospect theory: "
        "cumulative representation of uncertainty. Journal of Risk and Uncertainty 5(4): "
        "297-323; the asymmetry itself: Slovic, P. (1993). Perceived risk, trust, and "
        "democracy. Risk Analysis 13(6): 675-682",
        "ratio_to": "friendly_weight",
    },
}

#: Columns of the action catalogue that hold hand-set numbers.
ACTION_NUMBERS = (
    "magnitude",
    "base_logit",
    "stance",
    "complicity",
    "effect_size",
    "lever_sg",
    "lever_nrc",
    "lever_global",
    "promise_bonus",
    "standing",
)


def hand_set_counts(perturbed: tuple[str, ...]) -> dict[str, dict[str, int | bool]]:
    """How many hand-set numbers each table holds, and whether robustness perturbs them.

    Args:
        perturbed: Action columns perturbed by the robustness draws.
    """
    cat = perception.catalog()
    out: dict[str, dict[str, int | bool]] = {
        "overrides.value": {"count": len(cat.overrides), "perturbed": True},
        "alliance.value": {"count": len(cat.alliance), "perturbed": True},
        "core.DOMESTIC_SHIFT": {"count": 1, "perturbed": False},
        # written in the equations (docs/ODD.md §2.6): lens modifiers 0.4 and 0.7,
        # two-tier factors 0.5 and 2, the key members' exposure share 0.5, forum
        # thresholds 0.05 and 0.5, the energy scale 0.5 + gas dependence, the NRC's
        # friendly gain 0.5 and the energy-target threshold gas dependence >= 1.0
        "core.equation_constants": {"count": 10, "perturbed": False},
        "readings.EXPOSURE": {
            "count": sum(1 for v in EXPOSURE.values() if v != 1.0),
            "perturbed": False,
        },
    }
    for col in ACTION_NUMBERS:
        n = sum(1 for a in cat.actions.values() if getattr(a, col) != 0)
        out[f"actions.{col}"] = {"count": n, "perturbed": col in perturbed}
    out["core.offsets"] = {"count": len(OFFSETS), "perturbed": True}
    out["core.THREAT_WEIGHT"] = {"count": 1 if THREAT_WEIGHT else 0, "perturbed": False}
    out["states.voice_gas_dependence"] = {"count": 2 * len(tables.states()), "perturbed": False}
    out["geography.PROXIMITY_KM"] = {"count": 1, "perturbed": True}
    return out


def parameter_table(
    values: Mapping[str, float], posterior_summary: pd.DataFrame | None
) -> list[dict]:
    """One row per model parameter.

    Args:
        values: The evaluated scenario's resolved parameter values.
        posterior_summary: The calibration's summary (``parameter, median, q05, q95,
            prior_low, prior_high``) or None.

    Returns:
        Rows with ``name, kind, value, low, high, prior, posterior, identified_share,
        literature``; ``identified_share`` is the posterior 90 % interval as a share of
        the prior range (small: the data pin it down; near 1: they do not).
    """
    summ = {} if posterior_summary is None else posterior_summary.set_index("parameter")
    rows = []
    for spec in P.PARAMS:
        row: dict[str, object] = {
            "name": spec.name,
            "kind": spec.kind,
            "value": float(values[spec.name]),
            "low": spec.low,
            "high": spec.high,
            "prior": None,
            "posterior": None,
            "identified_share": None,
            "literature": None,
        }
        if posterior_summary is not None and spec.name in summ.index:
            s = summ.loc[spec.name]
            lo, hi = float(s["prior_low"]), float(s["prior_high"])
            row["prior"] = [lo, hi]
            row["posterior"] = {
                "median": float(s["median"]),
                "q05": float(s["q05"]),
                "q95": float(s["q95"]),
            }
            row["identified_share"] = float((s["q95"] - s["q05"]) / (hi - lo))
        lit = LITERATURE.get(spec.name)
        if lit is not None:
            entry = dict(lit)
            if "ratio_to" in lit:
                entry["model_value"] = float(values[spec.name] / values[str(lit["ratio_to"])])
            row["literature"] = entry
        rows.append(row)
    return rows
