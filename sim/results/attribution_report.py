"""The robustness section's attribution, as Markdown: which numbers carry a target.

Formats :func:`sim.experiments.evaluation.attribution.attribute`'s result; runs nothing.
"""

from __future__ import annotations

from typing import Any

from sim.results.markdown import cell, percent, table

__all__ = ["attribution_markdown"]


def _factor(row: dict[str, Any], tables: bool) -> str:
    mark = " **carries**" if row["carries"] else ""
    number = "" if row.get("number") is None else f" = {row['number']:g}"
    where = "1" if tables else f"{row['split']:.3g}"
    return (
        f"`{row['factor']}`{number}: ρ {row['rho']:+.2f}{mark} (met "
        f"{percent(row['met_below'])} below {where}, {percent(row['met_from'])} from it)"
    )


def attribution_markdown(att: dict[str, Any] | None, draws: int, source: str = "tables") -> str:
    """The attribution table of the robustness section (empty without draws).

    Args:
        att: ``robustness.<source>.attribution`` of an evaluation, or None.
        draws: Draws (table draws or posterior particles).
        source: ``tables`` (factors of the hand-set numbers) or ``posterior``
            (the particles' fitted parameters, weighted).
    """
    if not att or not att["targets"]:
        return ""
    tables = source == "tables"
    rows = []
    for target, e in att["targets"].items():
        listed = "; ".join(_factor(r, tables) for r in e["top"][:3]) or e.get("note", "–")
        carried = ", ".join(f"`{c}`" for c in e["carried_by"]) or "none"
        rows.append([f"`{target}`", cell(e["threshold"], 2), carried, listed])
    if tables:
        inert = att.get("inert", 0)
        head = (
            "**Which hand-set numbers carry the drawn targets.** For each target, "
            f"Spearman's ρ between each of the {att['factors']} factors of the {draws} "
            "draws and the target's figure"
            + (f" ({inert} more scale a zero and are left out)." if inert else ".")
        )
        split = (
            "each with the shipped number it scales and the share of draws meeting the "
            "target with that factor below 1 and from 1 up (a factor below 1 moves a "
            "negative number, such as a base rate's log-odds, toward zero)."
        )
        caveat = ""
    else:
        ess = min((e["effective_draws"] for e in att["targets"].values()), default=0.0)
        head = (
            "**Which fitted parameters carry the drawn targets.** For each target, "
            f"Spearman's ρ between each of the {att['factors']} fitted parameters of the "
            f"{draws} posterior particles and the target's figure, weighted by the "
            f"particles' weights (weighted mid-ranks; effective sample size {ess:.0f})."
        )
        split = (
            "each with the weighted share of particles meeting the target below and "
            "from the parameter's weighted median."
        )
        caveat = (
            " The fitted parameters are correlated in the posterior, so here ρ is "
            "association: a parameter that trades off with another can show the other's "
            "effect."
        )
    return "\n\n".join(
        [
            f"{head} A factor *carries* the target when its |ρ| exceeds the threshold "
            "that is family-wise over that target's factors: the "
            f"{100 * att['level']:.0f}th percentile of the largest |ρ| over all of them in "
            f"{att['permutations']} permutations of the figures among the draws, the "
            "observed figures counted among them (Westfall & Young 1993). Over the "
            f"{len(att['targets'])} "
            "targets a spurious carrier somewhere is likelier than 5 %. A factor whose "
            "effect is spread thinly, shared with others or not monotone may not pass; "
            "*none* means no single number carries the target, not that the numbers do "
            f"not matter.{caveat} The three largest |ρ| are listed, {split}",
            table(["target", "threshold", "carried by", "largest \\|ρ\\|"], rows),
        ]
    )
