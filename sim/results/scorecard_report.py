"""The evaluation's scorecard as Markdown: each target, its figure, its bar, met or not."""

from __future__ import annotations

from typing import Any

__all__ = ["scorecard_markdown"]

#: How the scorecard names the two parts of the model it judges.
PARTS = {
    "figure1": "Figure 1 as the mechanism, the alliance's divisions",
    "decisions": "decisions from a stated theory: emergence, the long run, the data",
}


def _value(v: float | None) -> str:
    if v is None:
        return "–"
    return str(int(v)) if float(v).is_integer() and abs(v) >= 1 else f"{v:.3f}"


def _met(m: bool | None) -> str:
    return "not measured" if m is None else ("yes" if m else "**no**")


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
    for part, title in PARTS.items():
        lines = [
            f"| `{r['id']}` | {r['claim']} | {_value(r['value'])} | {r['bar']} | {_met(r['met'])} "
            f"| {r.get('detail', '')} |"
            for r in rows
            if r["part"] == part
        ]
        if lines:
            head = (
                "| target | what must hold | value | bar | met | behind the figure |\n"
                "|---|---|---|---|---|---|"
            )
            out.append(f"**{title[0].upper()}{title[1:]}**\n\n{head}\n" + "\n".join(lines))
    return "\n\n".join(out)
