"""Section 3 of the evaluation report: the model against UN voting data, and null models."""

from __future__ import annotations

from sim.experiments.evaluation.data_fit import smallest_skill
from sim.results.markdown import cell as _f
from sim.results.markdown import table as _table

__all__ = ["data_markdown"]


def data_markdown(ev: dict) -> str:
    """Section 3 of ``evaluation.md``: the model and the null models against the UN-vote data."""
    if not ev.get("data"):
        return "## 3. Data\n\nNot applicable: the scenario does not cover the calibration's years."
    held = [e["held_out"] for e in ev["data"].values() if e.get("held_out")]
    seen = (
        f"see {_span(held[0]['train'])} only; the figures are for {_span(held[0]['test'])}"
        if held
        else "see the training years only"
    )
    out = [
        "## 3. Data",
        "Russia's UN General Assembly ideal-point distance (Bailey, Strezhnev & Voeten "
        "2017) against the model's median trust, mapped by a decreasing affine map fitted "
        f"on the training years only. Held out: the calibration, the map and every null "
        f"model {seen}. Skill = 1 − RMSE(model) / RMSE(null).",
    ]
    for entry in ev["data"].values():
        for window in ("in_sample", "held_out"):
            w = entry.get(window)
            if w is None:
                continue
            m = w["model"]
            rows = [["model", _f(m["r_levels"]), _f(m["r_changes"]), _f(m["rmse"]), ""]]
            for n, v in w["nulls"].items():
                rows.append(
                    [n, _f(v["r_levels"]), _f(v["r_changes"]), _f(v["rmse"]), _f(m["skill"][n])]
                )
            title = (
                f"**{entry['label']}** (`{entry['series']}` ~ {entry['pair']}), "
                f"{window.replace('_', ' ')}: fitted {_span(w['train'])}, "
                f"scored {_span(w['test'])}"
            )
            out += [
                title,
                _table(["", "r levels", "r changes", "RMSE", "model skill vs it"], rows),
            ]
        post = (entry.get("held_out") or {}).get("posterior")
        if post:
            out.append(_posterior(post))
        if entry.get("held_out_by_start"):
            out.append(_by_start(entry))
    return "\n\n".join(out)


def _posterior(post: dict) -> str:
    """The held-out verdict over the training fit's posterior particles."""
    q = post["smallest_skill"]
    return (
        f"Does the held-out verdict hang on the point? Over the {post['particles']} "
        "particles of the training fit's posterior (weighted), the model beats every null "
        f"model in {100 * post['share_beats_every_null']:.0f} % of it; its smallest skill "
        f"has median {_f(q['median'])} (90 %: {_f(q['q05'])} to {_f(q['q95'])})."
    )


def _span(years: list[int]) -> str:
    return f"{years[0]}–{years[1]}"


def _by_start(entry: dict) -> str:
    """The held-out verdict refitted on training windows that start in other years."""
    own = entry["held_out"]["train"][0]
    parts, verdicts = [], set()
    for v in entry["held_out_by_start"]:
        worst, value = smallest_skill(v["skill"])
        verdicts.add(value is not None and value > 0)
        year = f"**{v['train'][0]}**" if v["train"][0] == own else str(v["train"][0])
        parts.append(f"{year}: RMSE {_f(v['rmse'])}, smallest skill {_f(value)} ({worst})")
    changes = (
        " The verdict changes with the first training year: it rests on that choice."
        if len(verdicts) > 1
        else " The verdict is the same from every first year."
    )
    return (
        "Does the held-out verdict hang on where the training years begin? Refitted on "
        "training years from another first year (same last training year, same test "
        f"years; in bold the calibration's own): {'; '.join(parts)}.{changes}"
    )
