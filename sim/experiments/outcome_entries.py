"""The ``outcomes`` of a sweep experiment: built-in names and declarative entries.

An entry of ``outcomes`` is either a built-in name (``"final_trust_rus_nato"``,
see :data:`sim.model.outcomes.BUILTIN`) or a table::

    outcomes = [
        "final_trust_rus_nato",
        { name = "rus_pol_final", observer = "RUS", target = "POL", stat = "final" },
        { name = "new_members_2008", observer = "new_members", target = "RUS",
          stat = "at", year = 2008 },
    ]

Built in Python, an entry may instead name a function by import path
(``{ name = "gap", function = "mypkg.metrics:gap" }``, see
:class:`sim.model.outcomes.TrustView`); experiment files cannot, so running
someone's file never imports code it names.

The checks against the scenarios (an excluded state, a pair the compiled
scenario does not track, a year outside the reported span) are made when the
experiment is loaded (:func:`check_against`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from sim.data import tables
from sim.files.hints import meant
from sim.model import outcomes as O
from sim.model.act_outcomes import ACT_STATS, act_problem
from sim.model.compile import compile_scenario
from sim.model.outcome_checks import MAX_NAME, NAME
from sim.model.param_changes import changed_from, held_back
from sim.model.scenario import Scenario

__all__ = [
    "FILE_CONTEXT",
    "OutcomeEntry",
    "builtin_name",
    "check_against",
    "check_items",
    "held_by",
    "scenario_states",
    "to_outcome",
]

#: Validation context of a file (functions refused).
FILE_CONTEXT = {"source": "file"}
#: Columns of ``runs.parquet`` an outcome cannot be named after.
RESERVED = ("run_id", "point_id", "replicate", "policy_id", "world_id", "seed", "scenario")

Stat = Literal["final", "mean", "min", "year_of_min", "crises", "at", "count", "first_year"]


class OutcomeEntry(BaseModel):
    """A declarative outcome: trust, acts counted, or (Python only) a function.

    ``{name, observer, target, stat[, year]}``, ``{name, action[, actor, target,
    stat]}`` or ``{name, function}``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=rf"^{NAME.pattern}$", max_length=MAX_NAME)
    observer: str | None = None
    target: str | None = None
    stat: Stat | None = None
    year: int | None = Field(default=None, ge=1900, le=2200)
    function: str | None = None
    description: str = ""
    action: str | None = None
    actor: str | None = None

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> OutcomeEntry:
        if self.name in O.BUILTIN:
            raise ValueError(f"{self.name!r} is a built-in outcome: list it by name alone")
        if self.function is not None:
            if (info.context or {}).get("source") == "file":
                raise ValueError(
                    "function outcomes are for the Python API (SweepSpec(outcomes=[...])); "
                    "a file lists built-in names or {name, observer, target, stat}"
                )
            fields = (self.observer, self.target, self.stat, self.year, self.action, self.actor)
            if any(v is not None for v in fields):
                raise ValueError("give either function or observer, target and stat, not both")
            return self
        if self.action is not None or self.actor is not None:
            return self._act()
        if self.stat in ACT_STATS:
            raise ValueError(f'stat = "{self.stat}" counts acts: it goes with action = "..."')
        missing = [k for k in ("observer", "target", "stat") if getattr(self, k) is None]
        if missing:
            raise ValueError(f"outcome {self.name!r} needs {', '.join(missing)}")
        if (self.stat == "at") != (self.year is not None):
            raise ValueError('year goes with stat = "at" (and stat = "at" needs a year)')
        problem = O.pair_problem(str(self.observer), str(self.target), tables.states())
        if problem:
            raise ValueError(problem)
        return self

    def _act(self) -> OutcomeEntry:
        """An act outcome: an action, perhaps who takes it and at whom; count or first year."""
        if self.action is None:
            raise ValueError(f"outcome {self.name!r} names an actor: it needs the action counted")
        if self.observer is not None or self.year is not None:
            raise ValueError(
                "an act outcome takes action, actor, target and stat (count or first_year), "
                "not observer or year"
            )
        if self.stat is not None and self.stat not in ACT_STATS:
            raise ValueError(
                f"stat of acts must be one of {', '.join(ACT_STATS)}, got {self.stat!r}"
            )
        problem = act_problem(self.action, self.actor or "", self.target or "")
        if problem:
            raise ValueError(problem)
        return self

    def outcome(self) -> O.Outcome:
        """The model's :class:`~sim.model.outcomes.Outcome`."""
        return O.Outcome(
            name=self.name,
            observer=self.observer or "",
            target=self.target or "",
            stat=self.stat or ("count" if self.action is not None else "final"),
            year=self.year,
            function=self.function,
            description=self.description,
            action=self.action,
            actor=self.actor or "",
        )

    def canonical(self) -> dict[str, Any]:
        """The entry without its unset keys (for the sweep's manifest and digest)."""
        return self.model_dump(mode="json", exclude_none=True, exclude_defaults=True)


