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

For each draw every conclusion is evaluated on the draw's replicates (on their
median, except the cycles, which are counted per run); the result is the
(weighted) share of draws in which it holds. The conclusions are
the narrative checks, the 2012 asymmetry, the lever ordering and the counterfactuals,
and the scorecard's targets that a draw's own runs can decide (:data:`DRAWN_TARGETS`:
the members' lockstep, the Iraq split, the shocks-only and projection cycles, the
chosen shares), each read by the scorecard's own code
(:mod:`~sim.experiments.evaluation.targets`) off the draw's runs: whether a target
is met only near the shipped numbers, or across the region they and the data allow.
A draw has fewer replicates than the evaluation and seeds of its own, so near a bar
its verdict (the nominal one included) carries more Monte Carlo error than the
scorecard's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.data import perception
from sim.data.tables import NATO, RUS
from sim.experiments.evaluation.alliance import lockstep, split_2003
from sim.experiments.evaluation.checks import NARRATIVE
from sim.experiments.evaluation.cycles import chosen_shares, cycles_summary
from sim.experiments.evaluation.panel import Panel
from sim.experiments.evaluation.table_draws import ACTION_COLUMNS, draw_tables
from sim.experiments.evaluation.targets import TARGETS, Evaluation
from sim.experiments.evaluation.variants import free, simulate, without_choices
from sim.model import params as P
from sim.model.compile import Compiled, compile_scenario
from sim.model.scenario import Scenario

__all__ = [
    "ACTION_COLUMNS",
    "DRAWN_TARGETS",
    "Assessment",
    "CompiledSetting",
    "Conclusions",
    "assess",
    "conclusions",
    "drawn_verdicts",
    "lever_effects",
    "ordering",
    "perturbed_tables",
    "shares",
]

#: Counterfactuals that must end 2012 with more Russian trust than history.
COUNTERFACTUALS = ("no_enlargement", "nrc_rejuvenated")
YEAR = 2012
#: The scenario after the record whose cycles the scorecard counts (2013-2030).
PROJECTION = "projection_2030"
#: Scorecard targets decided on each draw's own runs, in scorecard order.
DRAWN_TARGETS = (
    "members_not_in_lockstep",
    "iraq_split_2003",
    "cycles_shocks_only_median",
    "cycles_shocks_only_share",
    "cycles_after_the_record",
    "chosen_share_rus_nato",
    "chosen_share_nato_rus",
)


def perturbed_tables(
    rng: np.random.Generator, params: Mapping[str, float], spread: float = 0.25
) -> tuple[perception.Catalog, dict[str, float], dict[str, float]]:
    """One draw of the hand-set numbers, each scaled by its own factor (:func:`draw_tables`).

    Returns:
        The perturbed catalogue, core offsets and parameters (Figure 1 weights).
    """
    d = draw_tables(rng, params, spread)
    return d.catalog, d.offsets, d.params


@dataclass(frozen=True)
class CompiledSetting:
    """The scenario and its counterfactuals compiled with one set of tables.

    Compiling depends on the tables (catalogue and core offsets), never on the
    parameters: the posterior's particles all share the shipped tables' arrays.
    """

    scenario: Compiled
    counterfactuals: Mapping[str, Compiled]
    shocks_only: Compiled | None = None
    projection: Compiled | None = None


@dataclass(frozen=True)
class Conclusions:
    """The setting in which conclusions are drawn: a scenario and its counterfactuals."""

    scenario: Scenario
    counterfactuals: Mapping[str, Scenario]
    seeds: Sequence[int]
    projection: Scenario | None = None

    @property
    def names(self) -> list[str]:
        """Names of the conclusions, in report order."""
        out = [c.name for c in NARRATIVE]
        out += ["rus_nato_below_nato_rus_2012", "lever_ordering_2012"]
        out += [f"{n}_above_history_2012" for n in self.counterfactuals]
        return out + list(DRAWN_TARGETS)

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
            compile_scenario(free(self.scenario), **kw),
            None if self.projection is None else compile_scenario(self.projection, **kw),
        )


def _own_parameters(sc: Scenario, setting: Conclusions, params: Mapping[str, float]) -> dict:
    """A draw's parameters for a related scenario (a counterfactual, the projection).

    The related scenario's own settings count, except where the history sets its own.
    """
    own = {k: v for k, v in sc.parameters.items() if k not in setting.scenario.parameters}
    return {**params, **own}


