"""The evaluation's scorecard as Markdown: each target, its figure, its bar, met or not."""

from __future__ import annotations

from typing import Any

__all__ = ["figure_text", "scorecard_markdown"]

#: How the scorecard names the two parts of the model it judges.
PARTS = {
    "figure1": "Figure 1 as the mechanism, the alliance's divisions",
    "decisions": "decisions from a stated theory: emergence, the long run, the data",
}


def figure_text(v: float | None) -> str:
    """A target's figure as the scorecard prints it (a whole number bare, else 3 decimals)."""
    if v is None:
        return "–"
    return str(int(v)) if float(v).is_integer() and abs(v) >= 1 else f"{v:.3f}"


def _met(m: bool | None) -> str:
    return "not measured" if m is None else ("yes" if m else "**no**")


def _error(r: dict[str, Any]) -> str:
    """The Monte Carlo error column: share of resamples met, interval, firm or not."""
    if r.get("share_met") is None:
        return "–"
    lo, hi = r["interval"] or (None, None)
    span = "" if lo is None else f" ({figure_text(lo)} to {figure_text(hi)})"
    if r.get("shifted"):
        word = "**shifted**, not judged"
    else:
        word = "firm" if r["firm"] else "**within chance**"
    mark = " †" if r.get("folded") else ""
    return f"{100 * r['share_met']:.0f} %{span}{mark}, {word}"


def _uncertainty_text(ev: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    unc = ev.get("uncertainty")
    if not unc:
        return ""
    if unc.get("note"):
        return f"Monte Carlo error of the verdicts: {unc['note']}."
    judged = [r for r in rows if r.get("firm") is not None]
    loose = [f"`{r['id']}`" for r in judged if not r["firm"]]
    shifted = [f"`{r['id']}`" for r in rows if r.get("shifted")]
    text = (
        f"The column *resamples* gives each figure's Monte Carlo error: the share of "
        f"{unc['resamples']} bootstrap resamples of the {unc['replicates']} replicates in "
        "which the target is met, and the range of its figure over them, about 95 % of "
        "the resamples (`sim/experiments/evaluation/uncertainty.py`; the calibration is "
        f"held fixed). A verdict is firm when at least {100 * unc['firm_at']:.1f} % of the "
        "resamples agree with it, that is when the bar lies outside that range; † marks a "
        "figure that is a largest absolute value, which resampling noise pushes away from "
        "zero (its range lies above the point on average). "
        f"{len(judged) - len(loose)} of the {len(judged)} verdicts judged are firm"
    )
    if loose:
        text += (
            f"; within the Monte Carlo error of their bars at {unc['replicates']} "
            f"replicates: {', '.join(loose)}"
        )
    if shifted:
        text += (
            f". Not judged, because resampling shifts the figure itself (the range "
            f"excludes the point): {', '.join(shifted)}"
        )
    return text + "."


def scorecard_markdown(ev: dict[str, Any]) -> str:
    """The ``## Targets`` section of ``evaluation.md`` (empty without a scorecard)."""
    rows = ev.get("targets")
    if not rows:
        return ""
    met = sum(1 for r in rows if r["met"])
    measured = sum(1 for r in rows if r["met"] is not None)
    out = [
        "## Targets",
        f"{met} of the {measured} targets measured here are met "
        f"({len(rows) - measured} not measured for this scenario). Each figure is read "
        "off the sections below; none of them is fitted. The shocks-only rows are the "
        "scenario with its scheduled acts removed (for `hindcast`, the scenario itself).",
    ]
    if ev.get("uncertainty"):
        out.append(_uncertainty_text(ev, rows))
    errors = "targets" in (ev.get("uncertainty") or {})
    for part, title in PARTS.items():
        lines = [
            f"| `{r['id']}` | {r['claim']} | {figure_text(r['value'])} | {r['bar']} "
            f"| {_met(r['met'])} "
            + (f"| {_error(r)} " if errors else "")
            + f"| {r.get('detail', '')} |"
            for r in rows
            if r["part"] == part
        ]
        if lines:
            cols = ["target", "what must hold", "value", "bar", "met"]
            cols += ["resamples"] if errors else []
            cols += ["behind the figure"]
            head = "| " + " | ".join(cols) + " |\n|" + "---|" * len(cols)
            out.append(f"**{title[0].upper()}{title[1:]}**\n\n{head}\n" + "\n".join(lines))
    return "\n\n".join(out)
