"""Loading a scenario: finding the file, following ``extends``, validating.

A scenario can start from another with ``extends = "other"`` and change only
what differs. The parent is looked for relative to the file that names it,
then among the bundled scenarios (see :func:`sim.data.locate.find_input`); a
dict's parent relative to the working directory, then among the bundled ones.
Lists (``events``, ``remove``, ``forbid``, ``shocks``) add to the parent's;
``parameters`` and ``actors`` merge key by key; anything else replaces.

Every problem is an :class:`~sim.files.errors.InputError` naming the file
and the field *of that file*: a user's first shock is ``shocks[0]`` of their
file even when the parent has eight.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
from pydantic import ValidationError

from sim.data import locate
from sim.files.documents import read_document
from sim.files.errors import InputError, shown
from sim.files.field_errors import error_location
from sim.files.reading import resolve_path
from sim.model import scenario as S
from sim.model.checks import check_scenario
from sim.model.consistency import act_text, problems
from sim.model.file_messages import error_message, not_an_experiment
from sim.model.shock_list import listed_shocks, shock_act

__all__ = ["Resolution", "find_scenario", "load_scenario", "resolve", "validate"]

log = logging.getLogger(__name__)

_LIST_KEYS = ("events", "remove", "forbid", "shocks", "parameter_changes")
_MERGED_TABLES = ("parameters", "actors", "figure1")


@dataclass
class Resolution:
    """A scenario resolved from its files, and where each part came from.

    Attributes:
        data: The merged keys (``extends`` followed).
        chain: ``(file, its own keys)`` from the first ancestor to the file read.
        origins: For each list key, the ``(file, index in that file)`` of every item.
        parent: The file the scenario extends directly, if any.
    """

    data: dict[str, Any]
    chain: list[tuple[Path, dict[str, Any]]]
    origins: dict[str, list[tuple[Path, int]]] = field(default_factory=dict)
    parent: Path | None = None

    @property
    def path(self) -> Path:
        """The file read (``<dict>`` for a dict)."""
        return self.chain[-1][0]

    def locate(self, merged: str) -> tuple[Path, str]:
        """The file and its own field for a field of the merged scenario."""
        m = re.match(rf"^({'|'.join(_LIST_KEYS)})\[(\d+)\](.*)$", merged)
        if m and int(m[2]) < len(self.origins.get(m[1], ())):
            path, i = self.origins[m[1]][int(m[2])]
            rest = m[3]
            if m[1] == "events" and re.match(r"^\.targets\b", rest) and self._wrote_target(path, i):
                rest = ".target" + rest.removeprefix(".targets")  # the key the file has
            return path, f"{m[1]}[{i}]{rest}"
        parts = merged.split(".")
        top = parts[0].split("[")[0]
        for path, data in reversed(self.chain):
            if top in _MERGED_TABLES and len(parts) > 1 and isinstance(data.get(top), dict):
                if parts[1].split("[")[0] in data[top]:
                    return path, merged
            elif top in data:
                return path, merged
        return self.path, merged

    def _wrote_target(self, path: Path, i: int) -> bool:
        """Whether event ``i`` of ``path`` gives its targets as ``target`` (the alias)."""
        own = next((data for p, data in self.chain if p == path), {})
        events = own.get("events")
        entry = events[i] if isinstance(events, list) and i < len(events) else None
        return isinstance(entry, dict) and "target" in entry and "targets" not in entry

    def fail(self, merged: str, message: str) -> NoReturn:
        """Raise an :class:`InputError` for a field of the merged scenario."""
        path, local = self.locate(merged)
        raise InputError(path, local, message)

    def own(self, merged: str) -> bool:
        """Whether a field of the merged scenario comes from the file read."""
        return self.locate(merged)[0] == self.path

    def name(self, merged: str) -> str:
        """How to call a merged field in a message (its file's own index)."""
        path, local = self.locate(merged)
        return local if path == self.path else f"{local} of {path.name}"


def _merge(parent: Resolution, child: dict[str, Any], child_path: Path) -> dict[str, Any]:
    out = dict(parent.data)
    for k, v in child.items():
        if k in _LIST_KEYS and isinstance(v, list):
            out[k] = [*parent.data.get(k, []), *v]
        elif k in _MERGED_TABLES and isinstance(v, dict) and isinstance(parent.data.get(k), dict):
            out[k] = {**parent.data[k], **v}
        else:
            out[k] = v
    return out


def find_scenario(ref: str | Path, relative_to: Path | None = None) -> Path:
    """The scenario file a reference names (see :func:`sim.data.locate.find_input`).

    Raises:
        InputError: If it is found nowhere; the message says where it looked.
    """
    return locate.find_input(ref, "scenario", relative_to)


def _own_origins(path: Path, data: dict[str, Any]) -> dict[str, list[tuple[Path, int]]]:
    return {
        k: [(path, i) for i in range(len(v))]
        for k, v in data.items()
        if k in _LIST_KEYS and isinstance(v, list)
    }


def _resolve(path: Path, seen: tuple[Path, ...], data: dict[str, Any] | None = None) -> Resolution:
    if data is None:
        path = resolve_path(path)
        if path in seen:
            raise InputError(path, "extends", "circular 'extends' chain")
        data = read_document(path)
    data = dict(data)
    not_an_experiment(path, data, seen)
    parent_ref = data.pop("extends", None)
    if parent_ref is None:
        return Resolution(data, [(path, data)], _own_origins(path, data))
    if not isinstance(parent_ref, str) or not parent_ref.strip():
        raise InputError(path, "extends", "must be a scenario file or name")
    here = path.parent if path.is_absolute() else None
    try:
        parent_path = find_scenario(parent_ref, here)
    except InputError as exc:
        raise InputError(
            path, "extends", f"parent scenario {shown(parent_ref)}: {exc.message}"
        ) from None
    try:
        up = _resolve(parent_path, (*seen, path))
    except InputError as exc:
        if exc.path != str(parent_path) or exc.field is not None:
            raise
        # The parent cannot be read at all (a device, too large, not TOML...):
        # name the line that points there.
        raise InputError(
            path, "extends", f"parent scenario {shown(parent_ref)}: {exc.message}"
        ) from None
    origins = {k: list(v) for k, v in up.origins.items()}
    for k, v in data.items():
        if k in _LIST_KEYS and isinstance(v, list):
            origins[k] = [*origins.get(k, []), *((path, i) for i in range(len(v)))]
        elif k in _LIST_KEYS:
            origins.pop(k, None)
    return Resolution(_merge(up, data, path), [*up.chain, (path, data)], origins, parent_path)


def resolve(source: str | Path | dict[str, Any]) -> Resolution:
    """Read a scenario and its ancestors (``extends``), without validating.

    Args:
        source: A file path, a bundled scenario's name, or a dict of a file's keys.

    Raises:
        InputError: If a file is missing, unreadable or the chain is circular.
    """
    if isinstance(source, Mapping):
        return _resolve(Path("<dict>"), (), _plain(dict(source)))
    return _resolve(find_scenario(source), ())


def _plain(value: Any) -> Any:
    """A dict built in Python with numpy's scalars (a DataFrame row's) as plain ones."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, np.generic):
        return value.item()
    return value


#: Digests of the scenarios :func:`validate` has passed (a scenario object given
#: again is not checked twice; one changed since is).
_VALIDATED: set[str] = set()


def load_scenario(source: str | Path | S.Scenario | dict[str, Any]) -> S.Scenario:
    """Load, resolve and validate a scenario.

    Args:
        source: A path to a TOML/YAML file, the name of a bundled scenario (e.g.
            ``"historical"``; see :func:`find_scenario`), an already built
            :class:`Scenario`, or a dict with the file's keys (its ``extends`` is
            resolved from the working directory, then the bundled scenarios).

    Returns:
        The resolved, validated scenario.

    Raises:
        InputError: Naming the file and field when anything is wrong, including
            a scheduled act that cannot happen (unless ``on_inconsistent =
            "drop"``, which drops such acts and logs a warning listing them).
    """
    if isinstance(source, S.Scenario):
        return _checked(source)
    if not isinstance(source, str | os.PathLike | Mapping):
        raise InputError(
            f"scenario: expected a bundled name, a file path, a dict of a file's keys or a "
            f"Scenario, got {type(source).__name__}"
        )
    return validate(resolve(source))


def _checked(source: S.Scenario) -> S.Scenario:
    """A scenario object, checked as a file would be unless :func:`validate` passed it before.

    So one built or changed in Python is not run with an impossible act or a
    mistyped key. Its listed entries count as inherited (those outside the span
    drop out, as a parent's do); numpy scalars are taken as their values.
    """
    try:
        digest = source.digest()
    except ValueError:  # numpy scalars put in by model_copy, which validates nothing
        digest = None
    if digest in _VALIDATED:
        return source
    data = _plain(source.model_dump(mode="python", by_alias=True, warnings=False))
    res = _resolve(Path(f"<scenario {source.name}>"), (), data)
    return validate(res, warn=False, inherited=True)


def _no_own_event_removed(scenario: S.Scenario, res: Resolution) -> None:
    """A file's ``[[remove]]`` that takes out an event the same file adds is a mistake.

    Removes apply to every listed event, the file's own included (a child file may
    remove its parent's events), so an event added and removed by one file would
    silently never happen.
    """
    events, removes = res.origins.get("events", []), res.origins.get("remove", [])
    for j, m in enumerate(scenario.remove):
        if j >= len(removes):
            break
        for k, ev in enumerate(scenario.events):
            own = k < len(events) and events[k][0] == removes[j][0]
            if own and m.matches(ev.year, ev.actor, ev.action, ev.targets):
                res.fail(
                    f"remove[{j}]",
                    f"takes out {res.name(f'events[{k}]')} ({act_text(ev)}) of the same "
                    "file; narrow it (year, actor or target) or delete the event",
                )


def _no_own_shock_removed(scenario: S.Scenario, res: Resolution) -> None:
    """A file's ``[[remove]]`` that takes out a shock the same file adds is a mistake."""
    for x in listed_shocks(scenario):
        j = x.removed_by
        if j is None or not (res.own(f"remove[{j}]") and res.own(f"shocks[{x.index}]")):
            continue
        year, actor, action, targets = shock_act(x.shock)
        res.fail(
            f"remove[{j}]",
            f"takes out {res.name(f'shocks[{x.index}]')} ({year} {actor} {action} "
            f"{'/'.join(targets)}) of the same file; narrow it or delete the shock",
        )


def _name_given(res: Resolution) -> None:
    """A file that extends another names itself: the runs go to ``runs/<name>``.

    Without its own ``name`` it would take its parent's, and its runs would
    replace the parent's in ``runs/<parent>``. (A dict, as the Python API passes,
    writes no folder and may keep its parent's name.)
    """
    path, own = res.chain[-1]
    if res.parent is not None and str(path) != "<dict>" and "name" not in own:
        parent = res.data.get("name")
        raise InputError(
            path,
            "name",
            "is required in a file that extends another (its runs go to runs/<name>; "
            f"with the parent's name {shown(parent)} they would replace the parent's)",
        )


def validate(res: Resolution, warn: bool = True, inherited: bool = False) -> S.Scenario:
    """Validate a resolved scenario (see :func:`load_scenario`).

    Args:
        res: The scenario as read (:func:`resolve`).
        warn: Log the acts dropped under ``on_inconsistent = "drop"``.
        inherited: Its listed entries count as a parent's (a scenario object checked
            again): the checks that hold a file to its own entries are left out.
    """
    try:
        scenario = S.Scenario.model_validate(res.data)
    except ValidationError as exc:
        errors = exc.errors()  # a mistyped key first: the "missing" one follows from it
        err = min(errors, key=lambda e: e["type"] != "extra_forbidden")
    else:
        err = None
    if err is not None:  # raised outside the except: pydantic's error is no context of it
        res.fail(error_location(err), error_message(err))
    _name_given(res)
    if res.parent is not None:
        # the parent's entries are checked in its own file and span (a child's
        # shorter span then lets the later ones drop out)
        validate(resolve(res.parent), warn=False)
    check_scenario(scenario, res.fail, (lambda _f: False) if inherited else res.own)
    if not inherited:
        _no_own_event_removed(scenario, res)
        _no_own_shock_removed(scenario, res)
    found = problems(scenario)
    if found and scenario.on_inconsistent == "error":
        p = found[0]
        ev = p.listed.event
        fix = (
            f"change or delete {res.name(f'events[{p.listed.origin}]')}"
            if p.listed.origin is not None and p.cause is None
            else _written(
                res.path, "remove", {"action": ev.action, "year": ev.year}, "also remove it"
            )
        )
        here = res.locate(p.field)

        def name(merged: str) -> str:
            return "this entry" if res.locate(merged) == here else res.name(merged)

        drop = _written(res.path, "", {"on_inconsistent": "drop"}, "or set")
        res.fail(p.field, f"{act_text(ev)} {p.why(name)}; {fix}, {drop}")
    if found and warn:
        listed = "; ".join(f"{act_text(p.listed.event)} {p.why(res.name)}" for p in found)
        log.warning(
            '%s: on_inconsistent = "drop": dropped %d scheduled act(s) that cannot happen: %s',
            res.path,
            len(found),
            listed,
        )
    if len(_VALIDATED) > 100_000:  # a long session's variants: start again
        _VALIDATED.clear()
    _VALIDATED.add(scenario.digest())
    return scenario


def _written(path: Path, table: str, values: dict[str, object], lead: str) -> str:
    """A fix in the file's own format (TOML ``[[remove]] k = v``, YAML ``remove: [{k: v}]``)."""
    yaml = path.suffix.lower() in (".yaml", ".yml")

    def v(x: object) -> str:
        return f'"{x}"' if isinstance(x, str) else str(x)

    if yaml:
        pairs = ", ".join(f"{k}: {v(x)}" for k, x in values.items())
        return f"{lead} ({table}: [{{{pairs}}}])" if table else f"{lead} {pairs}"
    pairs = ", ".join(f"{k} = {v(x)}" for k, x in values.items())
    return f"{lead} ([[{table}]] {pairs})" if table else f"{lead} {pairs}"