def drawn_sections(
    setting: Conclusions,
    compiled: CompiledSetting,
    params: Mapping[str, float],
    trust: np.ndarray,
) -> Evaluation:
    """The parts of an evaluation that :data:`DRAWN_TARGETS` read, from one draw's runs.

    The same figures as the evaluation's sections (the median's lockstep and 2003
    split, the cycles of the shocks-only run and of the projection after 2012, the
    chosen shares), computed on this draw's tables, parameters and seeds.

    Args:
        setting: Scenario, counterfactuals, projection and seeds.
        compiled: The setting compiled with the draw's tables.
        params: The draw's complete parameters.
        trust: The draw's runs of the scenario itself, ``(R, T, P)``.

    Returns:
        ``{"emergence": {chosen_share, cycles_per_run}, "alliance": {...}}`` as the
        evaluation's sections hold them.
    """
    comp, seeds = compiled.scenario, setting.seeds
    med = Panel.of(comp, trust).median()
    fixed = Panel.of(comp, simulate(without_choices(comp), seeds, params)).median()
    chosen = {k: {"share": v["share"]} for k, v in chosen_shares(med, fixed).items()}
    cycles: dict[str, Any] = {}
    if compiled.shocks_only is not None:
        sc_free = compiled.shocks_only
        cycles["free"] = cycles_summary(Panel.of(sc_free, simulate(sc_free, seeds, params)))
    if compiled.projection is not None and setting.projection is not None:
        proj = compiled.projection
        p_params = _own_parameters(setting.projection, setting, params)
        panel = Panel.of(proj, simulate(proj, seeds, p_params)).since(YEAR)
        cycles["projection_2013_2030"] = cycles_summary(panel)
    ev: Evaluation = {"emergence": {"chosen_share": chosen, "cycles_per_run": cycles}}
    if med.has(2002, 2003, 2009, 2012):
        ev["alliance"] = {
            "lockstep": {"mean_correlation": lockstep(med)[1]},
            "split_2003": split_2003(med),
        }
    return ev


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


@dataclass(frozen=True)
class Assessment:
    """One draw's conclusions and the figures of its drawn targets.

    Attributes:
        verdicts: Conclusion name -> whether it holds (None: not applicable).
        figures: Each of :data:`DRAWN_TARGETS` -> the figure its verdict reads
            (None where the draw cannot compute it).
    """

    verdicts: dict[str, bool | None]
    figures: dict[str, float | None]


def conclusions(
    setting: Conclusions,
    compiled: CompiledSetting,
    params: Mapping[str, float],
    nominal_order: tuple[str, ...],
    effects: Mapping[str, float] | None = None,
) -> dict[str, bool | None]:
    """Every conclusion for one draw: :func:`assess`'s verdicts."""
    return assess(setting, compiled, params, nominal_order, effects).verdicts


def assess(
    setting: Conclusions,
    compiled: CompiledSetting,
    params: Mapping[str, float],
    nominal_order: tuple[str, ...],
    effects: Mapping[str, float] | None = None,
) -> Assessment:
    """Every conclusion for one draw (tables and parameters), with the drawn targets' figures.

    Args:
        setting: Scenario, counterfactuals and seeds.
        compiled: The setting compiled with the draw's tables (:meth:`Conclusions.compile`).
        params: Complete parameter values of the draw.
        nominal_order: The lever ordering found at the nominal point.
        effects: The draw's :func:`lever_effects`, when already known.

    Returns:
        The verdicts (conclusion name to whether it holds on the median; None: not
        applicable) and the drawn targets' figures.
    """
    comp = compiled.scenario
    trust = simulate(comp, setting.seeds, params)
    panel = Panel.of(comp, trust)
    med = panel.median()
    out: dict[str, bool | None] = {
        c.name: (bool(c(med)[0]) if c.applies(panel) else None) for c in NARRATIVE
    }
    ev = drawn_sections(setting, compiled, params, trust)
    read = {t.id: t.read(ev) for t in TARGETS if t.id in DRAWN_TARGETS}
    targets = {k: v[1] for k, v in read.items()}
    figures = {k: v[0] for k, v in read.items()}
    if not panel.has(YEAR):
        rest = dict.fromkeys(setting.names[len(NARRATIVE) : -len(DRAWN_TARGETS)])
        return Assessment(out | rest | targets, figures)
    rn = float(med.at(RUS, NATO, YEAR)[0])
    out["rus_nato_below_nato_rus_2012"] = rn < float(med.at(NATO, RUS, YEAR)[0])
    if effects is None:
        effects = lever_effects(comp, params, setting.seeds)
    out["lever_ordering_2012"] = ordering(effects) == tuple(nominal_order)
    for name, cf in setting.counterfactuals.items():
        cf_comp = compiled.counterfactuals[name]
        cf_params = _own_parameters(cf, setting, params)
        cf_trust = simulate(cf_comp, setting.seeds, cf_params)
        out[f"{name}_above_history_2012"] = _median_2012(cf_comp, cf_trust, (RUS, NATO)) > rn
    return Assessment(out | targets, figures)


def drawn_verdicts(results: Sequence[Mapping[str, bool | None]]) -> list[dict[str, bool | None]]:
    """Each draw's verdicts on :data:`DRAWN_TARGETS` only."""
    return [{t: r[t] for t in DRAWN_TARGETS} for r in results]


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
