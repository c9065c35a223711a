"""The evaluation report: ``evaluation.json``, ``evaluation.md`` and its figures, in memory.

:func:`render` returns every file's bytes so the command can write them all
together, atomically. Nothing here runs the model: it formats what
:func:`sim.experiments.evaluation.evaluate.evaluate` measured.
"""

from __future__ import annotations

import json
from typing import Any

from sim.experiments.evaluation.alliance import EU_GROUPS
from sim.results.attribution_report import attribution_markdown
from sim.results.data_report import data_markdown
from sim.results.evaluation_figures import data_figure, emergence_figure, robustness_figure
from sim.results.jsonable import jsonable
from sim.results.markdown import cell as _f
from sim.results.markdown import percent as _pct
from sim.results.markdown import table as _table
from sim.results.scorecard_report import scorecard_markdown

__all__ = ["render", "to_json", "to_markdown"]


def to_json(ev: dict[str, Any]) -> str:
    """``evaluation.json``: the whole evaluation (non-finite numbers as null)."""
    return json.dumps(jsonable(ev), indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def _narrative(ev: dict) -> str:
    rows = [
        [f"`{c['name']}`", c["claim"], _f(c["median_holds"]), _pct(c["replicate_rate"])]
        for c in ev["narrative"]
    ]
    n = sum(1 for c in ev["narrative"] if c["median_holds"])
    return (
        f"## 1. Narrative\n\n{n} of {len(ev['narrative'])} checks hold on the median of "
        f"{ev['meta']['replicates']} replicates.\n\n"
        + _table(["check", "the article's claim", "median", "replicates"], rows)
    )


def _run_by_run(w: dict | None) -> str:
    if not w:
        return "–"
    return f"{_f(w['median'])} ({_f(w['q25'])}–{_f(w['q75'])})"


def _emergence(ev: dict) -> str:
    em = ev["emergence"]
    cs = em["chosen_share"]
    rows = [
        [f"`{k}`", _f(v["share"]), _f(v["r2_without_choices"]), _run_by_run(v.get("within_run"))]
        for k, v in cs.items()
    ]
    out = [
        "## 2. Emergence",
        "**Chosen share** — 1 − R² of the yearly changes of the median trust without any "
        "chosen act, against the full run (same seeds): the part of the movement the "
        "actors' own choices account for. *Within a run*: the same share for each run "
        "against itself without chosen acts (same seed, same shocks and random "
        "numbers), median and quartiles over the runs; the median's share smooths away "
        "choices whose timing differs from run to run, this one does not.",
        _table(["direction", "chosen share", "R² without choices", "within a run"], rows),
        "**Crisis-recovery cycles per run** — a crisis is a yearly fall of more than 0.05 "
        "in either headline direction, a recovery a rise of more than 0.05; a cycle is a "
        "crisis followed by a recovery before the next crisis.",
    ]
    crow = []
    labels = {
        "full": "the scenario as given",
        "free": "free: scheduled acts removed, shocks kept",
        "projection_2013_2030": "projection_2030, 2013–2030",
    }
    for k, v in em["cycles_per_run"].items():
        bd = v["by_direction"]
        crow.append(
            [
                labels.get(k, k),
                _f(v["mean"], 2),
                _f(v["median"], 1),
                _pct(v["share_two_or_more"]),
                _f(bd["rus_nato"]["mean"], 2),
                _f(bd["nato_rus"]["mean"], 2),
            ]
        )
    out.append(
        _table(
            ["variant", "mean", "median", "≥ 2 cycles", "RUS→NATO alone", "NATO→RUS alone"],
            crow,
        )
    )
    st = em["stationarity"]
    srow = []
    for k in st["gap_2100"]:
        srow.append(
            [
                f"`{k}`",
                _f(st["from_0.9"][k]["median_2100"]),
                _f(st["from_0.3"][k]["median_2100"]),
                _f(st["gap_2100"][k]),
                _f(st["from_0.9"][k]["change_2060_2100"]),
                _f(st["from_0.3"][k]["change_2060_2100"]),
                _f(st["closed_door"]["from_0.9"][k]["change_2060_2100"]),
                _f(st["closed_door"]["from_0.3"][k]["change_2060_2100"]),
            ]
        )
    waves = st["enlargements_per_run"]["from_0.9"]
    out.append(
        "**Stationarity** — the free model from 2013 to 2100, started from initial trust "
        "0.9 and 0.3: does it settle, and does it forget where it started? The last two "
        "columns are the same runs with NATO's door closed (no enlargement or promise "
        "can be chosen), to tell trust's own drift from the world's: the candidates are "
        "few and membership is never undone. Chosen enlargements per run (from 0.9): "
        + ", ".join(f"{_f(v, 2)} in {p.replace('_', '–')}" for p, v in waves.items())
        + "."
    )
    out.append(
        _table(
            [
                "direction",
                "2100 from 0.9",
                "2100 from 0.3",
                "gap",
                "2060→2100 (0.9)",
                "2060→2100 (0.3)",
                "closed door (0.9)",
                "closed door (0.3)",
            ],
            srow,
        )
    )
    fn = em.get("free_narrative")
    if fn:
        held = ", ".join(f"`{c['name']}`" for c in fn["checks"] if c["median_holds"]) or "none"
        out.append(
            f"**History from shocks alone** — on the median of the free variant, "
            f"{fn['median_holds']} of the {fn['of']} aggregate narrative checks hold: {held}."
        )
    return "\n\n".join(out)


def _ablation(ev: dict) -> str:
    ab = ev.get("ablation")
    if not ab:
        return ""
    key = next(k for k in ab["swap_lenses"] if k.startswith("delta_"))
    year = key.removeprefix("delta_")

    def row(name: str, label: str, eff: dict) -> list[str]:
        d, big = eff[key], eff["largest"]
        return [
            name,
            label,
            f"{d['rus_nato']:+.3f}",
            f"{d['nato_rus']:+.3f}",
            f"{big['year']} {big['direction']} {big['delta']:+.3f}",
        ]

    rows = [row(f"`{e['entry']}`", e["label"], e) for e in ab["entries"]]
    rows.append(
        row("**swap lenses**", "each side reads with the other's perception row", ab["swap_lenses"])
    )
    unused = ", ".join(f"`{u['entry']}`" for u in ab["unused"]) or "none"
    return "\n\n".join(
        [
            "## Ablation of Figure 1",
            f"Each entry the scenario uses, dropped in turn (`[figure1] drop`), on the same "
            f"seeds: change of the median trust in {year}, and the year and direction where "
            "the change is largest.",
            _table(["entry", "label", f"Δ {year} RUS→NATO", f"Δ {year} NATO→RUS", "largest"], rows),
            f"Entries this scenario does not use (no act that can happen engages them): {unused}.",
        ]
    )


def _spread(w: dict) -> str:
    """A per-run figure's mean and its 90 % range over the runs."""
    return f"{w['mean']:.3f} on average ({w['q05']:.3f}–{w['q95']:.3f} in 90 % of runs)"


def _within(w: dict) -> str:
    return f"within one run (one realisation, the yearly shocks included) it is {_spread(w)}"


def _observed(lock: dict) -> str:
    obs = lock.get("observed")
    if not obs:
        return ""
    y0, y1 = obs["years"]
    return (
        f" In the data, Russia's UN-vote distances to the {obs['members']} of them with a "
        f"distance every year {y0}–{y1} co-move at {obs['mean_correlation']:.3f} "
        f"(one realisation, measurement error included); the model on the same members "
        f"and years: {obs['model_median']:.3f} on the median, and within one run "
        f"{_spread(obs['model_within_run'])}{_below(obs)}.{_blocks(obs)}"
    )


def _below(obs: dict) -> str:
    if "runs_below_data" not in obs:
        return ""
    return f"; {100 * obs['runs_below_data']:.1f} % of the runs lie below the data"


def _blocks(obs: dict) -> str:
    """Where the lockstep lies: within and between the alliance's groups."""
    rows = obs.get("blocks")
    if not rows:
        return ""
    eu = {f"{a} / {b}" for i, a in enumerate(EU_GROUPS) for b in EU_GROUPS[i:]}

    def said(keep: bool) -> str:
        return "; ".join(
            f"{r['blocks']} {_f(r['model'])} ({_f(r['data'])})"
            for r in rows
            if (r["blocks"] in eu) == keep
        )

    out = " Within and between the alliance's groups, model median (data): " + said(False) + "."
    if said(True):
        out += (
            f" By membership of the European Union in {obs['years'][1]} (its members vote "
            "together in the General Assembly), model median (data): " + said(True) + "."
        )
    return out


def _alliance(ev: dict) -> str:
    al = ev.get("alliance")
    if not al:
        return ""
    lock = al["lockstep"]
    split = ", ".join(f"{k} {v:+.3f}" for k, v in al["split_2003"].items())
    rows = [
        [f"`{k}`", f"{v['rus_nato']:+.3f}", f"{v['nato_rus']:+.3f}"]
        for k, v in al["levers_2012"].items()
    ]
    return "\n\n".join(
        [
            "## The alliance",
            f"Lockstep: the mean pairwise correlation of the yearly changes of the median "
            f"trust in Russia of the {lock['members']} members of 2009 is "
            f"{lock['mean_correlation']:.3f} (1 would be lockstep; "
            f"{lock['without_proximity']:.3f} with every member reading Russia's threats "
            f"alike, `proximity = 0`); {_within(lock['within_run'])}.{_observed(lock)} "
            f"The Iraq split, change 2002→2003 of the median trust: {split}.",
            "Effect on the 2012 medians of each alliance parameter going from 0 to 1:",
            _table(["parameter", "Δ RUS→NATO", "Δ NATO→RUS"], rows),
        ]
    )


def _robustness(ev: dict) -> str:
    rb = ev["robustness"]
    tab = rb["tables"]["share"]
    post = rb.get("posterior", {}).get("share", {})
    rows = [
        [f"`{k}`", _f(v), _pct(tab.get(k)), _pct(post.get(k)) if post else "–"]
        for k, v in rb["nominal"].items()
    ]
    eff = ", ".join(f"`{k}` {v:+.3f}" for k, v in rb["lever_effects_2012"].items())
    draws = rb["tables"]["draws"]
    pdraws = rb.get("posterior", {}).get("draws", 0)
    return "\n\n".join(
        part
        for part in [
            "## 4. Robustness",
            f"Share of draws in which each conclusion holds, on {rb['replicates']} "
            "replicates per draw (the narrative checks, the asymmetry, the lever ordering, "
            "the counterfactuals and the lockstep on the median; the cycles per run; "
            "the last seven rows are the scorecard's targets, decided by the scorecard's "
            "own code on each draw's runs, so the nominal column, on these fewer replicates "
            "and other seeds, can differ from the scorecard's verdict near a bar): "
            f"{draws} draws of the hand-set numbers (the "
            "weights of Figure 1's rows and lenses and of the decision model, the hand-set "
            "readings, every action's magnitude, base rate, stance and lever loadings, the "
            "members' proximity to a threat and its gradient, the tier offsets; each scaled "
            "by its own factor in [0.75, 1.25]) and "
            f"{pdraws} calibration posterior "
            f"particles (weighted). Lever effects on 2012 Russia→NATO (low → high): {eff}; "
            f"the ordering conclusion is that this order ({' > '.join(rb['lever_order'])}) "
            "holds.",
            _table(
                [
                    "conclusion",
                    f"nominal ({rb['replicates']} replicates)",
                    "tables",
                    "posterior",
                ],
                rows,
            ),
            attribution_markdown(rb["tables"].get("attribution"), draws),
            attribution_markdown(rb.get("posterior", {}).get("attribution"), pdraws, "posterior"),
        ]
        if part
    )


def _parameters(ev: dict) -> str:
    rows = []
    for p in ev["parameters"]["model"]:
        post = p["posterior"]
        lit = p["literature"]
        rows.append(
            [
                f"`{p['name']}`",
                p["kind"],
                _f(p["value"]),
                f"{p['low']:g}–{p['high']:g}",
                "–" if p["prior"] is None else f"{p['prior'][0]:g}–{p['prior'][1]:g}",
                "–"
                if post is None
                else f"{post['median']:.3f} [{post['q05']:.3f}, {post['q95']:.3f}]",
                _pct(p["identified_share"]),
                "–"
                if lit is None
                else f"{lit['what']}: {lit['value']} (model "
                f"{lit.get('model_value', float('nan')):.2f}); {lit['citation']}",
            ]
        )
    hs = ev["parameters"]["hand_set"]
    hrows = [[f"`{k}`", str(v["count"]), "yes" if v["perturbed"] else "no"] for k, v in hs.items()]
    total = sum(v["count"] for v in hs.values())
    return "\n\n".join(
        [
            "## 5. Parameters",
            "Interval / prior: the posterior 90 % interval as a share of the prior range "
            "(small: the data pin the parameter down; near 100 %: they do not).",
            _table(
                [
                    "parameter",
                    "kind",
                    "value",
                    "admissible",
                    "prior",
                    "posterior 90 %",
                    "interval / prior",
                    "literature",
                ],
                rows,
            ),
            f"Hand-set numbers in the design tables: {total} in all (non-zero entries).",
            _table(["table", "count", "perturbed in robustness"], hrows),
        ]
    )


def to_markdown(ev: dict[str, Any], fmt: str = "png") -> str:
    """``evaluation.md``: the tables of every section, readable."""
    meta = ev["meta"]
    head = (
        f"# Evaluation of `{meta['scenario']}`\n\n"
        f"Seed {meta['seed']}, {meta['replicates']} replicates per variant, years "
        f"{meta['years'][0]}–{meta['years'][1]}. "
        f"Reproduce: `natosim evaluate {meta.get('scenario_given', meta['scenario'])} "
        f"--replicates {meta['replicates']} "
        f"--seed {meta['seed']} --draws {meta['robustness_draws']}"
        + (f" --resamples {meta['resamples']}" if "resamples" in meta else "")
        + ("" if meta.get("calibration") else " --no-calibration")
        + f"`. Figures: `emergence.{fmt}`, `data.{fmt}`, `robustness.{fmt}`."
    )
    parts = [
        head,
        scorecard_markdown(ev),
        _narrative(ev),
        _emergence(ev),
        _ablation(ev),
        _alliance(ev),
        data_markdown(ev),
        _robustness(ev),
        _parameters(ev),
    ]
    parts = [p for p in parts if p]
    return "\n\n".join(parts) + "\n"


def render(
    ev: dict[str, Any], timings: dict[str, float] | None = None, fmt: str = "png"
) -> dict[str, bytes]:
    """Every file of the report, by name (``timings.json`` only when timings are given).

    The figures are written in ``fmt`` (png, svg or pdf).
    """
    files = {
        "evaluation.json": to_json(ev).encode(),
        "evaluation.md": to_markdown(ev, fmt).encode(),
        f"emergence.{fmt}": emergence_figure(ev, fmt),
        f"robustness.{fmt}": robustness_figure(ev, fmt),
    }
    if ev.get("data"):
        files[f"data.{fmt}"] = data_figure(ev, fmt)
    if timings is not None:
        files["timings.json"] = (json.dumps(jsonable(timings), indent=2) + "\n").encode()
    return files
