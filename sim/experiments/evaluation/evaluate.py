"""The whole evaluation of a scenario, as one JSON-ready dict (no files written).

Sections (see ``docs/ODD.md`` and the README's "How far to trust the model"):
``narrative``, ``emergence``, ``data``, ``robustness``, ``parameters``, and
``meta`` (seeds, sizes, timings). Every run of one section uses the same seeds,
so two variants differ only by what the variant changes.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from sim.data import tables
from sim.data.unga import load_idealpoint_summary
from sim.experiments.evaluation import robustness as rob
from sim.experiments.evaluation.ablation import ablation
from sim.experiments.evaluation.alliance import alliance
from sim.experiments.evaluation.checks import AGGREGATE, evaluate_checks
from sim.experiments.evaluation.data_fit import TARGETS, WINDOWS, compare
from sim.experiments.evaluation.metrics import count_cycles, explained_share
from sim.experiments.evaluation.nulls import Impulse
from sim.experiments.evaluation.panel import DIRECTIONS, Panel
from sim.experiments.evaluation.parameters import hand_set_counts, parameter_table
from sim.experiments.evaluation.variants import (
    compiled_with_params,
    free,
    long_run,
    simulate,
    with_parameters,
    without_choices,
)
from sim.model.consistency import scheduled_events
from sim.model.readings import addressee_tone
from sim.model.resolve import load_scenario
from sim.model.scenario import Scenario
from sim.model.seeds import derive_seed, replicate_seeds

__all__ = ["DIRECTIONS", "evaluate"]

Log = Callable[[str], None]


def _cycle_stats(v: np.ndarray) -> dict[str, float]:
    return {
        "mean": float(v.mean()),
        "median": float(np.median(v)),
        "share_two_or_more": float((v >= 2).mean()),
    }


def _cycles(panel: Panel) -> dict[str, Any]:
    """Cycles per run: crises and recoveries in either headline direction, and each alone."""
    pairs = list(DIRECTIONS.values())
    out = _cycle_stats(count_cycles(*(panel.series(*p) for p in pairs)))
    out["by_direction"] = {
        k: _cycle_stats(count_cycles(panel.series(*p))) for k, p in DIRECTIONS.items()
    }
    return out


def _medians(panel: Panel) -> dict[str, Any]:
    """Per-year medians of the headline directions (for the report's figure)."""
    med = panel.median()
    out: dict[str, Any] = {"years": [int(y) for y in med.years]}
    for k, pair in DIRECTIONS.items():
        out[k] = [float(v) for v in med.series(*pair)[0]]
    return out


def emergence(sc: Scenario, seeds: list[int], log: Log) -> dict[str, Any]:
    """Chosen share, cycles (full, free, projection) and the long run."""
    comp, params = compiled_with_params(sc)
    full = Panel.of(comp, simulate(comp, seeds, params))
    fixed = Panel.of(comp, simulate(without_choices(comp), seeds, params))
    chosen = {}
    for k, pair in DIRECTIONS.items():
        share, r2 = explained_share(full.median().series(*pair)[0], fixed.median().series(*pair)[0])
        chosen[k] = {"share": share, "r2_without_choices": r2}
    log("  emergence: full run and the run without chosen acts")
    fcomp, fparams = compiled_with_params(free(sc))
    free_panel = Panel.of(fcomp, simulate(fcomp, seeds, fparams))
    cycles = {"full": _cycles(full), "free": _cycles(free_panel)}
    free_checks = evaluate_checks(free_panel, AGGREGATE)
    medians = {
        name: _medians(panel)
        for name, panel in (("full", full), ("without_choices", fixed), ("free", free_panel))
    }
    proj = with_parameters(load_scenario("projection_2030"), sc.parameters)
    pcomp, pparams = compiled_with_params(proj)
    ppanel = Panel.of(pcomp, simulate(pcomp, seeds, pparams)).since(2012)
    cycles["projection_2013_2030"] = _cycles(ppanel)
    log("  emergence: free variant and projection_2030")
    stat: dict[str, Any] = {}
    for start in (0.9, 0.3):
        lcomp, lparams = compiled_with_params(long_run(sc, 2013, 2100, start))
        med = Panel.of(lcomp, simulate(lcomp, seeds, lparams)).median()
        stat[f"from_{start}"] = {
            k: {
                "median_2100": float(med.at(*pair, 2100)[0]),
                "change_2060_2100": float(med.at(*pair, 2100)[0] - med.at(*pair, 2060)[0]),
            }
            for k, pair in DIRECTIONS.items()
        }
    stat["gap_2100"] = {
        k: abs(stat["from_0.9"][k]["median_2100"] - stat["from_0.3"][k]["median_2100"])
        for k in DIRECTIONS
    }
    log("  emergence: free model 2013-2100 from initial trust 0.9 and 0.3")
    return {
        "chosen_share": chosen,
        "cycles_per_run": cycles,
        "stationarity": stat,
        "free_narrative": {
            "median_holds": sum(1 for c in free_checks if c["median_holds"]),
            "of": len(free_checks),
            "checks": free_checks,
        },
        "medians": medians,
    }


def _impulses(sc: Scenario) -> list[Impulse]:
    """Every scheduled act with the tone its addressee reads it in (as the model does)."""
    codes = {st.code for st in tables.states()}
    return [
        Impulse(e.year, addressee_tone(e.action, e.actor, e.targets, codes))
        for e in scheduled_events(sc)
    ]


def _median_series(sc: Scenario, seeds: list[int], pair: tuple[str, str], **over) -> pd.Series:
    comp, params = compiled_with_params(sc)
    med = Panel.of(comp, simulate(comp, seeds, {**params, **over})).median()
    return pd.Series(med.series(*pair)[0], index=med.years)


def data_section(sc: Scenario, seeds: list[int], held_out_point: dict[str, float] | None) -> dict:
    """The model and the null models against the UN voting series."""
    obs = load_idealpoint_summary()
    events = _impulses(sc)
    out: dict[str, Any] = {}
    for series, o, t, label in TARGETS:
        entry: dict[str, Any] = {"series": series, "pair": f"{o}->{t}", "label": label}
        own = _median_series(sc, seeds, (o, t))
        train, test = WINDOWS["in_sample"]
        entry["in_sample"] = compare(own, obs[series], train, test, events)
        if held_out_point is not None:
            refit = _median_series(sc, seeds, (o, t), **held_out_point)
            train, test = WINDOWS["held_out"]
            entry["held_out"] = compare(refit, obs[series], train, test, events)
            entry["held_out"]["calibrated_on_training_years"] = held_out_point
        out[series] = entry
    return out


def _calibrate(sc: Scenario, experiment: str, workers: int | None, log: Log) -> tuple[Any, Any]:
    """ABC-SMC of a calibration experiment on the whole window and on the training years."""
    from sim.experiments.calibration.windows import fit_windows
    from sim.experiments.schema import load_experiment

    exp = dataclasses.replace(load_experiment(experiment, "calibration"), scenario=sc)
    windows = [exp.spec.years, WINDOWS["held_out"][0]]
    log(f"  calibrating {sc.name} on {windows[0]} and on {windows[1]} (ABC-SMC) ...")
    full, train = fit_windows(exp, windows, workers)
    return full, train


def _robustness(
    sc: Scenario,
    params: dict[str, float],
    posterior: pd.DataFrame | None,
    draws: int,
    replicates: int,
    seed: int,
    log: Log,
) -> dict[str, Any]:
    seeds = replicate_seeds(derive_seed(seed, 1), replicates)
    cfs = {n: load_scenario(n) for n in rob.COUNTERFACTUALS}
    setting = rob.Conclusions(sc, cfs, seeds)
    shipped = setting.compile()
    effects = rob.lever_effects(shipped.scenario, params, seeds)
    order = rob.ordering(effects)
    nominal = rob.conclusions(setting, shipped, params, order, effects)
    rng = np.random.default_rng(np.random.SeedSequence([seed, 2]))
    table_results = []
    for _ in range(draws):
        cat, off, drawn = rob.perturbed_tables(rng, params)
        table_results.append(rob.conclusions(setting, setting.compile(cat, off), drawn, order))
    log(f"  robustness: {draws} draws of the hand-set tables (±25 %)")
    out: dict[str, Any] = {
        "nominal": nominal,
        "lever_effects_2012": effects,
        "lever_order": list(order),
        "tables": {
            "draws": draws,
            "spread": 0.25,
            "share": rob.shares(table_results, [1.0] * draws),
        },
        "replicates": replicates,
    }
    if posterior is not None:
        names = [c for c in posterior.columns if c not in ("weight", "distance")]
        res = [
            rob.conclusions(
                setting, shipped, {**params, **{n: float(row[n]) for n in names}}, order
            )
            for _, row in posterior.iterrows()
        ]
        out["posterior"] = {
            "draws": len(res),
            "share": rob.shares(res, posterior["weight"].to_numpy()),
        }
        log(f"  robustness: {len(res)} posterior particles")
    return out


def evaluate(
    scenario: str | Scenario = "historical_calibrated",
    *,
    replicates: int = 200,
    seed: int | None = None,
    robustness_draws: int = 100,
    robustness_replicates: int = 40,
    calibrate: bool = True,
    calibration: str = "calibration",
    workers: int | None = None,
    log: Log | None = None,
) -> tuple[dict[str, Any], dict[str, float]]:
    """Evaluate a scenario: narrative, emergence, data, robustness and parameters.

    Args:
        scenario: A scenario (file, bundled name or object).
        replicates: Monte Carlo replicates of every variant.
        seed: Seed of replicate 0 (default: the scenario's).
        robustness_draws: Draws of the hand-set tables.
        robustness_replicates: Replicates per robustness draw.
        calibrate: Run the calibration (needed for the held-out data check, the
            posterior draws and identification); without it those parts are None.
        calibration: The calibration experiment (file or bundled name) whose priors,
            targets and ABC settings are used, with this scenario as its base.
        workers: Processes for the two calibration fits (None: up to 2).
        log: Progress messages.

    Returns:
        The evaluation, JSON-ready, and wall times by section (the only part that
        differs between two evaluations with the same arguments).
    """
    say = log or (lambda _m: None)
    t0 = time.perf_counter()
    sc = load_scenario(scenario)
    s0 = sc.seed if seed is None else int(seed)
    seeds = replicate_seeds(s0, replicates)
    comp, params = compiled_with_params(sc)
    timings: dict[str, float] = {}

    t = time.perf_counter()
    narrative = evaluate_checks(Panel.of(comp, simulate(comp, seeds, params)))
    timings["narrative"] = time.perf_counter() - t
    say("  narrative checks")

    t = time.perf_counter()
    emerg = emergence(sc, seeds, say)
    timings["emergence"] = time.perf_counter() - t

    t = time.perf_counter()
    allied = alliance(sc, seeds)
    timings["alliance"] = time.perf_counter() - t

    t = time.perf_counter()
    ablated = ablation(sc, seeds)
    timings["ablation"] = time.perf_counter() - t
    say(f"  ablation: {len(ablated['entries'])} Figure 1 entries dropped in turn, lenses swapped")

    covers = sc.time.start <= 1991 and sc.time.end >= 2012
    full_fit = train_fit = None
    t = time.perf_counter()
    if calibrate and covers:
        full_fit, train_fit = _calibrate(sc, calibration, workers, say)
    timings["calibration"] = time.perf_counter() - t
    t = time.perf_counter()
    data = data_section(sc, seeds, train_fit.point if train_fit else None) if covers else None
    timings["data"] = time.perf_counter() - t

    t = time.perf_counter()
    posterior = full_fit.posterior if full_fit is not None else None
    robust = _robustness(sc, params, posterior, robustness_draws, robustness_replicates, s0, say)
    timings["robustness"] = time.perf_counter() - t

    summary = full_fit.summary if full_fit is not None else None
    parameters = {
        "model": parameter_table(params, summary),
        "hand_set": hand_set_counts(rob.ACTION_COLUMNS),
    }
    timings["total"] = time.perf_counter() - t0
    result = {
        "meta": {
            "scenario": sc.name,
            "scenario_sha256": sc.digest(),
            "seed": s0,
            "replicates": replicates,
            "robustness_draws": robustness_draws,
            "robustness_replicates": robustness_replicates,
            "calibration": calibration if calibrate and covers else None,
            "years": [sc.time.start, sc.time.end],
        },
        "narrative": narrative,
        "emergence": emerg,
        "ablation": ablated,
        "alliance": allied,
        "data": data,
        "robustness": robust,
        "parameters": parameters,
    }
    return result, timings
