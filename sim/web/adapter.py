"""The page's model adapter: scenario choices, controls, seed text, :class:`AppModel`.

The page runs :class:`sim.model.mesa_model.DiplomacyModel` itself, built through the thin
:class:`AppModel` adapter that turns the page's controls (a seed typed as text,
on/off switches, sliders) into the model's arguments; for the same scenario,
seed and settings it gives the same numbers as :func:`sim.run`.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mesa.visualization.user_param import Slider

from sim.data import locate
from sim.files.errors import InputError
from sim.model import params as P
from sim.model.mesa_model import DiplomacyModel
from sim.model.param_changes import changed_from
from sim.model.resolve import find_scenario, load_scenario
from sim.model.scenario import Scenario

#: Scenario shown first when none is given.
DEFAULT_SCENARIO = "historical"

#: Sliders on the page: parameter, plain label, step. The article's three
#: levers come first; the rest are the uncertainties that matter most.
SLIDERS: tuple[tuple[str, str, float], ...] = (
    ("sg_entrepreneurship", "Lever 1 · Secretary General's entrepreneurship", 0.05),
    ("nrc_share", "Lever 2 · Share of the agenda in the NATO–Russia Council", 0.05),
    ("nato_globalism", "Lever 3 · NATO's global reach", 0.05),
    ("two_tier", "Two-tier NATO: old vs new members", 0.05),
    ("rus_assertiveness", "Russian great-power assertiveness (0 = the model's baseline)", 0.1),
    ("consensus", "Weight of consensus in NATO's decisions (0 = vote, 1 = unanimity)", 0.05),
    ("nrc_buffer", "Council cushions hostile shocks", 0.05),
    ("hostile_weight", "Weight of hostile acts on trust", 0.05),
    ("memory", "Forgetting per year", 0.01),
    ("initial_trust", "Trust at the start", 0.01),
)

#: On/off switches: control name, label, the parameter set to 0 when off.
SWITCHES: tuple[tuple[str, str, str], ...] = (
    ("random_shocks", "Random yearly shocks (noise)", "noise"),
    ("feedback", "Trust steers the next moves", "trust_sensitivity"),
)

SEED_LABEL = "Seed (a whole number: same seed, same run)"


@dataclass(frozen=True)
class ScenarioChoice:
    """A scenario the page offers.

    Attributes:
        key: Label in the scenario picker (the stem in scenarios/, else the file name).
        path: The scenario file.
        scenario: The loaded, validated scenario.
    """

    key: str
    path: Path
    scenario: Scenario


def scenario_choices(given: str | Path | None = None) -> tuple[dict[str, ScenarioChoice], str]:
    """Scenarios offered by the page and the one shown first.

    Every valid file in ``scenarios/`` is offered under its stem; a ``given``
    scenario outside that folder is added under its file name.

    Args:
        given: The scenario named on the command line, if any.

    Returns:
        The choices by key, and the key shown first.

    Raises:
        InputError: If ``given`` is not a valid scenario.
    """
    choices: dict[str, ScenarioChoice] = {}
    for path in sorted(locate.scenarios_dir().iterdir()):
        if path.suffix.lower() not in (".toml", ".yaml", ".yml"):
            continue
        try:
            choices[path.stem] = ScenarioChoice(path.stem, path.resolve(), load_scenario(path))
        except InputError:  # a broken file is left out of the picker
            continue
    first = DEFAULT_SCENARIO if DEFAULT_SCENARIO in choices else next(iter(choices), "")
    if given:
        path = find_scenario(given)
        scenario = load_scenario(path)
        match = next((c.key for c in choices.values() if c.path == path), None)
        if match is None:
            match = path.name if path.name not in choices else str(path)
            choices[match] = ScenarioChoice(match, path, scenario)
        first = match
    return choices, first


def scenario_argument(path: Path) -> str:
    """How ``natosim run`` would name a scenario file (its stem if in ``scenarios/``)."""
    if path.parent == locate.scenarios_dir().resolve() and path.suffix == ".toml":
        return path.stem
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def parse_seed(text: str | int | None, default: int) -> tuple[int, str]:
    """Read the seed control.

    Args:
        text: What was typed (or an int); blank means the scenario's own seed.
        default: The scenario's seed.

    Returns:
        The seed, and a note for the page when the text could not be used.
    """
    if text is None or (isinstance(text, str) and not text.strip()):
        return default, ""
    try:
        value = int(str(text).strip())
    except ValueError:
        return default, f"Seed {str(text)!r} is not a whole number; using {default}."
    if not 0 <= value < 2**63:
        return default, f"Seed {value} is outside 0 to 2**63-1; using {default}."
    return value, ""


class AppModel(DiplomacyModel):
    """:class:`~sim.model.mesa_model.DiplomacyModel` built from the page's controls.

    It adds nothing to the model: it reads the seed text and the on/off
    switches, then calls ``DiplomacyModel(scenario, rng=seed, **overrides)``,
    so its numbers are those of ``run(scenario, seed, **overrides)``.

    A scenario that reports from a later year than it starts (a projection
    simulates 1991-2011 only to set where 2012 begins) is warmed up here: those
    years are simulated before the page first draws, outside Mesa's step count,
    so the first Step shows the first reported year instead of twenty-one
    presses that show nothing.

    Mesa's ▶ (play) steps the model in a thread of its own while the page's
    panels draw it in another, so a step holds :attr:`lock`, and the panels
    read the model under the same lock: each drawing sees one whole year, never
    a step half done.

    Args:
        scenario_file: Scenario path or name in ``scenarios/``.
        seed: The seed as typed (blank or None: the scenario's seed).
        random_shocks: False sets ``noise`` to 0 (no unmodelled yearly shocks).
        feedback: False sets ``trust_sensitivity`` to 0 (trust no longer steers
            the actors' choices).
        scenario: Ignored: Mesa's Reset button passes its own ``Scenario``
            object here.
        **overrides: Parameter values (see :mod:`sim.model.params`).
    """

    def __init__(
        self,
        scenario_file: str = DEFAULT_SCENARIO,
        seed: str | int | None = None,
        random_shocks: bool = True,
        feedback: bool = True,
        scenario: Any = None,
        **overrides: float,
    ) -> None:
        del scenario  # Mesa's own Scenario object; the natosim one is scenario_file
        self.lock = threading.RLock()
        sc = load_scenario(scenario_file)
        rng, note = parse_seed(seed, sc.seed)
        overrides = {k: float(v) for k, v in overrides.items()}
        switches = {"random_shocks": random_shocks, "feedback": feedback}
        for control, _, param in SWITCHES:
            if not switches[control]:
                overrides[param] = 0.0
        super().__init__(scenario=sc, rng=rng, **overrides)
        self.scenario_path = find_scenario(scenario_file)
        self.seed = rng
        self.seed_note = note
        self.switches = switches
        years = self.compiled.years
        while self.state.t < len(years) and years[self.state.t] < self.compiled.report_from:
            DiplomacyModel.step(self)  # the unreported years, not counted as Mesa's steps

    @property
    def warm_up(self) -> int:
        """Years simulated before the first reported one (0 when it reports from the start)."""
        years = self.compiled.years
        return int(sum(1 for y in years if y < self.compiled.report_from))

    def step(self) -> None:
        """Advance one simulated year; past the last year, do nothing.

        Mesa's controls may ask for more steps than remain (a render interval
        above 1 does not stop at the end), so the adapter ignores those.
        The step holds :attr:`lock`.
        """
        with self.lock:
            if self.running:
                super().step()

    def pending(self, controls: Mapping[str, Any]) -> list[str]:
        """The controls set otherwise than this model was built with (Reset applies them).

        Args:
            controls: The page's current control values, by control name.

        Returns:
            The labels of the controls that differ, in the page's order.
        """
        out = []
        if "seed" in controls and parse_seed(controls["seed"], self.scenario_spec.seed)[0] != (
            self.seed
        ):
            out.append("the seed")
        for control, label, _ in SWITCHES:
            if control in controls and bool(controls[control]) != self.switches[control]:
                out.append(label)
        for name, label, _ in SLIDERS:
            if name in controls and float(controls[name]) != self.parameters[name]:
                out.append(label)
        return out

    def changed_parameters(self) -> dict[str, float]:
        """Parameters whose value differs from the scenario's own."""
        own = self.scenario_spec.resolved_parameters()
        return {k: v for k, v in self.parameters.items() if v != own[k]}

    def run_command(self) -> str:
        """The ``natosim run`` command that gives this run's numbers.

        It writes to a folder of its own, ``runs/NAME_seedSEED`` (with changed
        controls, a short digest of them added: one folder per setting), so that it
        does not replace a run of many replicates in the scenario's default folder.
        """
        parts = ["natosim run", scenario_argument(self.scenario_path), f"--seed {self.seed}"]
        parts += self._sets()
        parts.append(f"--out runs/{self.run_name()}")
        return " ".join(parts)

    def _sets(self) -> list[str]:
        return [f"--set {k}={v!r}" for k, v in self.changed_parameters().items()]

    def run_name(self) -> str:
        """``NAME_seedSEED``, with a short digest of the changed settings if any.

        The name of the page's command folder and of its downloads: one per
        scenario, seed and setting.
        """
        name = f"{self.scenario_path.stem}_seed{self.seed}"
        sets = self._sets()
        if sets:
            name += "_" + hashlib.sha256(" ".join(sets).encode()).hexdigest()[:6]
        return name


def slider_step(value: float, low: float, step: float) -> float:
    """A slider step on whose grid (from ``low``) ``value`` lies exactly."""
    for s in (step, 0.01, 0.001):
        n = (value - low) / s
        if abs(n - round(n)) < 1e-9:
            return s
    return 0.0001


def held_controls(sc: Scenario) -> dict[str, int]:
    """Parameters the scenario changes from a year on: no control for the whole run.

    A slider's value holds for the whole run, which such a scenario would undo
    from its year (``natosim run --set`` refuses the same), so the page leaves
    those controls out and says so.
    """
    return changed_from(sc.parameter_changes, sc.time.start, sc.time.end)


def model_params(choice: ScenarioChoice) -> dict[str, Any]:
    """Mesa ``model_params`` for a scenario: controls start at its own values.

    Parameters the scenario changes from a year on get no control (:func:`held_controls`).
    """
    values = choice.scenario.resolved_parameters()
    held = held_controls(choice.scenario)
    out: dict[str, Any] = {
        "scenario_file": str(choice.path),
        "seed": {"type": "InputText", "value": str(choice.scenario.seed), "label": SEED_LABEL},
    }
    for control, label, param in SWITCHES:
        if param not in held:
            out[control] = {"type": "Checkbox", "value": True, "label": label}
    for name, label, step in SLIDERS:
        if name in held:
            continue
        spec = P.BY_NAME[name]
        v = values[name]
        out[name] = Slider(
            f"{label} · {_number(spec.low)} to {_number(spec.high)}",
            value=v,
            min=spec.low,
            max=spec.high,
            step=slider_step(v, spec.low, step),
            dtype=float,
        )
    return out


def _number(x: float) -> str:
    return f"{x:g}".replace("-", "\u2212")


def initial_model(choice: ScenarioChoice) -> AppModel:
    """The model a session starts with (what Reset gives with untouched controls)."""
    return AppModel(scenario_file=str(choice.path), seed=str(choice.scenario.seed))
