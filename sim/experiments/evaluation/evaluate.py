"""The whole evaluation of a scenario, as one JSON-ready dict (no files written).

Sections (see ``docs/ODD.md`` and the README's "How far to trust the model"):
``narrative``, ``emergence``, ``ablation``, ``alliance``, ``data``,
``robustness``, ``parameters``, ``targets`` (the scorecard read off the others),
and ``meta`` (seeds, sizes, timings). Every run of one section uses the same seeds,
so two variants differ only by what the variant changes.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.data.unga import load_idealpoint_summary
from sim.experiments.evaluation import robustness as rob
from sim.experiments.evaluation.ablation import ablation
from sim.experiments.evaluation.alliance import alliance
from sim.experiments.evaluation.baseline import Baseline
from sim.experiments.evaluation.checks import AGGREGATE, evaluate_checks
from sim.experiments.evaluation.cycles import chosen_shares, chosen_shares_within, cycles_summary
from sim.experiments.evaluation.data_fit import (
    TrainingFits,
    data_section,
    targets,
    training_starts,
    windows,
)
from sim.experiments.evaluation.panel import DIRECTIONS, Panel
from sim.experiments.evaluation.parameters import hand_set_counts, parameter_table
from sim.experiments.evaluation.robustness_section import robustness_section
from sim.experiments.evaluation.targets import scorecard
from sim.experiments.evaluation.uncertainty import MIN_REPLICATES, uncertainty
from sim.experiments.evaluation.variants import (
    RunCache,
    closed_door,
    compiled_with_params,
    free,
    long_run,
    run_panel,
    simulate,
    trajectories,
    with_parameters,
    without_choices,
)
from sim.files.errors import InputError
from sim.model.param_changes import changed_from
from sim.model.provenance import versions
from sim.model.resolve import load_scenario
from sim.model.scenario import Scenario
from sim.model.seeds import replicate_seeds

if TYPE_CHECKING:
    from sim.experiments.calibration.experiment import CalibrationExperiment
    from sim.experiments.calibration.spec import CalibrationSpec

__all__ = ["DIRECTIONS", "cycles_summary", "evaluate", "long_run_outcome", "scored_sections"]

Log = Callable[[str], None]


#: The article's span, which every judgement of the evaluation reads.
HISTORY = (1991, 2012)


def _medians(med: Panel) -> dict[str, Any]:
    """Per-year medians of the headline directions (for the report's figure)."""
    out: dict[str, Any] = {"years": [int(y) for y in med.years]}
    for k, pair in DIRECTIONS.items():
        out[k] = [float(v) for v in med.series(*pair)[0]]
    return out


#: Periods over which the long run counts NATO's chosen enlargements.
LONG_RUN_PERIODS = ((2013, 2059), (2060, 2100))


def long_run_outcome(sc: Scenario, seeds: Sequence[int]) -> tuple[Panel, dict[str, float]]:
    """Median of a long run, and its chosen enlargements per run by period."""
    comp, params = compiled_with_params(sc)
    out = trajectories(comp, seeds, params)
    waves = np.array([s.action == "enlargement_wave" for s in comp.slots])
    per_year = out.chosen[:, :, waves].sum(axis=2).mean(axis=0)
    counts = {
        f"{a}_{b}": float(per_year[(comp.years >= a) & (comp.years <= b)].sum())
        for a, b in LONG_RUN_PERIODS
    }
    return Panel.of(comp, out.trust).median(), counts


def _drift(med: Panel) -> dict[str, Any]:
    """Each headline direction's 2100 median and its change from 2060 to 2100."""
    return {
        k: {
            "median_2100": float(med.at(*pair, 2100)[0]),
            "change_2060_2100": float(med.at(*pair, 2100)[0] - med.at(*pair, 2060)[0]),
        }
        for k, pair in DIRECTIONS.items()
    }


def emergence(base: Baseline, log: Log) -> dict[str, Any]:
    """Chosen share, cycles (full, free, projection) and the long run."""
    sc, seeds = base.scenario, base.seeds
    full = base.panel
    fixed = Panel.of(base.comp, simulate(without_choices(base.comp), seeds, base.params))
    fixed_med = fixed.median()
    chosen = chosen_shares(base.median, fixed_med)
    for k, within in chosen_shares_within(full, fixed).items():
        chosen[k]["within_run"] = within
    log("  emergence: full run and the run without chosen acts")
    free_panel = run_panel(free(sc), seeds)
    cycles = {"full": cycles_summary(full), "free": cycles_summary(free_panel)}
    free_checks = evaluate_checks(free_panel, AGGREGATE)
    medians = {
        "full": _medians(base.median),
        "without_choices": _medians(fixed_med),
        "free": _medians(free_panel.median()),
    }
    proj = with_parameters(load_scenario(rob.PROJECTION), sc.parameters)
    cycles["projection_2013_2030"] = cycles_summary(run_panel(proj, seeds).since(2012))
    log("  emergence: free variant and projection_2030")
    stat: dict[str, Any] = {}
    for start in (0.9, 0.3):
        lr = long_run(sc, 2013, 2100, start)
        med, waves = long_run_outcome(lr, seeds)
        stat[f"from_{start}"] = _drift(med)
        stat.setdefault("enlargements_per_run", {})[f"from_{start}"] = waves
        closed = _drift(long_run_outcome(closed_door(lr), seeds)[0])
        stat.setdefault("closed_door", {})[f"from_{start}"] = closed
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


def scored_sections(
    b: Baseline, spec: CalibrationSpec | None = None, point: TrainingFits | None = None
) -> dict[str, Any]:
    """The sections the scorecard reads, for one set of replicates.

    Args:
        b: The runs (the evaluation's own, or a resample of them).
        spec: The calibration's targets and windows (None: no data section).
        point: The fit on the training years, held fixed (None: in sample only).
    """
    return {
        "narrative": evaluate_checks(b.panel),
        "emergence": emergence(b, lambda _m: None),
        "alliance": alliance(b),
        "ablation": ablation(b),
        "data": data_section(b, spec, point) if spec is not None else None,
    }


def _calibration_experiment(calibration: str, sc: Scenario) -> CalibrationExperiment:
    """The calibration experiment (file or bundled name) with ``sc`` as its base scenario."""
    from sim.experiments.schema import load_experiment

    return dataclasses.replace(load_experiment(calibration, "calibration"), scenario=sc)


def _calibrate(
    exp: CalibrationExperiment, workers: int | None, log: Log
) -> tuple[Any, Any, dict[int, dict[str, float]]]:
    """ABC-SMC of a calibration experiment on the whole window and on the training years.

    Also on the training windows that start in the other years of
    :func:`~sim.experiments.evaluation.data_fit.training_starts` (their points by
    first year). Window ``i`` has the ``i``-th ABC seed, so adding those windows
    changes neither main fit.
    """
    from sim.experiments.calibration.windows import fit_windows

    train = windows(exp.spec)["held_out"][0]
    observed = load_idealpoint_summary()[[s for s, *_ in targets(exp.spec)]].dropna()
    # no training year before the data's first or the scenario's first
    starts = training_starts(max(int(observed.index.min()), exp.scenario.time.start), train)
    fit = [exp.spec.years, train, *((y, train[1]) for y in starts)]
    log(
        f"  calibrating {exp.scenario.name} on {fit[0]} and on {fit[1]} (ABC-SMC), and on "
        f"training years from {', '.join(map(str, starts)) or 'no other year'} ..."
    )
    full, own, *others = fit_windows(exp, fit, workers)
    return full, own, {y: f.point for y, f in zip(starts, others, strict=True)}


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
    resamples: int = 100,
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
        resamples: Bootstrap resamples of the replicates for the scorecard's Monte
            Carlo error (:mod:`~sim.experiments.evaluation.uncertainty`; 0: none).
        log: Progress messages.

    Returns:
        The evaluation, JSON-ready, and wall times by section (the only part that
        differs between two evaluations with the same arguments).
    """
    say = log or (lambda _m: None)
    t0 = time.perf_counter()
    sc = load_scenario(scenario)
    if sc.time.start > HISTORY[0] or sc.time.end < HISTORY[1]:
        raise InputError(
            f"{scenario if isinstance(scenario, str) else sc.name}: evaluate judges a scenario "
            f"against the article's record, so it must simulate {HISTORY[0]}-{HISTORY[1]} "
            f"(this one runs {sc.time.start}-{sc.time.end})"
        )
    changed = changed_from(sc.parameter_changes, sc.time.start, sc.time.end)
    if changed:
        first = min(changed, key=changed.__getitem__)
        raise InputError(
            f"{scenario if isinstance(scenario, str) else sc.name}: evaluate sets and refits "
            "parameters for the whole run (the levers, the hand-set weights, the "
            f"calibration's priors), which this scenario's [[parameter_changes]] replace from "
            f"a year on ({first} from {changed[first]}): evaluate a scenario without them"
        )
    exp = _calibration_experiment(calibration, sc)  # a bad file: refused before the work
    s0 = sc.seed if seed is None else int(seed)
    seeds = replicate_seeds(s0, replicates)
    timings: dict[str, float] = {}
    # the runs of the sections the scorecard reads, kept for its resamples
    runs = RunCache()

    with runs.active():
        t = time.perf_counter()
        base = Baseline.run(sc, seeds)
        narrative = evaluate_checks(base.panel)
        timings["narrative"] = time.perf_counter() - t
        say("  narrative checks")

        t = time.perf_counter()
        emerg = emergence(base, say)
        timings["emergence"] = time.perf_counter() - t

        t = time.perf_counter()
        allied = alliance(base)
        timings["alliance"] = time.perf_counter() - t

        t = time.perf_counter()
        ablated = ablation(base)
        timings["ablation"] = time.perf_counter() - t
    say(f"  ablation: {len(ablated['entries'])} Figure 1 entries dropped in turn, lenses swapped")

    y0, y1 = exp.spec.years
    covers = sc.time.start <= y0 and sc.time.end >= y1
    full_fit = train_fit = None
    by_start: dict[int, dict[str, float]] = {}
    t = time.perf_counter()
    if calibrate and covers:
        full_fit, train_fit, by_start = _calibrate(exp, workers, say)
    timings["calibration"] = time.perf_counter() - t
    t = time.perf_counter()
    fits = TrainingFits(train_fit.point, train_fit.posterior, by_start) if train_fit else None
    data = data_section(base, exp.spec, fits) if covers else None
    timings["data"] = time.perf_counter() - t

    t = time.perf_counter()
    posterior = full_fit.posterior if full_fit is not None else None
    robust = robustness_section(
        sc, base.params, posterior, robustness_draws, robustness_replicates, s0, say
    )
    timings["robustness"] = time.perf_counter() - t

    summary = full_fit.summary if full_fit is not None else None
    parameters = {
        "model": parameter_table(base.params, summary),
        "hand_set": hand_set_counts(rob.ACTION_COLUMNS),
    }
    result = {
        "meta": {
            "scenario": sc.name,
            "scenario_given": scenario if isinstance(scenario, str) else sc.name,
            "versions": versions(),
            "scenario_sha256": sc.digest(),
            "seed": s0,
            "replicates": replicates,
            "robustness_draws": robustness_draws,
            "robustness_replicates": robustness_replicates,
            "resamples": resamples,
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
    result["targets"] = scorecard(result)

    t = time.perf_counter()
    if resamples > 0 and replicates < MIN_REPLICATES:
        result["uncertainty"] = {
            "resamples": 0,
            "replicates": replicates,
            "note": f"not drawn: fewer than {MIN_REPLICATES} replicates",
        }
    elif resamples > 0:
        point = TrainingFits(train_fit.point) if train_fit is not None else None
        spec = exp.spec if covers else None
        # a child of the sequence [seed, 3]: its own stream, apart from every derived seed
        rng = np.random.default_rng(np.random.SeedSequence([s0, 3]).spawn(1)[0])
        with runs.active():
            result["uncertainty"] = uncertainty(
                base,
                partial(scored_sections, spec=spec, point=point),
                result["targets"],
                resamples,
                rng,
            )
        result["targets"] = scorecard(result)
        say(f"  uncertainty: the scorecard on {resamples} resamples of the replicates")
    timings["uncertainty"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - t0
    return result, timings
