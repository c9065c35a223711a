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
        head = (
            "**Which hand-set numbers carry the drawn targets.** For each target, "
            f"Spearman's ρ between each of the {att['factors']} factors of the {draws} "
            "draws and the target's figure."
        )
        split = (
            "each with the shipped number it scales and the share of draws meeting the "
            "target with that factor below 1 and from 1 up (a factor below 1 moves a "
            "negative number, such as a base rate's log-odds, toward zero)."
        )
    else:
        head = (
            "**Which fitted parameters carry the drawn targets.** The same over the "
            f"{draws} posterior particles, with the {att['factors']} fitted parameters "
            "as factors and the particles' weights (weighted mid-ranks)."
        )
        split = (
            "each with the weighted share of particles meeting the target below and "
            "from the parameter's weighted median."
        )
    return "\n\n".join(
        [
            f"{head} A factor *carries* the target when its |ρ| exceeds the family-wise "
            f"threshold: the {100 * att['level']:.0f}th percentile of the largest |ρ| over "
            f"all factors in {att['permutations']} permutations of the figures among the "
            "draws (Westfall & Young 1993). A factor whose effect is spread thinly, or "
            "shared with others, may not pass; *none* means no single number carries the "
            "target, not that the numbers do not matter. The three largest |ρ| are "
            f"listed, {split}",
            table(["target", "threshold", "carried by", "largest |ρ|"], rows),
        ]
    )
