"""``natosim list actors|actions|parameters|themes|scenarios|experiments``."""

from __future__ import annotations

import argparse
import json
from typing import Any

#: Columns shown in the table (all are in ``--json``), the last one left unpadded.
_COLUMNS = {
    "actors": ("code", "kind", "member_from", "name"),
    "actions": ("action", "who_may", "chosen_by", "targets", "requires", "effect", "label"),
    "parameters": ("name", "default", "range", "kind", "meaning"),
    "themes": ("theme", "actions"),
    "scenarios": ("name", "extends", "description"),
    "experiments": ("name", "design", "scenario", "description"),
}

_NOTES = {
    "actions": "who may: the actors a scheduled act may have; chosen by: who may choose it "
    "in a simulated year; requires: * steers the choices only, the others must hold for a "
    "scheduled act too (natosim validate checks them)",
    "actors": "a scheduled act's actor is NATO, RUS or a state; places are targets only",
}


def _cell(row: dict[str, Any], col: str) -> str:
    if col == "range":
        return f"[{row['low']:g}, {row['high']:g}]"
    if col == "chosen_by":
        names = {"key": "key members", "aspirants": "aspirants", "candidates": "candidates"}
        return ", ".join(names.get(c, c) for c in row[col]) or "nobody (scheduled only)"
    if col == "requires":
        return "; ".join(r if r in row["checked"] else f"{r}*" for r in row["requires"]) or "-"
    v = row.get(col)
    if isinstance(v, list):
        return ", ".join(map(str, v)) or "-"
    if isinstance(v, float):
        return f"{v:g}"
    return "-" if v in (None, "") else str(v)


def table(kind: str, rows: list[dict[str, Any]]) -> list[str]:
    """The rows as aligned text lines, header first."""
    cols = _COLUMNS[kind]
    cells = [[c.replace("_", " ") for c in cols]] + [[_cell(r, c) for c in cols] for r in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(cols) - 1)]
    out = [
        "  ".join([*(x.ljust(w) for x, w in zip(line, widths, strict=False)), line[-1]]).rstrip()
        for line in cells
    ]
    if kind in _NOTES:
        out.append(f"({_NOTES[kind]})")
    return out


def cmd_list(args: argparse.Namespace) -> int:
    """``natosim list``: print one vocabulary as a table, or as JSON."""
    from sim.model.listing import rows

    found = rows(args.kind)
    if args.json:
        print(json.dumps(found, indent=2, ensure_ascii=False))
    else:
        print("\n".join(table(args.kind, found)))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``list`` to the ``natosim`` parser."""
    p = sub.add_parser(
        "list", help="list actors, actions, parameters, themes, scenarios or experiments"
    )
    p.add_argument("kind", choices=tuple(_COLUMNS), help="what to list")
    p.add_argument("--json", action="store_true", help="print JSON (a list of objects)")
    p.set_defaults(func=cmd_list)