def to_outcome(item: str | OutcomeEntry) -> O.Outcome:
    """The :class:`~sim.model.outcomes.Outcome` of one entry of ``outcomes``."""
    return O.resolve(item) if isinstance(item, str) else item.outcome()


def builtin_name(item: str) -> str:
    """An entry given by name, checked to be a built-in outcome.

    Raises:
        ValueError: For any other name, with the nearest built-in.
    """
    if item not in O.BUILTIN:
        hint = meant(item, O.BUILTIN)
        raise ValueError(
            f"unknown outcome {item!r} ({hint + '; ' if hint else ''}built in: "
            f"{', '.join(O.BUILTIN)}; or a table {{ name, observer, target, stat }})"
        )
    return item


def check_items(items: Sequence[str | OutcomeEntry], parameters: Sequence[str]) -> None:
    """Entries unique and clear of the table's other columns (names: :func:`builtin_name`).

    Raises:
        ValueError: Naming the first problem.
    """
    if not items:
        raise ValueError("record at least one outcome")
    seen: set[str] = set()
    for item in items:
        name = item if isinstance(item, str) else item.name
        if name in seen:
            raise ValueError(f"outcome {name!r} is listed twice")
        if name in RESERVED or name in parameters:
            raise ValueError(f"outcome {name!r} would clash with the column of that name")
        seen.add(name)


def scenario_states(scenario: Scenario) -> tuple[tables.State, ...]:
    """The states a scenario keeps (the states table without ``actors.exclude``)."""
    excluded = set(scenario.actors.exclude)
    return tuple(st for st in tables.states() if st.code not in excluded)


def check_against(items: Sequence[str | OutcomeEntry], scenario: Scenario) -> str | None:
    """The first declarative outcome a scenario cannot compute, as ``"outcomes[i]: why"``."""
    states = scenario_states(scenario)
    start = scenario.report_from if scenario.report_from is not None else scenario.time.start
    end = scenario.time.end
    declared = [
        i for i in items if not isinstance(i, str) and i.function is None and i.action is None
    ]
    pairs = compile_scenario(scenario).pairs if declared else ()
    for i, item in enumerate(items):
        if isinstance(item, str) or item.function is not None or item.action is not None:
            continue
        problem = O.pair_problem(str(item.observer), str(item.target), states, pairs)
        if problem is None and item.year is not None and not start <= item.year <= end:
            problem = f"year {item.year} is outside the reported years {start}-{end}"
        if problem:
            return f"outcomes[{i}]: {problem} (scenario {scenario.name!r})"
    return None


def held_by(spec: Any, scenario: Scenario) -> str | None:
    """A lever or uncertainty the scenario changes from a year on, as ``"levers[i].name: why"``.

    A swept value holds for the whole run; a scenario's ``[[parameter_changes]]``
    would replace it from its year, so the sweep would label runs by a value
    they did not use after it.
    """
    changed = changed_from(scenario.parameter_changes, scenario.time.start, scenario.time.end)
    for key in ("levers", "uncertainties"):
        for i, r in enumerate(getattr(spec, key)):
            if r.name in changed:
                return f"{key}[{i}].name: {held_back(r.name, changed[r.name], scenario.name)}"
    return None
