"""Scenario files: schema, loading, inheritance (``extends``) and validation.

A scenario is a TOML (or YAML) file. It can start from another scenario with
``extends = "other.toml"`` and change only what differs, so a counterfactual is
a few lines. Lists (``events``, ``remove``, ``forbid``, ``shocks``) add to the
parent's; ``parameters`` merge key by key; anything else replaces.

Every problem is reported as a :class:`InputError` that names the file and
the field, so the command line can print one clear line and exit with status 2.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sim.data import tables
from sim.model import params as P

THEMES = ("terrorism", "proliferation", "piracy", "narcotics")


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


def _event_file_form(schema: dict[str, Any]) -> None:
    """JSON Schema of an event as a file may write it: ``target`` or ``targets``."""
    schema["properties"]["target"] = {
        "title": "Target",
        "description": "one target or a list: the same as targets",
        "anyOf": [
            {"type": "string"},
            {"type": "array", "items": {"type": "string"}, "minItems": 1},
        ],
    }
    schema["required"] = [r for r in schema["required"] if r != "targets"]
    schema["oneOf"] = [{"required": ["targets"]}, {"required": ["target"]}]


class EventSpec(_Strict):
    """An event that happens for certain (origin ``scheduled``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=_event_file_form)

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
