"""Markdown pieces the reports share: table cells, percentages, tables."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["cell", "percent", "table"]


def cell(x: Any, nd: int = 3) -> str:
    """A table cell: a number to ``nd`` places, an int, yes / **no**, or – for none."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    if isinstance(x, bool):
        return "yes" if x else "**no**"
    if isinstance(x, int):
        return str(x)
    return f"{x:.{nd}f}"


def percent(x: float | None) -> str:
    """A share as a whole percentage (– for none)."""
    return "–" if x is None else f"{100 * x:.0f} %"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)
