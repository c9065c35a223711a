"""Scenario files: schema, loading, inheritance (``extends``) and validation.

A scenario is a TOML (or YAML) file. It can start from another scenario with
``extends = "other.toml"`` and change only what differs, so a counterfactual is
a few lines. Lists (``events``, ``remove``, ``forbid``, ``shocks``) add to the
parent's; ``parameters`` merge key by key; anything else replaces.

Every problem is reported as a :class:`ScenarioError` that names the file and
the field, so the command line can print one clear line and exit with status 2.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sim import params as P
from sim import tables

SCENARIO_DIR = tables.ROOT / "scenarios"
THEMES = ("terrorism", "proliferation", "piracy", "narcotics")


class ScenarioError(Exception):
    """A scenario that cannot be used, with the file and field at fault."""

    def __init__(self, path: str | Path | None, field: str | None, message: str) -> None:
        self.path = str(path) if path is not None else "<scenario>"
        self.field = field
        self.message = message
        where = f"{self.path}: {field}" if field else self.path
        super().__init__(f"{where}: {message}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TimeSpan(_Strict):
    """Years simulated, both ends included."""

    start: int = Field(ge=1949, le=2100)
    end: int = Field(ge=1949, le=2100)

    @model_validator(mode="after")
    def _ordered(self) -> TimeSpan:
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        return self


class EventSpec(_Strict):
    """An event that happens for certain (origin ``scheduled``)."""

    year: int
    actor: str
    action: str
    targets: tuple[str, ...] = Field(min_length=1)
    note: str = ""
    source: str = ""

    @model_validator(mode="before")
    @classmethod
    def _target_alias(cls, data: Any) -> Any:
        if isinstance(data, dict) and "target" in data:
            data = dict(data)
            t = data.pop("target")
            if "targets" in data:
                raise ValueError("give either 'target' or 'targets', not both")
            data["targets"] = [t] if isinstance(t, str) else t
        return data


class Matcher(_Strict):
    """Selects events or choices by action, actor, target and years (all optional)."""

    action: str | None = None
    actor: str | None = None
    target: str | None = None
    year: int | None = None
    from_year: int | None = Field(default=None, alias="from")
    to_year: int | None = Field(default=None, alias="to")
    note: str = ""

    def matches(self, year: int, actor: str, action: str, targets: tuple[str, ...]) -> bool:
        """Whether an (year, actor, action, targets) occurrence is selected."""
        if self.action is not None and self.action != action:
            return False
        if self.actor is not None and self.actor != actor:
            return False
        if self.target is not None and self.target not in targets:
            return False
        if self.year is not None and self.year != year:
            return False
        if self.from_year is not None and year < self.from_year:
            return False
        return not (self.to_year is not None and year > self.to_year)


class ShockSpec(_Strict):
    """An exogenous change: a shared threat rises, or a leadership changes course."""

    year: int
    kind: Literal["threat", "leadership"]
    theme: str | None = None
    actor: str | None = None
    magnitude: float = Field(default=1.0, ge=-5.0, le=5.0)
    note: str = ""

    @model_validator(mode="after")
    def _complete(self) -> ShockSpec:
        if self.kind == "threat":
            if self.theme not in THEMES:
                raise ValueError(
                    f"a threat shock needs theme in {list(THEMES)}, got {self.theme!r}"
                )
        elif self.actor != tables.RUS:
            raise ValueError(
                "a leadership shock needs actor = 'RUS' (the only modelled leadership)"
            )
        return self


class ActorsSpec(_Strict):
    """Which member states and aspirants take part (NATO and Russia always do)."""

    exclude: tuple[str, ...] = ()


class Scenario(_Strict):
    """A fully resolved scenario (after ``extends``)."""

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
    description: str = ""
    seed: int = Field(default=0, ge=0, le=2**63 - 1)
    time: TimeSpan
    actors: ActorsSpec = ActorsSpec()
    parameters: dict[str, float] = Field(default_factory=dict)
    timeline: bool = False
    scheduled_only: tuple[str, ...] = ()
    scheduled_only_until: int | None = None
    report_from: int | None = None
    events: tuple[EventSpec, ...] = ()
    remove: tuple[Matcher, ...] = ()
    forbid: tuple[Matcher, ...] = ()
    shocks: tuple[ShockSpec, ...] = ()

    @field_validator("parameters", mode="before")
    @classmethod
    def _params(cls, v: Any) -> Any:
        if not isinstance(v, dict):
            raise ValueError("must be a table of name = value")
        for k, x in v.items():
            if k not in P.BY_NAME:
                raise ValueError(f"unknown parameter {k!r} (known: {', '.join(P.PARAM_NAMES)})")
            try:
                P.check_value(k, x)
            except ValueError as exc:
                raise ValueError(f"{k} {exc}") from None
        return v

    def resolved_parameters(self) -> dict[str, float]:
        """All parameters: defaults overlaid with this scenario's values."""
        return {**P.DEFAULTS, **{k: float(v) for k, v in self.parameters.items()}}

    def digest(self) -> str:
        """SHA-256 of the canonical JSON form (identifies the resolved scenario)."""
        blob = json.dumps(self.model_dump(mode="json", by_alias=True), sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()


# --------------------------------------------------------------------------- loading

_LIST_KEYS = ("events", "remove", "forbid", "shocks")


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def read_document(path: Path, what: str = "scenario") -> dict[str, Any]:
    """Read a TOML or YAML file into a dict, or raise :class:`ScenarioError` naming it."""
    if not path.exists():
        raise ScenarioError(path, None, "file not found")
    if path.is_dir():
        raise ScenarioError(path, None, f"is a directory, not {_article(what)} {what} file")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(path, None, f"not UTF-8 text (byte {exc.start})") from None
    if not text.strip():
        raise ScenarioError(path, None, "file is empty")
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            data = yaml.safe_load(text)
        else:
            data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(path, None, f"malformed TOML: {exc}") from None
    except yaml.YAMLError as exc:
        raise ScenarioError(path, None, f"malformed YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ScenarioError(path, None, "top level must be a table of keys")
    return data


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


def _raw(path: Path, seen: tuple[Path, ...]) -> tuple[dict[str, Any], list[tuple[Path, dict]]]:
    path = path.resolve()
    if path in seen:
        raise ScenarioError(path, "extends", "circular 'extends' chain")
    data = read_document(path)
    chain = [(path, data)]
    parent_ref = data.pop("extends", None)
    if parent_ref is None:
        return data, chain
    if not isinstance(parent_ref, str) or not parent_ref:
        raise ScenarioError(path, "extends", "must be a file name")
    parent_path = (path.parent / parent_ref).resolve()
    if not parent_path.exists() and not Path(parent_ref).suffix:
        parent_path = (path.parent / f"{parent_ref}.toml").resolve()
    if not parent_path.exists():
        raise ScenarioError(path, "extends", f"parent scenario {parent_ref!r} not found")
    parent, parent_chain = _raw(parent_path, (*seen, path))
    return _merge(parent, data), parent_chain + chain


def error_location(err: Mapping[str, Any]) -> str:
    """Dotted field path of a pydantic error, e.g. ``events[2].year``."""
    parts: list[str] = []
    for p in err.get("loc", ()):
        if isinstance(p, int):
            parts[-1:] = [f"{parts[-1]}[{p}]"] if parts else [f"[{p}]"]
        else:
            parts.append(str(p))
    return ".".join(parts) or "(top level)"


def _which_file(chain: list[tuple[Path, dict]], field: str) -> Path:
    top = field.split(".")[0].split("[")[0]
    for path, data in reversed(chain):
        if top in data:
            return path
    return chain[-1][0]


def load_scenario(source: str | Path | Scenario | dict[str, Any]) -> Scenario:
    """Load, resolve and validate a scenario.

    Args:
        source: A path to a TOML/YAML file, a scenario name found in ``scenarios/``
            (e.g. ``"historical"``), an already built :class:`Scenario`, or a dict
            with the file's keys.

    Returns:
        The resolved, validated scenario.

    Raises:
        ScenarioError: Naming the file and field when anything is wrong.
    """
    if isinstance(source, Scenario):
        return source
    if isinstance(source, dict):
        chain: list[tuple[Path, dict]] = [(Path("<dict>"), source)]
        data = dict(source)
    else:
        path = Path(source)
        if not path.is_file() and not path.suffix and (SCENARIO_DIR / f"{path}.toml").is_file():
            path = SCENARIO_DIR / f"{path}.toml"
        data, chain = _raw(path, ())
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = error_location(err)
        msg = err["msg"].removeprefix("Value error, ")
        raise ScenarioError(_which_file(chain, field), field, msg) from None
    _check_semantics(scenario, chain)
    return scenario


# --------------------------------------------------------------------------- semantics


def scheduled_events(s: Scenario) -> list[EventSpec]:
    """The scenario's scheduled events: timeline (if used) plus its own, minus removals.

    Args:
        s: A resolved scenario.

    Returns:
        Events within the time span, in year order (stable within a year).
    """
    out: list[EventSpec] = []
    if s.timeline:
        for ev in tables.timeline():
            if s.time.start <= ev.year <= s.time.end:
                out.append(
                    EventSpec(
                        year=ev.year,
                        actor=ev.actor,
                        action=ev.action,
                        targets=ev.targets,
                        note=ev.event,
                        source=ev.source,
                    )
                )
    out.extend(s.events)
    out = [
        e for e in out if not any(m.matches(e.year, e.actor, e.action, e.targets) for m in s.remove)
    ]
    excluded = set(s.actors.exclude)
    out = [e for e in out if e.actor not in excluded and not excluded.intersection(e.targets)]
    return sorted(out, key=lambda e: e.year)


def _check_semantics(s: Scenario, chain: list[tuple[Path, dict]]) -> None:
    def fail(field: str, msg: str) -> None:
        raise ScenarioError(_which_file(chain, field), field, msg)

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
