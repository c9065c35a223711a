"""The vocabulary as tables: actors, actions, parameters, themes, scenarios, experiments.

``natosim list KIND`` prints these rows; ``--json`` gives them to tools. Each
row is a flat dict of plain values (strings, numbers, lists of strings).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sim.data import locate, tables
from sim.files.documents import read_document
from sim.files.errors import InputError
from sim.model import params as P
from sim.model.consistency import PRECONDITIONS
from sim.model.vocabulary import THEMES, who_may

__all__ = ["KINDS", "rows"]

KINDS = ("actors", "actions", "parameters", "themes", "scenarios", "experiments")


def _actors() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [
        {"code": tables.NATO, "name": "the alliance", "kind": "alliance", "member_from": None},
        {"code": tables.RUS, "name": "Russia", "kind": "Russia", "member_from": None},
    ]
    for s in tables.states():
        kind = "key member" if s.key_partner else s.role
        out.append({"code": s.code, "name": s.name, "kind": kind, "member_from": s.accession})
    for code, name in tables.places().items():
        out.append({"code": code, "name": name, "kind": "target only", "member_from": None})
    return out


def _effect(a: tables.Action) -> str:
    if a.effect == "institution":
        return (
            f"forum {a.effect_size:+g}" if a.effect_size >= 0 else f"forum x{1 + a.effect_size:g}"
        )
    return a.effect


def _actions() -> list[dict[str, Any]]:
    return [
        {
            "action": a.action,
            "who_may": who_may(a.action),
            "chosen_by": list(a.choosers),
            "targets": a.targets,
            "requires": list(a.requires),
            "checked": [r for r in a.requires if r in PRECONDITIONS],
            "effect": _effect(a),
            "label": a.label,
        }
        for a in tables.actions().values()
    ]


def _parameters() -> list[dict[str, Any]]:
    return [
        {
            "name": p.name,
            "default": p.default,
            "low": p.low,
            "high": p.high,
            "kind": p.kind,
            "meaning": p.doc,
        }
        for p in P.PARAMS
    ]


def _themes() -> list[dict[str, Any]]:
    acts = tables.actions().values()
    return [{"theme": t, "actions": [a.action for a in acts if a.theme == t]} for t in THEMES]


def _read(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        return read_document(path)
    except InputError:
        return {}


def _scenarios() -> list[dict[str, Any]]:
    out = []
    for name in locate.scenario_names():
        data = _read(locate.bundled_scenario(name))
        extends = str(data.get("extends", "")).removesuffix(".toml")
        out.append({"name": name, "extends": extends, "description": data.get("description", "")})
    return out


def _experiments() -> list[dict[str, Any]]:
    out = []
    for name in locate.experiment_names():
        data = _read(locate.bundled_experiment(name))
        kind = data.get("design", "calibration" if "abc" in data else "")
        out.append(
            {
                "name": name,
                "design": kind,
                "scenario": data.get("scenario") or ", ".join(data.get("scenarios", [])),
                "description": data.get("description", ""),
            }
        )
    return out


def rows(kind: str) -> list[dict[str, Any]]:
    """The rows of one list (see :data:`KINDS`)."""
    return {
        "actors": _actors,
        "actions": _actions,
        "parameters": _parameters,
        "themes": _themes,
        "scenarios": _scenarios,
        "experiments": _experiments,
    }[kind]()
