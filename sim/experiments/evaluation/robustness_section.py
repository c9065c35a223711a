"""The evaluation's robustness section: every conclusion over draws, and what carries each.

Runs the draws of :mod:`~sim.experiments.evaluation.robustness` (the hand-set
tables, :mod:`~sim.experiments.evaluation.table_draws`, and the calibration's
posterior particles) and attributes the drawn targets to the numbers drawn
(:mod:`~sim.experiments.evaluation.attribution`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments.evaluation import robustness as rob
from sim.experiments.evaluation.attribution import attribute
from sim.experiments.evaluation.table_draws import draw_tables
from sim.experiments.evaluation.variants import with_parameters
from sim.model.resolve import load_scenario
from sim.model.scenario import Scenario
from sim.model.seeds import derive_seed, replicate_seeds

__all__ = ["robustness_section"]


def robustness_section(
    sc: Scenario,
    params: dict[str, float],
    posterior: pd.DataFrame | None,
    draws: int,
    replicates: int,
    seed: int,
    log: Callable[[str], None],
) -> dict[str, Any]:
    """The evaluation's robustness section: the conclusions over the draws, and what carries them.

    Args:
        sc: The scenario evaluated.
        params: Its complete parameters.
        posterior: The calibration's posterior particles (columns: the fitted
            parameters, ``weight``, ``distance``), or None.
        draws: Draws of the hand-set tables (stream ``SeedSequence([seed, 2])``).
        replicates: Replicates per draw (seeds from ``derive_seed(seed, 1)``).
        seed: The evaluation's seed.
        log: Progress messages.

    Returns:
        ``nominal``, ``lever_effects_2012``, ``lever_order``, ``tables`` (draws,
        spread, share, attribution: permutations from ``SeedSequence([seed, 4])``),
        ``replicates`` and, with a posterior, ``posterior`` (draws, share,
        attribution: permutations from ``SeedSequence([seed, 5])``).
    """
    seeds = replicate_seeds(derive_seed(seed, 1), replicates)
    cfs = {n: load_scenario(n) for n in rob.COUNTERFACTUALS}
    proj = with_parameters(load_scenario(rob.PROJECTION), sc.parameters)
    setting = rob.Conclusions(sc, cfs, seeds, proj)
    shipped = setting.compile()
    effects = rob.lever_effects(shipped.scenario, params, seeds)
    order = rob.ordering(effects)
    nominal = rob.conclusions(setting, shipped, params, order, effects)
    rng = np.random.default_rng(np.random.SeedSequence([seed, 2]))
    table_results, factors, figures = [], [], []
    numbers: dict[str, float] = {}  # the numbers before scaling (the same in every draw)
    for _ in range(draws):
        d = draw_tables(rng, params)
        numbers = d.numbers
        a = rob.assess(setting, setting.compile(d.catalog, d.offsets), d.params, order)
        table_results.append(a.verdicts)
        factors.append(d.factors)
        figures.append(a.figures)
    log(f"  robustness: {draws} draws of the hand-set tables (±25 %)")
    perm_rng = np.random.default_rng(np.random.SeedSequence([seed, 4]))
    out: dict[str, Any] = {
        "nominal": nominal,
        "lever_effects_2012": effects,
        "lever_order": list(order),
        "tables": {
            "draws": draws,
            "spread": 0.25,
            "share": rob.shares(table_results, [1.0] * draws),
            "attribution": (
                attribute(
                    factors, figures, rob.drawn_verdicts(table_results), perm_rng, numbers=numbers
                )
                if draws
                else None
            ),
        },
        "replicates": replicates,
    }
    if posterior is not None:
        names = [c for c in posterior.columns if c not in ("weight", "distance")]
        points = [{n: float(row[n]) for n in names} for _, row in posterior.iterrows()]
        assessed = [rob.assess(setting, shipped, {**params, **p}, order) for p in points]
        res = [a.verdicts for a in assessed]
        weights = posterior["weight"].to_numpy()
        out["posterior"] = {
            "draws": len(res),
            "share": rob.shares(res, weights),
            "attribution": attribute(
                points,
                [a.figures for a in assessed],
                rob.drawn_verdicts(res),
                np.random.default_rng(np.random.SeedSequence([seed, 5])),
                weights=list(weights),
                split=None,
            ),
        }
        log(f"  robustness: {len(res)} posterior particles")
    return out
