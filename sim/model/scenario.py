"""Scenario files: schema, loading, inheritance (``extends``) and validation.

A scenario is a TOML (or YAML) file. It can start from another scenario with
``extends = "other.toml"`` and change only what differs, so a counterfactual is
a few lines. Lists (``events``, ``remove``, ``forbid``, ``shocks``,
``parameter_changes``) add to the parent's; ``parameters`` merge key by key; anything else replaces.

Every problem is reported as a :class:`InputError` that names the file and
the field, so the command line can print one clear line and exit with status 2.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator, model_validator

from sim.data import tables
from sim.files.errors import shown
from sim.files.field_errors import key_error
from sim.files.limits import MAX_NAME_CHARS
from sim.model import params as P
from sim.model.param_changes import ParameterChange, check_parameters
from sim.model.vocabulary import THEMES, did_you_mean

__all__ = [
    "THEMES",
    "ActorsSpec",
    "EventSpec",
    "Listed",
    "Matcher",
    "Scenario",
    "ShockSpec",
    "TimeSpan",
    "listed_events",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TimeSpan(_Strict):
    """Years simulated, both ends included."""

    start: int = Field(ge=1949, le=2100, strict=True)
    end: int = Field(ge=1949, le=2100, strict=True)

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


#: What an event's ``target`` may be (for messages).
TARGET_FORM = 'must be a code (target = "RUS") or a list of codes (target = ["POL", "CZE"])'


class EventSpec(_Strict):
    """An event that happens for certain (origin ``scheduled``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=_event_file_form)

    year: StrictInt  # a whole number, never a string or true/false
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
            if isinstance(t, list | tuple) and t and all(isinstance(x, str) for x in t):
                data["targets"] = t
            elif isinstance(t, str):
                data["targets"] = [t]
            else:
                raise key_error("target", f"{TARGET_FORM}, got {shown(t)}", t)
        elif (
            isinstance(data, dict) and "targets" not in data and set(data) <= set(cls.model_fields)
        ):
            # (with a mistyped key, such as traget, the unknown key is the message)
            raise ValueError('needs a target: target = "RUS" (or a list, target = [...])')
        return data


class Matcher(_Strict):
    """Selects events or choices by action, actor, target and years (all optional)."""

    action: str | None = None
    actor: str | None = None
    target: str | None = None
    year: int | None = Field(default=None, strict=True)
    from_year: int | None = Field(default=None, alias="from", strict=True)
    to_year: int | None = Field(default=None, alias="to", strict=True)
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


#: The leaderships whose change is modelled: Moscow's and Washington's.
LEADERS = (tables.RUS, "USA")


class ShockSpec(_Strict):
    """An exogenous change: a shared threat rises, a leadership changes, a state turns.

    ``threat``: a shared threat's salience rises (``theme``). ``leadership``: a new
    leader in Moscow (``actor = "RUS"``, ``magnitude`` added to its assertiveness)
    or in Washington (``"USA"``); both sides then look at the relationship afresh.
    ``course``: Moscow changes course under the same leadership (``actor =
    "RUS"``, ``magnitude`` added to its assertiveness); beliefs carry over.
    ``domestic``: a candidate state's own turn westward (``magnitude`` > 0, a
    colour revolution) or eastward (< 0).
    """

    year: StrictInt  # a whole number, never a string or true/false
    kind: Literal["threat", "leadership", "course", "domestic"]
    theme: str | None = None
    actor: str | None = None
    magnitude: float = Field(default=1.0, ge=-5.0, le=5.0, strict=True)
    note: str = ""

    @model_validator(mode="after")
    def _complete(self) -> ShockSpec:
        if self.kind != "threat" and self.theme is not None:
            raise ValueError(f"a {self.kind} shock takes no theme (only a threat has one)")
        if self.kind == "threat":
            if self.actor is not None:
                raise ValueError("a threat shock takes no actor: it is the world's (give a theme)")
            if self.theme is None:
                raise ValueError(f"a threat shock needs a theme ({', '.join(THEMES)})")
            if self.theme not in THEMES:
                raise ValueError(f"unknown theme {self.theme!r}{did_you_mean(self.theme, THEMES)}")
        elif self.kind == "leadership":
            if self.actor not in LEADERS:
                raise ValueError(
                    f"a leadership shock needs actor in {list(LEADERS)} (the modelled "
                    f"leaderships), got {self.actor!r}"
                )
        elif self.kind == "course":
            if self.actor != tables.RUS:
                raise ValueError(
                    f'a course shock needs actor = "{tables.RUS}" (only Moscow\'s '
                    f"assertiveness is modelled), got {self.actor!r}"
                )
        else:
            states = {st.code for st in tables.states()}
            if self.actor not in states:
                raise ValueError(
                    f"a domestic shock needs the code of a state as actor, got {self.actor!r}"
                    f"{did_you_mean(str(self.actor), sorted(states))}"
                )
        return self


class ActorsSpec(_Strict):
    """Which member states and aspirants take part (NATO and Russia always do)."""

    exclude: tuple[str, ...] = ()


