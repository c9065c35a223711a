"""Loading a scenario: finding the file, following ``extends``, validating.

A scenario can start from another with ``extends = "other.toml"`` and change
only what differs. Lists (``events``, ``remove``, ``forbid``, ``shocks``) add
to the parent's; ``parameters`` and ``actors`` merge key by key; anything else
replaces. Every problem is an :class:`~sim.files.errors.InputError` naming the
file and the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.data import locate, tables
from sim.files.documents import error_location, read_document
from sim.files.errors import InputError
from sim.model.scenario import Scenario, scheduled_events

_LIST_KEYS = ("events", "remove", "forbid", "shocks")


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    out = dict(parent)
    for k, v in child.items():
        if k in _LIST_KEYS and isinstance(v, list):
            out[k] = [*parent.get(k, []), *v]
        elif k == "parameters" and isinstance(v, dict):
            out[k] = {**parent.get(k, {}), **v}
        elif k == "actors" and isinstance(v, dict) and isinstance(parent.get(k), dict):
            out[k] = {**parent[k], **v}
        else:
            out[k] = v
    return out


def find_scenario(ref: str | Path, relative_to: Path | None = None) -> Path:
    """The scenario file a reference names (see :func:`sim.data.locate.find_input`).

    Raises:
        InputError: If it is found nowhere; the message says where it looked.
    """
    return locate.find_input(ref, "scenario", relative_to)


def _raw(
    path: Path, seen: tuple[Path, ...], data: dict[str, Any] | None = None
) -> tuple[dict[str, Any], list[tuple[Path, dict]]]:
    if data is None:
        path = path.resolve()
        if path in seen:
            raise InputError(path, "extends", "circular 'extends' chain")
        data = read_document(path)
    else:
        data = dict(data)
    chain = [(path, data)]
    parent_ref = data.pop("extends", None)
    if parent_ref is None:
        return data, chain
    if not isinstance(parent_ref, str) or not parent_ref:
        raise InputError(path, "extends", "must be a scenario file or name")
    here = path.parent if path.is_absolute() else None
    try:
        parent_path = find_scenario(parent_ref, here)
    except InputError as exc:
        raise InputError(
            path, "extends", f"parent scenario {parent_ref!r}: {exc.message}"
        ) from None
    parent, parent_chain = _raw(parent_path, (*seen, path))
    return _merge(parent, data), parent_chain + chain


def _which_file(chain: list[tuple[Path, dict]], field: str) -> Path:
    top = field.split(".")[0].split("[")[0]
    for path, data in reversed(chain):
        if top in data:
            return path
    return chain[-1][0]


def load_scenario(source: str | Path | Scenario | dict[str, Any]) -> Scenario:
    """Load, resolve and validate a scenario.

    Args:
        source: A path to a TOML/YAML file, the name of a bundled scenario (e.g.
            ``"historical"``; see :func:`find_scenario`), an already built
            :class:`Scenario`, or a dict with the file's keys (its ``extends`` is
            resolved from the working directory, then the bundled scenarios).

    Returns:
        The resolved, validated scenario.

    Raises:
        InputError: Naming the file and field when anything is wrong.
    """
    if isinstance(source, Scenario):
        return source
    if isinstance(source, dict):
        data, chain = _raw(Path("<dict>"), (), source)
    else:
        data, chain = _raw(find_scenario(source), ())
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = error_location(err)
        msg = err["msg"].removeprefix("Value error, ")
        raise InputError(_which_file(chain, field), field, msg) from None
    _check_semantics(scenario, chain)
    return scenario


def _check_semantics(s: Scenario, chain: list[tuple[Path, dict]]) -> None:
    def fail(field: str, msg: str) -> None:
        raise InputError(_which_file(chain, field), field, msg)

    known_states = {st.code for st in tables.states()}
    for i, code in enumerate(s.actors.exclude):
        if code not in known_states:
            fail(f"actors.exclude[{i}]", f"unknown actor {code!r}")
    actors = set(tables.actor_codes()) - set(s.actors.exclude)
    targets_ok = actors | set(tables.places())
    acts = tables.actions()
    for i, name in enumerate(s.scheduled_only):
        if name not in acts:
            fail(f"scheduled_only[{i}]", f"unknown action {name!r}")
    for i, ev in enumerate(s.events):
        f = f"events[{i}]"
        if ev.action not in acts:
            fail(f"{f}.action", f"unknown action {ev.action!r} (see sim/tables/actions.csv)")
        if ev.actor not in actors:
            fail(f"{f}.actor", f"unknown actor {ev.actor!r}")
        for t in ev.targets:
            if t not in targets_ok:
                fail(f"{f}.targets", f"unknown target {t!r}")
        if not s.time.start <= ev.year <= s.time.end:
            fail(f"{f}.year", f"{ev.year} is outside the time span {s.time.start}-{s.time.end}")
    for key in ("remove", "forbid"):
        for i, m in enumerate(getattr(s, key)):
            f = f"{key}[{i}]"
            if m.action is not None and m.action not in acts:
                fail(f"{f}.action", f"unknown action {m.action!r}")
            if m.actor is not None and m.actor not in actors:
                fail(f"{f}.actor", f"unknown actor {m.actor!r}")
            if m.target is not None and m.target not in targets_ok:
                fail(f"{f}.target", f"unknown target {m.target!r}")
            for yk in ("year", "from_year", "to_year"):
                y = getattr(m, yk)
                if y is not None and not s.time.start <= y <= s.time.end:
                    fail(f"{f}.{yk.removesuffix('_year')}", f"{y} is outside the time span")
    for key in ("report_from", "scheduled_only_until"):
        y = getattr(s, key)
        if y is not None and not s.time.start <= y <= s.time.end:
            fail(key, f"{y} is outside the time span {s.time.start}-{s.time.end}")
    for i, sh in enumerate(s.shocks):
        if not s.time.start <= sh.year <= s.time.end:
            fail(f"shocks[{i}].year", f"{sh.year} is outside the time span")
    for ev in scheduled_events(s):
        for i, m in enumerate(s.forbid):
            if m.matches(ev.year, ev.actor, ev.action, ev.targets):
                fail(
                    f"forbid[{i}]",
                    f"contradiction: scheduled event {ev.year} {ev.actor} {ev.action} "
                    f"{'/'.join(ev.targets)} is also forbidden (remove it with [[remove]])",
                )


def scenario_json_schema() -> dict[str, Any]:
    """JSON Schema of scenario *files*, for editors (``natosim schema scenario``).

    The resolved :class:`~sim.model.scenario.Scenario`'s schema, plus what a file
    may say that a resolved scenario does not: ``extends`` (a file that extends
    another needs none of the otherwise required keys), and the model's
    parameters with their admissible ranges under ``[parameters]``.
    """
    from sim.model import params as P

    schema = Scenario.model_json_schema()
    schema["title"] = "natosim scenario"
    props = schema["properties"]
    props["extends"] = {
        "title": "Extends",
        "type": "string",
        "description": "parent scenario: a file relative to this one, or a bundled name",
    }
    props["parameters"] = {
        "title": "Parameters",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            p.name: {"type": "number", "minimum": p.low, "maximum": p.high, "description": p.doc}
            for p in P.PARAMS
        },
    }
    required = schema.pop("required", [])
    if required:
        schema["if"] = {"not": {"required": ["extends"]}}
        schema["then"] = {"required": required}
    return schema
