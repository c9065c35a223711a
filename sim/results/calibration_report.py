"""The calibration report: ``report.json``, ``report.md``, tables, figures, the fitted scenario.

Everything is rendered in memory (:func:`render`) so the command can write all
files together, atomically.
"""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path
from typing import Any

from sim.results.jsonable import jsonable

__all__ = ["render", "report_dict", "report_markdown"]


def _fmt(x: float, nd: int = 3) -> str:
    return "nan" if x is None or not math.isfinite(x) else f"{x:.{nd}f}"


def report_dict(cal: Any, scenario_out: Path) -> dict[str, Any]:
    """The content of ``report.json``.

    Args:
        cal: A :class:`sim.experiments.calibration.calibrate.Calibration`.
        scenario_out: Path of the calibrated scenario written.

    Returns:
        A JSON-ready dict.
    """
    from sim.model.provenance import versions

    exp = cal.experiment
    spec = exp.spec
    full = cal.full
    summ = full.summary
    params = []
    for row in summ.itertuples():
        params.append(
            {
                "parameter": row.parameter,
                "median": row.median,
                "q05": row.q05,
                "q95": row.q95,
                "mean": row.mean,
                "prior_low": row.prior_low,
                "prior_high": row.prior_high,
                "ci_frac_of_prior": row.ci_frac_of_prior,
                "written": full.point[row.parameter],
            }
        )
    fits = [
        {
            "series": t.series,
            "pair": f"{t.observer}->{t.target}",
            "pearson_r": s.pearson_r,
            "spearman_rho": s.spearman_rho,
            "rmse": s.rmse,
            "nrmse": s.nrmse,
            "map_intercept": s.intercept,
            "map_slope": s.slope,
            "n": s.n,
        }
        for t, s in cal.stats
    ]
    out: dict[str, Any] = {
        "experiment": {
            "name": spec.name,
            "file": str(exp.path),
            "seed": spec.seed,
            "scenario": str(exp.scenario_path),
            "scenario_out": str(scenario_out),
            "replicates": spec.replicates,
            "report_replicates": spec.report_replicates,
            "years": list(spec.years),
            "targets": [t.model_dump() for t in spec.targets],
        },
        "method": {
            "algorithm": "ABC-SMC (Toni et al. 2009; Beaumont et al. 2009), uniform priors",
            "summary": "per-year median over replicates of each target trust pair",
            "random_numbers": "common random numbers: replicate r uses derive_seed(seed, r)",
            "mapping": "per series, distance = a + b * trust with b <= 0 (least squares)",
            "loss": "RMS over series of RMSE_after_map / sd(distance) = sqrt(1 - r^2)",
            "final_tolerance": (
                "Beale F-criterion: eps = L_min * sqrt(1 + d/(n_eff - p) * F_c(d, n_eff - p)), "
                "p = d + 2 * series, n_eff = n (1 - rho1) / (1 + rho1)"
            ),
            "confidence": spec.confidence,
            "intervals": "weighted 5 % and 95 % marginal quantiles of the ABC posterior",
        },
        "abc": {
            "particles": spec.abc.particles,
            "generations_run": len(full.abc.generations),
            "quantile": spec.abc.quantile,
            "history": full.abc.history().to_dict(orient="records"),
            "stop_reason": full.abc.stop_reason,
            "n_particles_simulated": full.abc.n_simulations,
            "n_model_runs": full.n_runs,
            "best_loss": full.best_loss,
            "epsilon": full.epsilon,
            "posterior_tolerance": full.tolerance,
            "n_eff": full.n_eff,
            "residual_lag1_autocorrelation": full.rho,
            "posterior_generation": full.generation,
            "posterior_size": len(full.posterior),
            "posterior_ess": full.ess,
            "note": full.note,
            "seconds": full.seconds,
        },
        "parameters": params,
        "point": {"values": full.point, "rule": full.point_rule, "loss": full.point_loss},
        "fit": fits,
    }
    if cal.split is not None:
        tr = cal.split["fit"]
        out["split"] = {
            "train_years": list(spec.split.train),
            "test_years": list(spec.split.test),
            "parameters": tr.summary[["parameter", "median", "q05", "q95"]].to_dict(
                orient="records"
            ),
            "point": tr.point,
            "epsilon": tr.epsilon,
            "posterior_tolerance": tr.tolerance,
            "note": tr.note,
            "checks": [
                {
                    "series": t.series,
                    "pair": f"{t.observer}->{t.target}",
                    "train_pearson_r": c.train.pearson_r,
                    "train_rmse": c.train.rmse,
                    "test_pearson_r": c.test_pearson_r,
                    "test_spearman_rho": c.test_spearman_rho,
                    "test_rmse": c.test_rmse,
                    "test_nrmse": c.test_nrmse,
                    "baseline_rmse": c.baseline_rmse,
                    "skill": c.skill,
                }
                for t, c in cal.split["checks"]
            ],
        }
    out["member_level"] = cal.member_level
    if cal.out_of_sample is not None:
        oos = cal.out_of_sample
        cont = exp.continuation
        how = (
            f"{cont.name}, the record continued (its events and shocks after "
            f"{exp.scenario.time.end} are inputs), run with the fitted parameters"
            if cont is not None
            else (
                f"{exp.scenario.name} with the fitted parameters continued to "
                f"{spec.out_of_sample.end} (the run of a scenario that extends "
                f"{scenario_out.name} with end = {spec.out_of_sample.end}); scheduled "
                f"events after {exp.scenario.time.end} are inputs"
            )
        )
        out["out_of_sample"] = {
            "note": (
                f"{how}; no data after {spec.years[1]} were used: a projection of the "
                "fitted model, which no data score"
            ),
            "medians": {
                str(y): {c: float(oos.loc[y, c]) for c in oos.columns}
                for y in oos.index
                if y >= spec.years[1]
            },
        }
    out["seconds"] = cal.seconds
    out["versions"] = versions()
    return jsonable(out)


