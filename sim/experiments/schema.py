"""Experiment files: one schema with a ``kind``, one loader for every kind.

An experiment file (TOML or YAML, validated like a scenario) is of one of two
kinds, named by its ``kind`` key:

* ``kind = "sweep"`` (:class:`SweepSpec`, run by ``natosim sweep``): a base
  scenario, the *levers* and *uncertainties* to vary (EMA Workbench's words),
  a design (``grid``, ``lhs``, ``sobol`` or ``morris``), replicates per point,
  one master seed and the outcomes to record;
* ``kind = "calibration"`` (:class:`~sim.experiments.calibration.spec.CalibrationSpec`,
  run by ``natosim calibrate``): parameters to fit with their priors, the data
  series to fit them to, and the ABC-SMC settings.

Without ``kind`` a file is a calibration when it has ``targets`` or
``parameters`` (the keys only a calibration has), and a sweep otherwise, so the
sweep files written before ``kind`` existed keep working. Levers, uncertainties
and priors are all :class:`~sim.experiments.ranges.ParamRange`, checked against
the model's parameters. :func:`load_experiment` reads either kind; errors name
the file and the field. :class:`ExperimentFile` is the union of the two kinds,
whose JSON Schema ``natosim schema experiment`` prints for editors.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    RootModel,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

from sim.data import locate
from sim.experiments.calibration.experiment import CalibrationExperiment, resolve_calibration
from sim.experiments.calibration.spec import CalibrationSpec
from sim.experiments.file_messages import not_a_scenario, unknown_key
from sim.experiments.outcome_entries import (
    FILE_CONTEXT,
    OutcomeEntry,
    builtin_name,
    check_against,
    check_items,
    held_by,
    to_outcome,
)
from sim.experiments.ranges import Lever, ParamRange, Uncertainty
from sim.files.documents import read_document
from sim.files.errors import InputError, shown
from sim.files.field_errors import error_location, type_message, value_message
from sim.files.limits import MAX_NAME_CHARS
from sim.model.outcomes import OUTCOMES, Outcome
from sim.model.resolve import load_scenario
from sim.model.scenario import Scenario

__all__ = [
    "KINDS",
    "CalibrationExperiment",
    "ExperimentFile",
    "SweepExperiment",
    "SweepSpec",
    "experiment_json_schema",
    "kind_of",
    "load_experiment",
]

ExperimentKind = Literal["sweep", "calibration"]
#: The kinds of experiment and the command that runs each.
KINDS: dict[str, str] = {"sweep": "natosim sweep", "calibration": "natosim calibrate"}
#: Keys only a calibration file has: they decide the kind of a file without ``kind``.
CALIBRATION_KEYS = ("targets", "parameters")
#: What a name may be (it becomes a folder: ``sweeps/<name>``, ``runs/<name>``).
NAME_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$"


def _outcome_tag(v: Any) -> str:
    return "<name>" if isinstance(v, str) else "<table>"


#: One entry of ``outcomes``: a built-in name or a declarative table.
OutcomeItem = Annotated[
    Annotated[str, AfterValidator(builtin_name), Tag("<name>")]
    | Annotated[OutcomeEntry, Tag("<table>")],
    Discriminator(_outcome_tag),
]
#: Keys added after sweeps had digests: in the canonical form only when set.
NEW_KEYS = ("scenarios", "cross", "policies")


class SweepSpec(BaseModel):
    """A validated sweep experiment file (``kind = "sweep"``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["sweep"] = "sweep"
    name: str = Field(min_length=1, max_length=MAX_NAME_CHARS, pattern=NAME_PATTERN)
    description: str = ""
    scenario: str | None = Field(default=None, min_length=1)
    design: Literal["grid", "lhs", "sobol", "morris"]
    n: int = Field(default=64, ge=1, le=1_000_000, strict=True)
    levels: int = Field(default=5, ge=2, le=101, strict=True)
    second_order: bool = Field(default=False, strict=True)
    morris_levels: int = Field(default=4, ge=2, le=20, strict=True)
    resamples: int = Field(default=200, ge=10, le=10_000, strict=True)
    replicates: int = Field(default=1, ge=1, le=100_000, strict=True)
    seed: int = Field(default=0, ge=0, le=2**63 - 1, strict=True)
    outcomes: tuple[OutcomeItem, ...] = tuple(OUTCOMES)
    trajectories: Literal["none", "headline", "all"] = "headline"
    chunk_size: int = Field(default=512, ge=1, le=100_000, strict=True)
    levers: tuple[Lever, ...] = ()
    uncertainties: tuple[Uncertainty, ...] = ()
    scenarios: tuple[str, ...] = ()
    cross: bool = Field(default=False, strict=True)
    policies: int | None = Field(default=None, ge=1, le=1_000_000, strict=True)

    @field_validator("outcomes")
    @classmethod
    def _known_outcomes(cls, v: tuple[str | OutcomeEntry, ...]) -> tuple[str | OutcomeEntry, ...]:
        check_items(v, ())
        return v

    @field_validator("scenarios")
    @classmethod
    def _distinct_scenarios(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        twice = sorted({x for x in v if v.count(x) > 1})
        if twice:
            raise ValueError(f"scenario {twice[0]!r} is listed twice")
        return v

    @model_validator(mode="after")
    def _check(self) -> SweepSpec:
        names = [v.name for v in (*self.levers, *self.uncertainties)]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(
                f"parameter {twice[0]!r} is listed twice (levers and uncertainties vary each "
                "parameter once)"
            )
        if (self.scenario is None) == (not self.scenarios):
            raise ValueError("give scenario (one base scenario) or scenarios (a list), not both")
        if self.design != "grid" and not names:
            raise ValueError(f"design {self.design!r} needs at least one lever or uncertainty")
        if self.design in ("sobol", "morris") and len(names) < 2:
            raise ValueError(f"design {self.design!r} needs at least two parameters")
        for o in self.outcomes:
            name = o if isinstance(o, str) else o.name
            if name in names:
                raise ValueError(f"outcomes: {name!r} is also the name of a varied parameter")
        if self.cross:
            if not (self.levers and self.uncertainties):
                raise ValueError("cross = true needs levers (policies) and uncertainties (worlds)")
            if self.design not in ("grid", "lhs"):
                raise ValueError("cross (policies times worlds) works with design grid or lhs")
        if self.policies is not None and not (self.cross and self.design == "lhs"):
            raise ValueError('policies (lever points) goes with cross = true and design = "lhs"')
        return self

    def param_ranges(self) -> list[ParamRange]:
        """The varied parameters, levers first (each with its ``kind``)."""
        return [*self.levers, *self.uncertainties]

    def outcome_defs(self) -> tuple[Outcome, ...]:
        """The outcomes to record, as the model computes them."""
        return tuple(to_outcome(o) for o in self.outcomes)

    @property
    def scenario_names(self) -> tuple[str, ...]:
        """The scenario files as written: ``scenarios``, or the one ``scenario``."""
        return self.scenarios or (str(self.scenario),)

    def canonical(self) -> dict[str, Any]:
        """The file's content in canonical form (written to a sweep's manifest).

        ``kind`` is left out, and each range is ``name, low, high, values`` (plus
        ``integer`` when set), as before ``kind`` existed, so the digest of an
        existing sweep, and with it its resume, is unchanged.
        """
        out = self.model_dump(
            mode="json", exclude={"kind", "levers", "uncertainties", *NEW_KEYS, "outcomes"}
        )
        for key in ("levers", "uncertainties"):
            out[key] = [_canonical_range(r) for r in getattr(self, key)]
        out["outcomes"] = [o if isinstance(o, str) else o.canonical() for o in self.outcomes]
        for key in NEW_KEYS:  # only when set: older sweeps keep their digest
            value = getattr(self, key)
            if value not in (None, (), False):
                out[key] = list(value) if isinstance(value, tuple) else value
        if self.scenario is None:
            del out["scenario"]
        return out

    def digest(self) -> str:
        """SHA-256 of the canonical form (identifies the experiment for resuming)."""
        blob = json.dumps(self.canonical(), sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()


def _canonical_range(r: ParamRange) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": r.name,
        "low": r.low,
        "high": r.high,
        "values": list(r.values) if r.values is not None else None,
    }
    if r.integer:
        out["integer"] = True
    return out


def kind_of(data: Any) -> str | None:
    """The kind of a parsed experiment file (a dict) or spec; see the module docstring."""
    if not isinstance(data, dict):
        return getattr(data, "kind", None)
    if "kind" in data:
        return data["kind"] if isinstance(data["kind"], str) else None
    return "calibration" if any(k in data for k in CALIBRATION_KEYS) else "sweep"


class ExperimentFile(RootModel):
    """Any experiment file: a sweep or a calibration, told apart by ``kind``."""

    root: Annotated[
        Annotated[SweepSpec, Tag("sweep")] | Annotated[CalibrationSpec, Tag("calibration")],
        Discriminator(kind_of),
    ]


def experiment_json_schema() -> dict[str, Any]:
    """JSON Schema of experiment files (both kinds), for editors."""
    schema = ExperimentFile.model_json_schema()
    schema["title"] = "natosim experiment"
    return schema


@dataclass
class SweepExperiment:
    """A loaded sweep experiment and its resolved scenarios.

    Attributes:
        spec: The parsed file.
        path: The experiment file.
        scenario: The resolved base scenario (the first of ``scenarios``).
        scenario_path: The base scenario file.
        scenarios: Every scenario of the sweep, in the file's order (one
            unless the file lists ``scenarios``).
    """

    spec: SweepSpec
    path: Path
    scenario: Scenario
    scenario_path: Path
    scenarios: tuple[Scenario, ...] = ()

    def __post_init__(self) -> None:
        if not self.scenarios:
            self.scenarios = (self.scenario,)

    @property
    def kind(self) -> str:
        """``"sweep"``."""
        return self.spec.kind


def load_experiment(
    path: str | Path,
    kind: ExperimentKind | None = None,
    *,
    scenario_out: str | Path | None = None,
) -> SweepExperiment | CalibrationExperiment:
    """Load and validate an experiment file of either kind, with its base scenario.

    Every check that can fail is done here, before anything is run or written.

    Args:
        path: The experiment file, or the name of a bundled experiment.
        kind: The kind the caller runs; a file of the other kind is refused.
        scenario_out: A calibration's ``--scenario-out`` (relative to the working
            directory; see :mod:`sim.experiments.calibration.experiment`).

    Returns:
        A :class:`SweepExperiment` or a
        :class:`~sim.experiments.calibration.experiment.CalibrationExperiment`.

    Raises:
        InputError: Naming the file and field when anything is wrong (a file of
            another ``kind`` than asked for included).
    """
    path = locate.find_input(path, "experiment")
    data: dict[str, Any] = read_document(path, "experiment")
    not_a_scenario(path, data, set(SweepSpec.model_fields) | set(CalibrationSpec.model_fields))
    found = kind_of(data)
    if found not in KINDS:
        raise InputError(
            path, "kind", f'must be "sweep" or "calibration", got {shown(data.get("kind"))}'
        )
    if kind is not None and found != kind:
        raise InputError(
            path,
            "kind",
            f'this is a {found} experiment (kind = "{found}"), not a {kind}; '
            f"run it with {KINDS[found]}",
        )
    model = SweepSpec if found == "sweep" else CalibrationSpec
    try:
        spec = model.model_validate(data, context=FILE_CONTEXT)
    except ValidationError as exc:
        err = exc.errors()[0]
        msg = (
            unknown_key(err, _TAGS, model)
            or type_message(err)
            or value_message(err)
            or str(err["msg"]).removeprefix("Value error, ")
        )
        loc = error_location({"loc": [p for p in err["loc"] if p not in _TAGS]})
        raise InputError(path, loc, msg) from None
    if isinstance(spec, CalibrationSpec):
        try:
            sc_path = locate.find_input(spec.scenario, "scenario", path.parent)
        except InputError as exc:
            raise InputError(
                path, "scenario", f"scenario {shown(spec.scenario)}: {exc.message}"
            ) from None
        return resolve_calibration(spec, path, sc_path, scenario_out)
    return _resolve_sweep(spec, path, path.parent)


#: Union tags pydantic puts in an error's location (left out of the field path).
_TAGS = ("<name>", "<table>")


def sweep_experiment(spec: SweepSpec, relative_to: str | Path = ".") -> SweepExperiment:
    """A sweep built in Python (e.g. with a function outcome), its scenarios resolved.

    Args:
        spec: The experiment.
        relative_to: Folder the scenario paths are relative to.

    Raises:
        InputError: If a scenario cannot be found or cannot compute an outcome.
    """
    return _resolve_sweep(spec, Path(relative_to) / f"{spec.name}.toml", Path(relative_to))


def _resolve_sweep(spec: SweepSpec, path: Path, base: Path) -> SweepExperiment:
    field = "scenarios" if spec.scenarios else "scenario"
    paths: list[Path] = []
    loaded: list[Scenario] = []
    for i, name in enumerate(spec.scenario_names):
        where = f"scenarios[{i}]" if spec.scenarios else field
        try:
            paths.append(locate.find_input(name, "scenario", base))
        except InputError as exc:
            raise InputError(path, where, f"scenario {shown(name)}: {exc.message}") from None
        loaded.append(load_scenario(paths[-1]))
        problem = check_against(spec.outcomes, loaded[-1]) or held_by(spec, loaded[-1])
        if problem:
            raise InputError(path, problem.split(":", 1)[0], problem.split(":", 1)[1].strip())
    names = [s.name for s in loaded]
    if len(set(names)) != len(names):
        raise InputError(path, field, f"two scenarios share a name: {', '.join(names)}")
    return SweepExperiment(spec, path, loaded[0], paths[0], tuple(loaded))