class Figure1Block(_Strict):
    """Changes to Figure 1 for this scenario (ablation): entries dropped, lenses swapped."""

    drop: tuple[str, ...] = ()
    swap_lenses: bool = False

    @field_validator("drop")
    @classmethod
    def _known(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        known = {e.id for e in tables.figure1()}
        for x in v:
            if x not in known:
                near = difflib.get_close_matches(x, sorted(known), n=1)
                hint = f" (did you mean {near[0]!r}?)" if near else ""
                raise ValueError(f"unknown Figure 1 entry {x!r}{hint}; ids as in seeds/figure1.csv")
        return v


class Scenario(_Strict):
    """A fully resolved scenario (after ``extends``)."""

    name: str = Field(
        min_length=1, max_length=MAX_NAME_CHARS, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$"
    )
    description: str = ""
    seed: int = Field(default=0, ge=0, le=2**63 - 1, strict=True)
    time: TimeSpan
    actors: ActorsSpec = ActorsSpec()
    parameters: dict[str, float] = Field(default_factory=dict)
    timeline: bool = Field(default=False, strict=True)
    scheduled_only: tuple[str, ...] = ()
    scheduled_only_until: int | None = Field(default=None, strict=True)
    report_from: int | None = Field(default=None, strict=True)
    # from this year on, leaders change at random (turnover_rate a year and side)
    turnover_from: int | None = Field(default=None, strict=True)
    on_inconsistent: Literal["error", "drop"] = "error"
    events: tuple[EventSpec, ...] = ()
    remove: tuple[Matcher, ...] = ()
    forbid: tuple[Matcher, ...] = ()
    shocks: tuple[ShockSpec, ...] = ()
    parameter_changes: tuple[ParameterChange, ...] = ()
    figure1: Figure1Block = Figure1Block()

    @field_validator("parameters", mode="before")
    @classmethod
    def _params(cls, v: Any) -> Any:
        return check_parameters(v)

    def __repr__(self) -> str:
        """One line (a notebook shows the whole model otherwise, thousands of characters)."""
        acts = f"{len(self.events)} events"
        if self.timeline:  # the dated record of seeds/timeline.csv, and what it adds
            acts = "the timeline" + (f" + {acts}" if self.events else "")
        parts = [f"{self.time.start}-{self.time.end}", acts, f"{len(self.shocks)} shocks"]
        if self.remove:
            parts.append(f"{len(self.remove)} removed")
        parts.append(f"seed {self.seed}")
        if self.parameters:
            parts.append(f"{len(self.parameters)} parameters set")
        return f"<Scenario {self.name!r}: {', '.join(parts)}>"

    __str__ = __repr__  # print(scenario) too: its fields are model_dump()'s

    def resolved_parameters(self) -> dict[str, float]:
        """All parameters: defaults overlaid with this scenario's values."""
        return {**P.DEFAULTS, **{k: float(v) for k, v in self.parameters.items()}}

    def digest(self) -> str:
        """SHA-256 of the canonical JSON form (identifies the resolved scenario).

        ``on_inconsistent`` counts only when it is ``"drop"``, and
        ``parameter_changes`` only when there are some, so a scenario's digest
        is the one it had before those keys existed.
        """
        data = self.model_dump(mode="json", by_alias=True)
        if data["on_inconsistent"] == "error":
            del data["on_inconsistent"]
        if not data["parameter_changes"]:
            del data["parameter_changes"]
        blob = json.dumps(data, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()


@dataclass(frozen=True)
class Listed:
    """A scheduled event as listed, before removals, and where it came from.

    Attributes:
        event: The event.
        origin: ``None`` for the historical timeline (``seeds/timeline.csv``),
            else the event's index in the resolved ``events``.
        removed_by: Index of the first ``remove`` entry that matches it, if any.
        excluded: Whether its actor or a target is excluded (``actors.exclude``).
        in_span: Whether its year lies within the time span.
    """

    event: EventSpec
    origin: int | None
    removed_by: int | None
    excluded: bool
    in_span: bool

    @property
    def kept(self) -> bool:
        """Whether the event is scheduled (in the span, not removed, not excluded)."""
        return self.in_span and self.removed_by is None and not self.excluded


def listed_events(s: Scenario, before_span: bool = False) -> list[Listed]:
    """Every scheduled event the scenario lists, in year order, with its fate.

    The timeline's events (if used) come first, then the scenario's own, each
    group in file order; the sort by year is stable.

    Args:
        s: A resolved scenario.
        before_span: Also list the timeline's events before the time span.

    Returns:
        The events within the span (and before it, if asked), sorted by year.
    """
    found: list[tuple[EventSpec, int | None]] = []
    if s.timeline:
        for ev in tables.timeline():
            if (before_span or s.time.start <= ev.year) and ev.year <= s.time.end:
                spec = EventSpec(
                    year=ev.year,
                    actor=ev.actor,
                    action=ev.action,
                    targets=ev.targets,
                    note=ev.event,
                    source=ev.source,
                )
                found.append((spec, None))
    found.extend((e, i) for i, e in enumerate(s.events))
    excluded = set(s.actors.exclude)
    out = []
    for e, origin in found:
        removed_by = next(
            (i for i, m in enumerate(s.remove) if m.matches(e.year, e.actor, e.action, e.targets)),
            None,
        )
        out.append(
            Listed(
                event=e,
                origin=origin,
                removed_by=removed_by,
                excluded=e.actor in excluded or bool(excluded.intersection(e.targets)),
                in_span=s.time.start <= e.year <= s.time.end,
            )
        )
    return sorted(out, key=lambda x: x.event.year)
