"""How much each conclusion rests on hand-set numbers or on one fitted point.

Two families of draws, each run on the same seeds (common random numbers):

- **tables**: every hand-set number that shapes a reading or a choice — the
  weights of Figure 1's rows and lenses (``fig_*``, ``lens_*``) and of the decision
  model, each hand-set reading that remains (``overrides.csv``) and each reading of
  the alliance's politics (``alliance.csv``), each action's magnitude, base rate,
  stance and three lever loadings, the distance over which a member's share of a
  threat to a place falls off, and the core's tier and new-member offsets —
  multiplied by its own factor drawn uniformly in ``[1 − spread, 1 + spread]``;
- **posterior**: each particle of the calibration's posterior, with its weight.

For each draw every conclusion is evaluated on the median of the replicates;
the result is the (weighted) share of draws in which it holds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from sim.data import perception
from sim.data.tables import NATO, RUS
from sim.experiments.evaluation.checks import NARRATIVE
from sim.experiments.evaluation.panel import Panel
from sim.experiments.evaluation.variants import simulate
from sim.model import params as P
from sim.model.compile import Compiled, compile_scenario
from sim.model.core import OFFSETS
from sim.model.scenario import Scenario

__all__ = [
    "ACTION_COLUMNS",
    "CompiledSetting",
    "Conclusions",
    "conclusions",
    "lever_effects",
    "ordering",
    "perturbed_tables",
    "shares",
]

#: Columns of the action catalogue that are perturbed.
ACTION_COLUMNS = ("magnitude", "base_logit", "stance", "lever_sg", "lever_nrc", "lever_global")
#: Hand-set parameters perturbed with the tables: the weights of Figure 1's rows and
#: lenses, the members' proximity to a threat, and the decision model's (reassurance
#: game, reciprocity, turnover).
DECISION_PARAMS = (
    "reassurance",
    "reciprocity",
    "confrontation_cost",
    "cost_decay",
    "cost_relief",
    "turnover_reset",
    "turnover_rate",
)
FIGURE_PARAMS = (
    *(p for p in P.PARAM_NAMES if p.startswith(("fig_", "lens_"))),
    "proximity",
    *DECISION_PARAMS,
)
#: Counterfactuals that must end 2012 with more Russian trust than history.
COUNTERFACTUALS = ("no_enlargement", "nrc_rejuvenated")
YEAR = 2012


def perturbed_tables(
    rng: np.random.Generator, params: Mapping[str, float], spread: float = 0.25
) -> tuple[perception.Catalog, dict[str, float], dict[str, float]]:
    """One draw of the hand-set numbers, each scaled by its own factor.

    Returns:
        The perturbed catalogue, core offsets and parameters (Figure 1 weights).
    """
    cat = perception.catalog()

    def f() -> float:
        return float(rng.uniform(1.0 - spread, 1.0 + spread))

    overrides = tuple(dataclasses.replace(o, value=o.value * f()) for o in cat.overrides)
    alliance = tuple(dataclasses.replace(a, value=a.value * f()) for a in cat.alliance)
    actions = {
        k: dataclasses.replace(a, **{c: getattr(a, c) * f() for c in ACTION_COLUMNS})
        for k, a in cat.actions.items()
    }
    offsets = {k: v * f() for k, v in OFFSETS.items()}
    drawn = dict(params)
    for name in FIGURE_PARAMS:
        spec = P.BY_NAME[name]
        drawn[name] = float(np.clip(params[name] * f(), spec.low, spec.high))
    perturbed = dataclasses.replace(
        cat,
        actions=actions,
        overrides=overrides,
        alliance=alliance,
        proximity_km=cat.proximity_km * f(),
    )
    return perturbed, offsets, drawn


@dataclass(frozen=True)
class CompiledSetting:
    """The scenario and its counterfactuals compiled with one set of tables.

    Compiling depends on the tables (catalogue and core offsets), never on the
    parameters: the posterior's particles all share the shipped tables' arrays.
    """

    scenario: Compiled
    counterfactuals: Mapping[str, Compiled]


@dataclass(frozen=True)
class Conclusions:
    """The setting in which conclusions are drawn: a scenario and its counterfactuals."""

    scenario: Scenario
    counterfactuals: Mapping[str, Scenario]
    seeds: Sequence[int]

    @property
    def names(self) -> list[str]:
        """Names of the conclusions, in report order."""
        out = [c.name for c in NARRATIVE]
        out += ["rus_nato_below_nato_rus_2012", "lever_ordering_2012"]
        out += [f"{n}_above_history_2012" for n in self.counterfactuals]
        return out

    def compile(
        self, catalog: perception.Catalog | None = None, offsets: Mapping[str, float] | None = None
    ) -> CompiledSetting:
        """The scenario and the counterfactuals compiled with these tables.

        Args:
            catalog: Perturbed tables, or None for the shipped ones.
            offsets: Perturbed core offsets, or None.
        """
        kw = {"catalog": catalog, "offsets": dict(offsets) if offsets else None}
        return CompiledSetting(
            compile_scenario(self.scenario, **kw),
            {n: compile_scenario(cf, **kw) for n, cf in self.counterfactuals.items()},
        )


def _median_2012(comp, trust: np.ndarray, pair: tuple[str, str]) -> float:
    return float(Panel.of(comp, trust).median().at(*pair, YEAR)[0])


def lever_effects(
    comp: Compiled, params: Mapping[str, float], seeds: Sequence[int]
) -> dict[str, float]:
    """Change of 2012 median Russia→NATO when each lever goes from its low to its high."""
    sets = []
    for lever in P.LEVERS:
        spec = P.BY_NAME[lever]
        for v in (spec.low, spec.high):
            sets += [{**params, lever: v}] * len(seeds)
    trust = simulate(comp, list(seeds) * 2 * len(P.LEVERS), sets)
    n = len(seeds)
    out = {}
    for i, lever in enumerate(P.LEVERS):
        lo = trust[(2 * i) * n : (2 * i + 1) * n]
        hi = trust[(2 * i + 1) * n : (2 * i + 2) * n]
        out[lever] = _median_2012(comp, hi, (RUS, NATO)) - _median_2012(comp, lo, (RUS, NATO))
    return out


def ordering(effects: Mapping[str, float]) -> tuple[str, ...]:
    """Levers from the largest (signed) effect to the smallest."""
    return tuple(sorted(effects, key=lambda k: -effects[k]))


def conclusions(
    setting: Conclusions,
    compiled: CompiledSetting,
    params: Mapping[str, float],
    nominal_order: tuple[str, ...],
    effects: Mapping[str, float] | None = None,
) -> dict[str, bool | None]:
    """Every conclusion for one draw (tables and parameters).

    Args:
        setting: Scenario, counterfactuals and seeds.
        compiled: The setting compiled with the draw's tables (:meth:`Conclusions.compile`).
        params: Complete parameter values of the draw.
        nominal_order: The lever ordering found at the nominal point.
        effects: The draw's :func:`lever_effects`, when already known.

    Returns:
        Conclusion name to whether it holds on the median (None: not applicable).
    """
    comp = compiled.scenario
    trust = simulate(comp, setting.seeds, params)
    panel = Panel.of(comp, trust)
    med = panel.median()
    out: dict[str, bool | None] = {
        c.name: (bool(c(med)[0]) if c.applies(panel) else None) for c in NARRATIVE
    }
    if not panel.has(YEAR):
        return out | dict.fromkeys(setting.names[len(NARRATIVE) :])
    rn = float(med.at(RUS, NATO, YEAR)[0])
    out["rus_nato_below_nato_rus_2012"] = rn < float(med.at(NATO, RUS, YEAR)[0])
    if effects is None:
        effects = lever_effects(comp, params, setting.seeds)
    out["lever_ordering_2012"] = ordering(effects) == tuple(nominal_order)
    for name, cf in setting.counterfactuals.items():
        cf_comp = compiled.counterfactuals[name]
        # the counterfactual's own settings, except where the history sets its own
        own = {k: v for k, v in cf.parameters.items() if k not in setting.scenario.parameters}
        cf_params = {**params, **own}
        cf_trust = simulate(cf_comp, setting.seeds, cf_params)
        out[f"{name}_above_history_2012"] = _median_2012(cf_comp, cf_trust, (RUS, NATO)) > rn
    return out


def shares(results: Sequence[Mapping[str, bool | None]], weights: Sequence[float]) -> dict:
    """Weighted share of draws in which each conclusion holds (None: never applicable)."""
    w = np.asarray(weights, dtype=float)
    out = {}
    for name in results[0]:
        vals = [(r[name], wi) for r, wi in zip(results, w, strict=True) if r[name] is not None]
        if not vals:
            out[name] = None
            continue
        num = sum(wi for v, wi in vals if v)
        out[name] = float(num / sum(wi for _, wi in vals))
    return out