def report_markdown(rep: dict[str, Any], fmt: str = "png") -> str:
    """Human-readable ``report.md`` from :func:`report_dict`'s output.

    Args:
        rep: The report dict.
        fmt: Format of the figures the report shows.

    Returns:
        Markdown text.
    """
    e = rep["experiment"]
    a = rep["abc"]
    lines = [
        f"# Calibration `{e['name']}`",
        "",
        f"Scenario `{Path(e['scenario']).name}`, years {e['years'][0]}-{e['years'][1]}, "
        f"seed {e['seed']}; written: `{e['scenario_out']}`. Data: UN General Assembly "
        "ideal points (Bailey, Strezhnev & Voeten 2017; Voeten, Harvard Dataverse "
        "doi:10.7910/DVN/LEJUQZ), see `seeds/data/`.",
        "",
        "## Method",
        "",
        "* Targets: "
        + "; ".join(
            f"`{t['series']}` against trust {t['observer']}→{t['target']}" for t in e["targets"]
        )
        + ".",
        f"* Summary: median over {e['replicates']} Monte Carlo replicates per year; the same "
        "replicate seeds for every particle (common random numbers, "
        "`derive_seed(seed, r)`).",
        "* Mapping: larger distance = less alignment, so each series has its own decreasing "
        "affine map `distance = a + b·trust`, `b ≤ 0`, fitted by least squares at every "
        "evaluation (absorbs trust's level and scale).",
        "* Loss: root mean square over the series of RMSE-after-map / sd(distance) "
        "(= sqrt(1 − r²) per series).",
        f"* ABC-SMC (Toni et al. 2009; Beaumont et al. 2009), uniform priors, {a['particles']} "
        f"particles, quantile {a['quantile']}, {a['generations_run']} generations, "
        f"{a['n_particles_simulated']} particles simulated ({a['n_model_runs']} model runs).",
        f"* Final tolerance ε* = {_fmt(a['epsilon'], 4)} from Beale's F-criterion at "
        f"{rep['method']['confidence']:.0%} around the best loss {_fmt(a['best_loss'], 4)} "
        f"(n_eff = {_fmt(a['n_eff'], 1)}, lag-1 residual autocorrelation "
        f"{_fmt(a['residual_lag1_autocorrelation'], 2)}); posterior = generation "
        f"{a['posterior_generation']} restricted to ε*, {a['posterior_size']} particles "
        f"(ESS {_fmt(a['posterior_ess'], 0)})." + (f" Note: {a['note']}." if a["note"] else ""),
        "* Stopped: "
        + {
            "n_generations": "after the generations asked for",
            "min_epsilon": "when the tolerance reached ε*",
        }.get(a["stop_reason"], a["stop_reason"])
        + ".",
        "",
        "| generation | tolerance ε | particles simulated | acceptance rate | ESS |",
        "|---|---|---|---|---|",
        *(
            f"| {h['generation']} | {_fmt(h['epsilon'], 4)} | {h['n_simulations']} "
            f"| {_fmt(h['acceptance_rate'], 3)} | {_fmt(h['ess'], 0)} |"
            for h in a["history"]
        ),
        "",
        "## Fitted parameters (90 % posterior intervals)",
        "",
        "| parameter | median | 5 % | 95 % | prior | interval / prior | written |",
        "|---|---|---|---|---|---|---|",
    ]
    for p in rep["parameters"]:
        lines.append(
            f"| {p['parameter']} | {_fmt(p['median'])} | {_fmt(p['q05'])} | {_fmt(p['q95'])} "
            f"| [{p['prior_low']}, {p['prior_high']}] | {_fmt(p['ci_frac_of_prior'], 2)} "
            f"| {p['written']} |"
        )
    pt = rep["point"]
    lines += [
        "",
        f"Written values: {pt['rule']}; their loss is {_fmt(pt['loss'], 4)} "
        f"(posterior tolerance {_fmt(a['posterior_tolerance'], 4)}).",
        "",
        f"## Fit over {e['years'][0]}-{e['years'][1]} "
        f"(calibrated scenario, {e['report_replicates']} replicates, its own seeds)",
        "",
        "| series | trust pair | Pearson r | Spearman ρ | RMSE (ideal-point units) | NRMSE | map |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in rep["fit"]:
        lines.append(
            f"| {f['series']} | {f['pair']} | {_fmt(f['pearson_r'])} | {_fmt(f['spearman_rho'])} "
            f"| {_fmt(f['rmse'])} | {_fmt(f['nrmse'])} "
            f"| {_fmt(f['map_intercept'])} {_fmt(f['map_slope'])}·trust |"
        )
    lines += ["", f"![model against data](fit.{fmt})", ""]
    if "split" in rep:
        s = rep["split"]
        tr, te = s["train_years"], s["test_years"]
        lines += [
            f"## Fit on {tr[0]}-{tr[1]}, checked on {te[0]}-{te[1]}",
            "",
            f"Parameters refitted by the same method on {tr[0]}-{tr[1]} only (values "
            + ", ".join(f"{k} = {v}" for k, v in s["point"].items())
            + f"); the map is fitted on {tr[0]}-{tr[1]} and applied unchanged to "
            f"{te[0]}-{te[1]}. Skill = 1 − RMSE / RMSE of the training-mean forecast.",
            "",
            "| series | train r | test r | test ρ | test RMSE | constant-forecast RMSE "
            "| skill vs the training mean |",
            "|---|---|---|---|---|---|---|",
        ]
        for c in s["checks"]:
            lines.append(
                f"| {c['series']} | {_fmt(c['train_pearson_r'])} | {_fmt(c['test_pearson_r'])} "
                f"| {_fmt(c['test_spearman_rho'])} | {_fmt(c['test_rmse'])} "
                f"| {_fmt(c['baseline_rmse'])} | {_fmt(c['skill'], 2)} |"
            )
        lines.append("")
    m = rep["member_level"]
    pg = m["tier_gap"]
    lines += [
        "## The member-level file: not fitted",
        "",
        f"In {m['years'][0]}-{m['years'][1]}, Russia's distance to Poland exceeds its "
        f"distance to Germany by {_fmt(m['pol_minus_deu']['mean'])} on average "
        f"(at most {_fmt(m['pol_minus_deu']['max_abs'])}), less than the "
        f"{_fmt(m['rus_idealpoint_halfwidth'])} half-width of the 90 % interval of Russia's "
        "own ideal point. Among the "
        f"{len(m['eu_panel']['members'])} NATO members in the EU throughout (France and "
        "the UK, P5 members, left out), year effects explain "
        f"{m['eu_panel']['share_year_effects']:.0%} of the variance of Russia's distance and "
        f"country effects {m['eu_panel']['share_country_effects']:.0%}; the cross-member sd "
        f"within a year is {_fmt(m['eu_panel']['mean_within_year_sd'])}, against "
        f"{_fmt(m['series_sd'])} for the NATO-mean series over time. EU members coordinate "
        "their UN votes, so the file barely separates members. With France and the UK "
        "included, country effects explain "
        f"{m['eu_panel']['with_fra_gbr']['share_country_effects']:.0%} — that spread is P5 "
        "politics, not NATO's two tiers.",
        "",
        f"New members sit {_fmt(pg['data_distance_new_minus_old'])} further from Russia than "
        "old ones in that panel; the fitted model's new members trust Russia "
        f"{_fmt(-pg['model_trust_new_minus_old']['member_to_rus'])} less (median trust), "
        "which the RUS→NATO map would turn into "
        f"{_fmt(pg['model_implied_distance_new_minus_old']['member_to_rus'])} ideal-point "
        "units, while Russia's trust in new and old members differs by "
        f"{_fmt(pg['model_trust_new_minus_old']['rus_to_member'])}. A gap this small and "
        "this close to measurement error cannot identify member-level trust, so nothing is "
        "fitted to this file.",
        "",
    ]
    if "out_of_sample" in rep:
        o = rep["out_of_sample"]
        years = sorted(o["medians"], key=int)
        cols = list(o["medians"][years[0]])
        lines += [
            "## Out of sample",
            "",
            o["note"] + ". Medians of the replicates:",
            "",
            "| year | " + " | ".join(cols) + " |",
            "|---" * (len(cols) + 1) + "|",
        ]
        for y in years:
            lines.append(f"| {y} | " + " | ".join(_fmt(o["medians"][y][c]) for c in cols) + " |")
        lines += ["", f"![out of sample](out_of_sample.{fmt})", ""]
    lines += [f"Runtime {rep['seconds']:.1f} s.", ""]
    return "\n".join(lines)


def render(cal: Any, scenario_out: Path, fmt: str = "png") -> dict[str, bytes]:
    """Render every output file in memory.

    Args:
        cal: A :class:`sim.experiments.calibration.calibrate.Calibration`.
        scenario_out: Path of the calibrated scenario (for ``extends`` and the report).
        fmt: Format of the figures (png, svg or pdf).

    Returns:
        File name (in the output directory) → content.
    """
    from sim.results.calibrated_scenario import scenario_toml
    from sim.results.figures import calibration_fit, out_of_sample_fan

    exp = cal.experiment
    full = cal.full
    files: dict[str, bytes] = {}
    files["posterior.csv"] = full.posterior.to_csv(index=False).encode()
    cols = ["parameter", "median", "q05", "q95", "mean", "prior_low", "prior_high"]
    files["summary.csv"] = full.summary[cols].to_csv(index=False).encode()
    files["fit.csv"] = cal.table.to_csv(index=False).encode()
    rep = report_dict(cal, scenario_out)
    files["report.json"] = (json.dumps(rep, indent=2) + "\n").encode()
    files["report.md"] = report_markdown(rep, fmt).encode()
    stats = {
        t.series: f"r = {s.pearson_r:.2f}, ρ = {s.spearman_rho:.2f}, RMSE = {s.rmse:.3f}"
        for t, s in cal.stats
    }
    with tempfile.TemporaryDirectory() as tmp:
        png = Path(tmp) / f"fit.{fmt}"
        calibration_fit(
            cal.table,
            png,
            posterior_band=cal.posterior_band,
            stats=stats,
            split_year=exp.spec.split.train[1] if exp.spec.split is not None else None,
        )
        files[f"fit.{fmt}"] = png.read_bytes()
        if cal.out_of_sample_run is not None:
            oos = cal.out_of_sample.copy()
            files["out_of_sample.csv"] = oos.reset_index().to_csv(index=False).encode()
            traj = cal.out_of_sample_run.trajectory
            pairs = list(dict.fromkeys((t.observer, t.target) for t in exp.spec.targets))
            from sim.results import pair_index  # pandas, loaded when a report is written

            keep = pair_index.rows_of(traj, pairs)
            png = Path(tmp) / f"oos.{fmt}"
            out_of_sample_fan(
                traj[keep], png, fitted_until=exp.spec.years[1], pairs=pairs
            )  # the pairs fitted to the data
            files[f"out_of_sample.{fmt}"] = png.read_bytes()
    files["__scenario__"] = scenario_toml(exp, full, scenario_out).encode()
    return files
