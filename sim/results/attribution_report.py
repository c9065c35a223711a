"""The robustness section's attribution, as Markdown: which hand-set numbers carry a target.

Formats :func:`sim.experiments.evaluation.attribution.attribute`'s result; runs nothing.
"""

from __future__ import annotations

from typing import Any

from sim.results.markdown import cell, percent, table

__all__ = ["attribution_markdown"]


def _factor(row: dict[str, Any]) -> str:
    mark = " **carries**" if row["carries"] else ""
    number = "" if row.get("number") is None else f" = {row['number']:g}"
    return (
        f"`{row['factor']}`{number}: ρ {row['rho']:+.2f}{mark} (met {percent(row['met_below_1'])} "
        f"below 1, {percent(row['met_from_1'])} from 1)"
    )


def attribution_markdown(att: dict[str, Any] | None, draws: int) -> str:
    """The attribution table of the robustness section (empty without table draws).

    Args:
        att: ``robustness.tables.attribution`` of an evaluation, or None.
        draws: Draws of the hand-set tables.
    """
    if not att or not att["targets"]:
        return ""
    rows = []
    for target, e in att["targets"].items():
        listed = "; ".join(_factor(r) for r in e["top"][:3]) or e.get("note", "–")
        carried = ", ".join(f"`{c}`" for c in e["carried_by"]) or "none"
        rows.append([f"`{target}`", cell(e["threshold"], 2), carried, listed])
    return "\n\n".join(
        [
            "**Which hand-set numbers carry the drawn targets.** For each target, "
            f"Spearman's ρ between each of the {att['factors']} factors of the {draws} "
            "draws and the target's figure. A factor *carries* the target when its |ρ| "
            "exceeds the family-wise threshold: the "
            f"{100 * att['level']:.0f}th percentile of the largest |ρ| over all factors "
            f"in {att['permutations']} permutations of the figures among the draws "
            "(Westfall & Young 1993). With this many factors and draws, a factor whose "
            "effect is spread thinly, or shared with others, will not pass; *none* means "
            "no single number carries the target, not that the numbers do not matter. "
            "The three largest |ρ| are listed, each with the shipped number it scales "
            "and the share of draws meeting the target with that factor below 1 and "
            "from 1 up (a factor below 1 moves a negative number, such as a base rate's "
            "log-odds, toward zero).",
            table(["target", "threshold", "carried by", "largest |ρ|"], rows),
        ]
    )
