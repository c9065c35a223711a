"""A calibration experiment resolved against its base scenario and the data.

:func:`resolve_calibration` is called by :func:`sim.experiments.schema.load_experiment`
for a file of ``kind = "calibration"``. Every check that can fail is done there,
before anything is simulated or written: the targets' series exist and are
complete in the fit window, the model has the targets' trust pairs, the split and
the out-of-sample end fit the window, and the calibrated scenario can be written
where asked.

**Where the calibrated scenario goes** (:attr:`CalibrationExperiment.scenario_out`):

* ``--scenario-out PATH`` on the command line: there, wherever that is;
* else the file's ``scenario_out``, relative to the experiment file. It must stay
  inside the experiment's project folder (the folder above the experiment file's
  own: ``experiments/../``) and must not be the experiment file itself, or the
  file is refused (exit status 2). A bundled experiment of an installed wheel
  (inside the ``sim`` package) never writes into the package: its
  ``scenario_out`` names only the file, written into the ``--out`` folder;
* else ``<base scenario>_<experiment name>.toml`` in the ``--out`` folder (so
  that two calibrations of one scenario do not share a name, nor take the name
  of the bundled ``historical_calibrated``).

In every case it must be a ``.toml`` file other than the base scenario.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import numpy as np
import pandas as pd

from sim.data import locate, tables
from sim.data.unga import IDEALPOINT_SUMMARY_FILE, load_idealpoint_summary
from sim.experiments.calibration.spec import CalibrationSpec
from sim.experiments.ranges import ParamRange
from sim.files.errors import InputError, shown
from sim.files.hints import meant
from sim.model.compile import compile_scenario
from sim.model.consistency import scheduled_events
from sim.model.param_changes import changed_from, held_back
from sim.model.resolve import load_scenario, resolve, validate
from sim.model.scenario import Scenario
from sim.model.shock_list import scheduled_shocks
from sim.model.vocabulary import actor_aliases, did_you_mean

__all__ = ["CalibrationExperiment", "continued_scenario", "resolve_calibration"]

#: ``fail(field, message)`` raises the experiment file's InputError.
_Fail = Callable[[str, str], NoReturn]


@dataclass
class CalibrationExperiment:
    """A loaded, validated calibration experiment with everything it refers to resolved.

    Attributes:
        spec: The parsed file.
        path: The experiment file.
        scenario: The resolved base scenario.
        scenario_path: The base scenario file.
        scenario_out: Where the calibrated scenario is written, or None: into the
            ``--out`` folder as :attr:`scenario_out_name` (see the module docstring).
        data: The ideal-point summary, indexed by year.
        continuation: The scenario that continues the record after the fit window
            (``[out_of_sample]``), or None.
    """

    spec: CalibrationSpec
    path: Path
    scenario: Scenario
    scenario_path: Path
    scenario_out: Path | None
    data: pd.DataFrame
    continuation: Scenario | None = None

    @property
    def kind(self) -> str:
        """``"calibration"``."""
        return self.spec.kind

    @property
    def names(self) -> list[str]:
        """Fitted parameter names, in order."""
        return [p.name for p in self.spec.parameters]

    @property
    def ranges(self) -> list[ParamRange]:
        """Uniform priors, in parameter order."""
        return list(self.spec.parameters)

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """Directed trust pairs of the targets."""
        return [(t.observer, t.target) for t in self.spec.targets]

    @property
    def scenario_out_name(self) -> str:
        """File name of the calibrated scenario when it is written into ``--out``."""
        if self.spec.scenario_out is not None:
            return Path(self.spec.scenario_out).name
        return f"{self.scenario_path.stem}_{self.spec.name}.toml"

    def scenario_target(self, out_dir: Path) -> Path:
        """Where the calibrated scenario is written, given the ``--out`` folder."""
        if self.scenario_out is not None:
            return self.scenario_out
        return Path(out_dir) / self.scenario_out_name

    def observed(self, years: tuple[int, int]) -> np.ndarray:
        """Observed series over ``years`` (inclusive), concatenated target by target."""
        rows = self.data.loc[years[0] : years[1]]
        return np.concatenate([rows[t.series].to_numpy(dtype=float) for t in self.spec.targets])


def continued_scenario(base: Scenario, end: int, name: str) -> Scenario:
    """The base scenario continued (or cut) to ``end``, validated like a file.

    Args:
        base: A resolved scenario.
        end: New last year.
        name: Name of the new scenario.

    Returns:
        The resolved scenario with ``time.end = end``.
    """
    data = base.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    data["time"] = {"start": base.time.start, "end": end}
    data["name"] = name
    # the base's file has said what it drops (on_inconsistent = "drop"); a derived
    # copy would say it again, under no file's name
    return validate(resolve(data), warn=False)


def resolve_calibration(
    spec: CalibrationSpec,
    path: Path,
    scenario_path: Path,
    scenario_out: str | Path | None = None,
) -> CalibrationExperiment:
    """Check a parsed calibration file against its scenario and the data.

    Args:
        spec: The parsed file.
        path: The experiment file (resolved).
        scenario_path: The base scenario file (resolved).
        scenario_out: Override of the file's ``scenario_out`` (``--scenario-out``,
            relative to the working directory, not to the experiment file).

    Returns:
        The resolved experiment.

    Raises:
        InputError: Naming the experiment file and the field at fault.
    """

    def fail(fld: str, msg: str) -> NoReturn:
        raise InputError(path, fld, msg)

    scenario = load_scenario(scenario_path)
    changed = changed_from(scenario.parameter_changes, scenario.time.start, scenario.time.end)
    seen: set[str] = set()
    for i, p in enumerate(spec.parameters):
        if p.name in seen:
            fail(f"parameters[{i}].name", f"{p.name!r} is listed twice")
        if p.name in changed:
            fail(f"parameters[{i}].name", held_back(p.name, changed[p.name], scenario.name))
        seen.add(p.name)
    try:
        data = load_idealpoint_summary()
    except FileNotFoundError as exc:
        raise InputError(path, None, str(exc)) from None
    _check_window(spec, scenario, data, fail)
    _check_split(spec, fail)
    continuation = _continuation(spec, path, scenario, fail)
    out = _scenario_out(spec, path, scenario_path, scenario_out, fail)
    return CalibrationExperiment(spec, path, scenario, scenario_path, out, data, continuation)


def _continuation(
    spec: CalibrationSpec, path: Path, scenario: Scenario, fail: _Fail
) -> Scenario | None:
    """The scenario of ``[out_of_sample]``, checked now so a bad one fails before any output."""
    if spec.out_of_sample is None:
        return None
    end = spec.out_of_sample.end
    if end <= spec.years[1]:
        fail("out_of_sample.end", f"{end} must be after the fit window ({spec.years[1]})")
    ref = spec.out_of_sample.scenario
    if ref is None:
        try:
            continued_scenario(scenario, end, f"{scenario.name}_calibrated_to_{end}")
        except InputError as exc:
            where = f"{exc.field}: " if exc.field else ""
            fail(
                "out_of_sample.end",
                f"the base scenario continued to {end} is not valid: {where}{exc.message}",
            )
        return None
    try:
        cont = load_scenario(locate.find_input(ref, "scenario", path.parent))
    except InputError as exc:
        fail("out_of_sample.scenario", f"scenario {shown(ref)}: {exc.message}")
    if (cont.time.start, cont.time.end) != (scenario.time.start, end):
        fail(
            "out_of_sample.scenario",
            f"scenario {shown(ref)} runs {cont.time.start}-{cont.time.end}; the record "
            f"continued must run {scenario.time.start}-{end} (the base's start to `end`)",
        )
    differs = _history_differs(scenario, cont)
    if differs:
        fail(
            "out_of_sample.scenario",
            f"scenario {shown(ref)} is not the base's history continued: its {differs} "
            f"up to {scenario.time.end} differ from those of {scenario.name!r}",
        )
    return cont


def _history_differs(base: Scenario, cont: Scenario) -> str:
    """What of ``cont`` differs from ``base`` within the base's span ("" if nothing).

    The scheduled events and the shocks of the years the base covers must be the
    same (their notes and sources aside): a continuation adds what comes after, it
    does not rewrite the record.
    """
    last = base.time.end
    words = {"note", "source"}

    def events(sc: Scenario) -> list[str]:
        return sorted(
            e.model_dump_json(exclude=words) for e in scheduled_events(sc) if e.year <= last
        )

    def shocks(sc: Scenario) -> list[str]:
        return sorted(
            x.model_dump_json(exclude=words) for x in scheduled_shocks(sc) if x.year <= last
        )

    if events(base) != events(cont):
        return "scheduled events"
    if shocks(base) != shocks(cont):
        return "shocks"
    return ""


def _check_window(
    spec: CalibrationSpec, scenario: Scenario, data: pd.DataFrame, fail: _Fail
) -> None:
    """The fit window lies in the data and the scenario; every target is usable."""
    comp = compile_scenario(scenario)
    y0, y1 = spec.years
    if y1 - y0 < 3:
        fail("years", f"need at least 4 years, got {y0}-{y1}")
    lo, hi = int(data.index.min()), int(data.index.max())
    if not (lo <= y0 and y1 <= hi):
        fail("years", f"{y0}-{y1} is outside the data ({lo}-{hi}, {IDEALPOINT_SUMMARY_FILE})")
    if not (scenario.time.start <= y0 and y1 <= scenario.time.end):
        fail(
            "years",
            f"{y0}-{y1} is outside the scenario's span {scenario.time.start}-{scenario.time.end}",
        )
    pairs_seen: set[tuple[str, str]] = set()
    actors = tables.actor_codes()  # (an excluded one has no pair: said below)
    for i, t in enumerate(spec.targets):
        if t.series not in data.columns:
            numeric = [c for c in data.columns if c.startswith(("dist", "mean_dist"))]
            hint = meant(t.series, numeric)
            fail(
                f"targets[{i}].series",
                f"unknown series {t.series!r} ({hint + '; ' if hint else ''}distance columns: "
                f"{', '.join(numeric)})",
            )
        for key, code in (("observer", t.observer), ("target", t.target)):
            if code not in actors:
                hint = did_you_mean(code, actors, actor_aliases(), "actors")
                fail(f"targets[{i}].{key}", f"unknown actor {code!r}{hint}")
        if (t.observer, t.target) not in comp.pair_index:
            fail(
                f"targets[{i}]",
                f"the model has no trust pair {t.observer}→{t.target} in this scenario",
            )
        if (t.observer, t.target) in pairs_seen:
            fail(f"targets[{i}]", f"pair {t.observer}→{t.target} is used twice")
        pairs_seen.add((t.observer, t.target))
        if data.loc[y0:y1, t.series].isna().any():
            fail(f"targets[{i}].series", f"{t.series} has missing values in {y0}-{y1}")


def _check_split(spec: CalibrationSpec, fail: _Fail) -> None:
    """The training and test spans are ordered, inside the window, and long enough."""
    if spec.split is None:
        return
    y0, y1 = spec.years
    for key in ("train", "test"):
        a, b = getattr(spec.split, key)
        if not (y0 <= a < b <= y1):
            fail(f"split.{key}", f"{a}-{b} must be an ordered span within years {y0}-{y1}")
    n_train = spec.split.train[1] - spec.split.train[0] + 1
    if n_train * len(spec.targets) <= len(spec.parameters) + 2 * len(spec.targets) + 1:
        fail("split.train", f"{n_train} years are too few for {len(spec.parameters)} parameters")
    if spec.split.train[1] >= spec.split.test[0]:
        fail("split", "the training years must end before the test years start")


def _scenario_out(
    spec: CalibrationSpec,
    path: Path,
    scenario_path: Path,
    override: str | Path | None,
    fail: _Fail,
) -> Path | None:
    """Where the calibrated scenario goes (None: into ``--out``); see the module docstring."""
    if override is not None:
        out, fld = Path(override), "--scenario-out"
    elif spec.scenario_out is not None:
        fld = "scenario_out"
        out = _written_at(path.parent / spec.scenario_out)
        project = Path(os.path.realpath(path.parent.parent))
        if not out.is_relative_to(project):
            fail(
                fld,
                f"{shown(spec.scenario_out)} resolves to {out}, outside the project folder "
                f"{project}; give --scenario-out to write elsewhere",
            )
        if locate.inside_package(path):
            out = None  # a bundled experiment of an installed wheel: write into --out
    else:
        out, fld = None, "scenario_out"
    target = out if out is not None else Path(spec.scenario_out or "calibrated.toml")
    if target.suffix.lower() != ".toml":
        fail(fld, f"{target} must be a .toml file")
    if out is not None and _written_at(out) == _written_at(path):
        fail(fld, "would overwrite the experiment file")
    if out is not None and _written_at(out) == _written_at(scenario_path):
        fail(fld, "would overwrite the base scenario")
    return out


def _written_at(path: Path) -> Path:
    """Where an atomic write to ``path`` lands: its folder resolved, then its own name.

    An atomic write replaces the last name itself (a symbolic link there is
    replaced, never followed), so only the folders on the way are resolved;
    a loop of links among them resolves to the name as written, which stays
    outside anything it should not reach.
    """
    path = Path(path)
    if path.name in ("", ".", ".."):
        return Path(os.path.realpath(path))
    return Path(os.path.realpath(path.parent)) / path.name
