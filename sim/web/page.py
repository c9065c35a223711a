"""The natosim web page: Mesa's SolaraViz on the same model as ``natosim run``.

Start it with ``natosim app [SCENARIO]`` (see :mod:`sim.cli.app`), which runs
``solara run sim.app`` on 127.0.0.1. The page shows, for one run:

* a live chart of NATO's trust in Russia and Russia's trust in NATO, with the
  year's acts marked on the time axis (coloured by how the other side read them);
* each state's trust in Russia at the current year (a sorted bar chart);
* the event log (who did what, scheduled or chosen, and how Moscow and NATO
  read it, from the perception rules in ``sim/tables/perception.csv``);
* the latest values as text, exact to the last digit, with the equivalent
  ``natosim run`` command.

The model is :class:`sim.model.DiplomacyModel` itself, built through the thin
:class:`AppModel` adapter that turns the page's controls (a seed typed as text,
on/off switches) into the model's arguments; for the same scenario, seed and
settings it gives the same numbers as :func:`sim.run.run`. Every browser
session gets its own model.

The page is served offline: it only uses components whose front-end files ship
with ``solara-assets`` (HTML and matplotlib, not Markdown or Altair).
"""

from __future__ import annotations

import copy
import html
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

import pandas as pd
import solara
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from mesa.visualization import SolaraViz, solara_viz
from mesa.visualization.user_param import Slider
from mesa.visualization.utils import update_counter

from sim.data import locate, tables
from sim.files.errors import InputError
from sim.model import params as P
from sim.model.agents import StateAgent
from sim.model.mesa_model import DiplomacyModel
from sim.model.resolve import find_scenario, load_scenario
from sim.model.scenario import Scenario
from sim.web.server import SCENARIO_ENV

#: Scenario shown first when none is given.
DEFAULT_SCENARIO = "historical"
TITLE = "natosim · NATO–Russia trust"

NATO_COLOR = "#1f4e9c"
RUS_COLOR = "#c0392b"
HOSTILE = "#c0392b"
FRIENDLY = "#2e8b57"
NEUTRAL = "#7f8c8d"
NOT_YET = "#d5d8dc"
TIER_COLORS = {"old": "#1f4e9c", "new": "#e67e22", "aspirant": "#8e44ad"}
TIER_LABELS = {
    "old": "western member (before 1999)",
    "new": "central/eastern member",
    "aspirant": "aspirant (Ukraine, Georgia)",
}
MINUS = "\u2212"

#: Sliders on the page: parameter, plain label, step. The article's three
#: levers come first; the rest are the uncertainties that matter most.
SLIDERS: tuple[tuple[str, str, float], ...] = (
    ("sg_entrepreneurship", "Lever 1 · Secretary General's entrepreneurship", 0.05),
    ("nrc_share", "Lever 2 · Share of the agenda in the NATO–Russia Council", 0.05),
    ("nato_globalism", "Lever 3 · NATO's global reach", 0.05),
    ("two_tier", "Two-tier NATO: old vs new members", 0.05),
    ("rus_assertiveness", "Russian great-power assertiveness", 0.1),
    ("consensus", "NATO decides by consensus (vs vote)", 0.05),
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


# --------------------------------------------------------------------------- scenarios


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


# --------------------------------------------------------------------------- model


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
    """:class:`~sim.model.DiplomacyModel` built from the page's controls.

    It adds nothing to the model: it reads the seed text and the on/off
    switches, then calls ``DiplomacyModel(scenario, rng=seed, **overrides)``,
    so its numbers are those of ``run(scenario, seed, **overrides)``.

    Args:
        scenario_file: Scenario path or name in ``scenarios/``.
        seed: The seed as typed (blank or None: the scenario's seed).
        random_shocks: False sets ``noise`` to 0 (no unmodelled yearly shocks).
        feedback: False sets ``trust_sensitivity`` to 0 (trust no longer steers
            the actors' choices).
        scenario: Ignored: Mesa's Reset button passes its own ``Scenario``
            object here.
        **overrides: Parameter values (see :mod:`sim.params`).
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

    def step(self) -> None:
        """Advance one simulated year; past the last year, do nothing.

        Mesa's controls may ask for more steps than remain (a render interval
        above 1 does not stop at the end), so the adapter ignores those.
        """
        if self.running:
            super().step()

    def changed_parameters(self) -> dict[str, float]:
        """Parameters whose value differs from the scenario's own."""
        own = self.scenario_spec.resolved_parameters()
        return {k: v for k, v in self.parameters.items() if v != own[k]}

    def run_command(self) -> str:
        """The ``natosim run`` command that gives this run's numbers."""
        parts = ["natosim run", scenario_argument(self.scenario_path), f"--seed {self.seed}"]
        parts += [f"--set {k}={v!r}" for k, v in self.changed_parameters().items()]
        return " ".join(parts)


def slider_step(value: float, low: float, step: float) -> float:
    """A slider step on whose grid (from ``low``) ``value`` lies exactly."""
    for s in (step, 0.01, 0.001):
        n = (value - low) / s
        if abs(n - round(n)) < 1e-9:
            return s
    return 0.0001


def model_params(choice: ScenarioChoice) -> dict[str, Any]:
    """Mesa ``model_params`` for a scenario: controls start at its own values."""
    values = choice.scenario.resolved_parameters()
    out: dict[str, Any] = {
        "scenario_file": str(choice.path),
        "seed": {"type": "InputText", "value": str(choice.scenario.seed), "label": SEED_LABEL},
    }
    for control, label, _ in SWITCHES:
        out[control] = {"type": "Checkbox", "value": True, "label": label}
    for name, label, step in SLIDERS:
        spec = P.BY_NAME[name]
        v = values[name]
        out[name] = Slider(
            label,
            value=v,
            min=spec.low,
            max=spec.high,
            step=slider_step(v, spec.low, step),
            dtype=float,
        )
    return out


def initial_model(choice: ScenarioChoice) -> AppModel:
    """The model a session starts with (what Reset gives with untouched controls)."""
    return AppModel(scenario_file=str(choice.path), seed=str(choice.scenario.seed))


# --------------------------------------------------------------------------- what happened


@dataclass(frozen=True)
class Reading:
    """How one reader took an act (a perception rule).

    Attributes:
        reader: ``RUS``, ``NATO`` or ``MEMBERS``.
        valence: Below 0 hostile, above 0 friendly.
        why: The rule's reason (or its Figure 1 entries when it gives none).
    """

    reader: str
    valence: float
    why: str


@dataclass(frozen=True)
class EventRow:
    """One line of the event log.

    Attributes:
        year: Simulated year.
        actor: Actor code (``WORLD`` for a shock).
        action: Action id (or ``threat_shock`` / ``leadership_change``).
        target: Target codes joined by ``;``.
        origin: ``scheduled``, ``chosen`` or ``shock``.
        side: ``west``, ``aspirant``, ``russia`` or ``world``.
        note: What the scenario or timeline says about it.
        moscow: How Moscow read it (None for its own acts or no rule).
        nato: How NATO read it (None for its own acts or no rule).
    """

    year: int
    actor: str
    action: str
    target: str
    origin: str
    side: str
    note: str
    moscow: Reading | None
    nato: Reading | None

    @property
    def other_reading(self) -> Reading | None:
        """The reading by the side that did not act."""
        return self.nato if self.side == "russia" else self.moscow


@cache
def _rules() -> dict[tuple[str, str, str], tables.Rule]:
    return {(r.action, r.actor_side, r.reader): r for r in tables.rules()}


@cache
def _figure1_labels() -> dict[str, str]:
    return {e.id: e.label for e in tables.figure1()}


@cache
def names() -> dict[str, str]:
    """Readable names of actors and places by code."""
    out = {tables.NATO: "NATO", tables.RUS: "Russia", "OOA": "beyond NATO's area"}
    out.update(tables.places())
    out.update({s.code: s.name for s in tables.states()})
    return out


def actor_side(actor: str, action: str) -> str:
    """Which side an act belongs to, as the perception rules name it."""
    if actor == tables.RUS:
        return "russia"
    act = tables.actions().get(action)
    return "aspirant" if act is not None and act.side == "aspirant" else "west"


def _reading(action: str, side: str, *readers: str) -> Reading | None:
    for reader in readers:
        rule = _rules().get((action, side, reader))
        if rule is not None:
            why = rule.why or "; ".join(_figure1_labels().get(f, f) for f in rule.figure1)
            return Reading(reader, rule.valence, why)
    return None


def readings(actor: str, action: str) -> tuple[Reading | None, Reading | None]:
    """How Moscow and NATO read an act, from the perception rules.

    Args:
        actor: Actor code.
        action: Action id.

    Returns:
        ``(moscow, nato)``; the acting side's own reading is None.
    """
    side = actor_side(actor, action)
    if side == "russia":
        return None, _reading(action, side, "NATO", "MEMBERS")
    return _reading(action, side, "RUS"), None


def event_rows(model: DiplomacyModel) -> list[EventRow]:
    """The run's events so far (reported years only), oldest first.

    Scheduled and chosen acts come from ``model.event_log``; the scenario's
    shocks are added, as in ``natosim run``'s ``events.csv``.

    Args:
        model: The model being shown.

    Returns:
        One row per event, in the order of ``RunResult.events``.
    """
    comp = model.compiled
    first = int(comp.years[0])
    notes: dict[tuple[int, str, str, str], list[str]] = {}
    for evs in comp.sched:
        for o in evs:
            key = (int(o.year or 0), o.actor, o.action, ";".join(o.targets))
            notes.setdefault(key, []).append(o.note)
    by_year: dict[int, list[EventRow]] = {}
    for e in model.event_log:
        year = int(e["year"])
        if year < comp.report_from:
            continue
        moscow, nato = readings(e["actor"], e["action"])
        note = ""
        if e["origin"] == "scheduled":  # in the order the model logged them
            pending = notes.get((year, e["actor"], e["action"], e["target"]), [])
            note = pending.pop(0) if pending else ""
        by_year.setdefault(year, []).append(
            EventRow(
                year=year,
                actor=e["actor"],
                action=e["action"],
                target=e["target"],
                origin=e["origin"],
                side=actor_side(e["actor"], e["action"]),
                note=note,
                moscow=moscow,
                nato=nato,
            )
        )
    rows: list[EventRow] = []
    shocks = sorted(model.scenario_spec.shocks, key=lambda s: s.year)
    for year in range(max(first, comp.report_from), model.year + 1):
        for sh in shocks:
            if sh.year != year:
                continue
            if sh.kind == "threat":
                actor, action, target = "WORLD", "threat_shock", sh.theme or ""
            else:
                actor, action, target = sh.actor or "", "leadership_change", sh.actor or ""
            rows.append(
                EventRow(year, actor, action, target, "shock", "world", sh.note, None, None)
            )
        rows.extend(by_year.get(year, []))
    return rows


def action_label(row: EventRow) -> str:
    """Plain description of an event's act."""
    if row.action == "threat_shock":
        return f"A shared threat rises: {row.target}"
    if row.action == "leadership_change":
        return "Change of course in Moscow"
    act = tables.actions().get(row.action)
    return act.label if act else row.action.replace("_", " ")


def _tone(valence: float | None) -> str:
    if valence is None or valence == 0:
        return NEUTRAL
    return HOSTILE if valence < 0 else FRIENDLY


# --------------------------------------------------------------------------- figures


#: Short names for the labels on the time axis.
SHORT = {
    "enlargement_wave": "enlargement",
    "membership_promise": "MAP / promise",
    "partnership_for_peace": "PfP",
    "nrc_engagement": "forum talks",
    "nrc_rejuvenation": "forum founded",
    "nrc_suspension": "forum suspended",
    "missile_shield_deployment": "missile shield",
    "shield_cancellation": "shield scrapped",
    "joint_shield_offer": "joint shield",
    "reset": "reset",
    "out_of_area_intervention": "out-of-area op",
    "humanitarian_intervention": "R2P intervention",
    "democracy_promotion": "colour revolution",
    "recognition": "recognition",
    "arms_control_exit": "arms-control exit",
    "use_of_force": "use of force",
    "energy_pressure": "gas cut-off",
    "aggressive_narrative": "harsh rhetoric",
    "cyber_operation": "cyber attack",
    "counter_deployment": "counter-missiles",
    "bilateral_deal": "bilateral deal",
    "joint_counterterrorism": "counter-terrorism",
    "joint_nonproliferation": "non-proliferation",
    "joint_afghanistan": "Afghanistan",
    "joint_counter_piracy": "anti-piracy",
    "joint_counter_narcotics": "anti-narcotics",
    "joint_peacekeeping": "peacekeeping",
    "membership_request": "membership bid",
}

#: Scheduled acts weighing at least this much (magnitude x |reading|) are named.
LABEL_WEIGHT = 0.5


def trust_figure(model: DiplomacyModel) -> Figure:
    """Trust in both directions over the reported years, events on the time axis.

    Args:
        model: The model being shown.

    Returns:
        A matplotlib figure (not attached to pyplot).
    """
    comp = model.compiled
    df = model.datacollector.get_model_vars_dataframe()
    lo, hi = int(comp.report_from), int(comp.years[-1])
    fig = Figure(figsize=(11.5, 6.0), dpi=100)
    fig.subplots_adjust(left=0.085, right=0.99, top=0.95, bottom=0.075, hspace=0.04)
    ax, strip = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3.0, 2.1]})
    if not df.empty:
        years = df["year"].to_numpy()
        for col, color in (("trust_nato_rus", NATO_COLOR), ("trust_rus_nato", RUS_COLOR)):
            ax.plot(years, df[col], color=color, lw=2.2, marker="o", ms=3.5)
        ax.plot(years, df["nrc_strength"], color=NEUTRAL, lw=1.2, ls=":")
        ax.axvline(years[-1], color="#999", lw=0.8)
    else:
        msg = "Press Step (one year) or ▶ (play)"
        if model.year >= int(comp.years[0]):
            msg = f"Warming up: {model.year} (the scenario reports from {lo})"
        ax.text((lo + hi) / 2, 0.5, msg, ha="center", va="center", fontsize=12, color="#555")
    ax.set_ylim(0, 1)
    ax.set_xlim(lo - 0.7, hi + 0.7)
    ax.set_ylabel("trust (0 = none, 1 = full)")
    ax.grid(alpha=0.3)
    ax.tick_params(labelbottom=False)
    handles = [
        Line2D([], [], color=NATO_COLOR, lw=2.2, label="NATO's trust in Russia"),
        Line2D([], [], color=RUS_COLOR, lw=2.2, label="Russia's trust in NATO"),
        Line2D([], [], color=NEUTRAL, lw=1.2, ls=":", label="NATO–Russia Council strength"),
    ]
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0, 1),
        fontsize=8.5,
        ncol=3,
        frameon=False,
        borderaxespad=0.2,
    )
    _event_strip(strip, event_rows(model), hi - lo)
    strip.set_xlabel("year", labelpad=1)
    strip.set_xticks(list(range(lo, hi + 1, max(1, (hi - lo + 1) // 12))))
    return fig


def _event_strip(ax: Any, rows: list[EventRow], span: int) -> None:
    """Marks on the time axis.

    Lanes from the top: names of the main West acts, West acts scheduled, West
    acts chosen, outside shocks, Russia's chosen acts, Russia's scheduled acts,
    names of its main acts. Colour: how the other side read the act.
    """
    ax.set_ylim(-6.6, 6.6)
    ax.set_yticks([0.9, -0.9], ["NATO / West", "Russia"], fontsize=8)
    ax.axhline(0, color="#ccc", lw=0.6, zorder=1)
    ax.tick_params(axis="y", length=0)
    for s in ("top", "right", "left"):
        ax.spines[s].set_visible(False)
    points: dict[tuple[str, str], tuple[list[float], list[float]]] = {}
    groups: dict[tuple[int, str, str], list[EventRow]] = {}
    for row in rows:
        lane = "world" if row.origin == "shock" else ("west" if row.side != "russia" else "rus")
        groups.setdefault((row.year, lane, row.origin), []).append(row)
    lane_y = {
        ("west", "scheduled"): 1.3,
        ("west", "chosen"): 0.6,
        ("world", "shock"): 0.0,
        ("rus", "chosen"): -0.6,
        ("rus", "scheduled"): -1.3,
    }
    labels: list[tuple[int, str, EventRow]] = []
    for (year, lane, origin), group in groups.items():
        y = lane_y[(lane, origin)]
        n = len(group)
        for k, row in enumerate(group):
            x = year + (k - (n - 1) / 2) * min(0.16, 0.8 / n)
            reading = row.other_reading
            color = NEUTRAL if origin == "shock" else _tone(reading.valence if reading else None)
            key = (origin, color)
            xs, ys = points.setdefault(key, ([], []))
            xs.append(x)
            ys.append(y)
        if origin == "scheduled":
            best = max(group, key=_weight)
            if _weight(best) >= LABEL_WEIGHT:
                labels.append((year, lane, best))
    style = {
        "scheduled": {"marker": "s", "ms": 5.5, "alpha": 0.95},
        "chosen": {"marker": "o", "ms": 3.5, "alpha": 0.6},
        "shock": {"marker": "D", "ms": 4.5, "alpha": 0.9},
    }
    for (origin, color), (xs, ys) in points.items():
        ax.plot(xs, ys, ls="", color=color, zorder=3, **style[origin])
    if span > 45:
        return
    for year, lane, row in labels:
        up = lane == "west"
        reading = row.other_reading
        ax.text(
            year,
            1.85 if up else -1.85,
            SHORT.get(row.action, row.action.replace("_", " ")),
            rotation=90,
            fontsize=7,
            color=_tone(reading.valence if reading else None),
            ha="center",
            va="bottom" if up else "top",
        )


def _weight(row: EventRow) -> float:
    act = tables.actions().get(row.action)
    r = row.other_reading
    return (act.magnitude if act else 0.0) * (abs(r.valence) if r else 0.5)


def member_frame(model: DiplomacyModel) -> pd.DataFrame:
    """Each state's trust toward Russia and Russia's toward it, now, sorted.

    Args:
        model: The model being shown.

    Returns:
        Columns ``code, name, tier, member, accession, trust_in_russia,
        russia_trust``, highest trust in Russia first.
    """
    rows = [
        {
            "code": a.code,
            "name": a.name,
            "tier": a.tier,
            "member": a.is_member,
            "accession": a.accession,
            "trust_in_russia": a.trust_in_russia,
            "russia_trust": a.russia_trust,
        }
        for a in model.agents_by_type[StateAgent]
    ]
    df = pd.DataFrame(rows)
    return df.sort_values("trust_in_russia", ascending=False, kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- page text


def _esc(x: object) -> str:
    return html.escape(str(x))


def _fmt_valence(v: float) -> str:
    return f"{v:+.1f}".replace("-", MINUS)


def readout_html(model: AppModel) -> str:
    """Latest values as text: rounded for reading, exact for checking.

    Args:
        model: The model being shown.

    Returns:
        HTML for the readout (class ``natosim-readout``).
    """
    comp = model.compiled
    df = model.datacollector.get_model_vars_dataframe()
    n_years = len(comp.years)
    done = int(model.state.t)
    sc = model.scenario_spec
    head = f"<b>{_esc(sc.name)}</b> · seed {model.seed} · year {done} of {n_years} simulated" + (
        f" ({int(comp.years[0])}–{int(comp.years[-1])})" if n_years else ""
    )
    if df.empty:
        if done == 0:
            body = "Nothing simulated yet: press <b>Step</b> (one year) or <b>▶</b> (play)."
        else:
            body = f"Warming up in {model.year}: the scenario reports from {comp.report_from}."
        exact = ""
    else:
        last = df.iloc[-1]
        year = int(last["year"])
        nr, rn = float(last["trust_nato_rus"]), float(last["trust_rus_nato"])
        body = (
            f"<span style='font-size:1.25em'><b>{year}</b></span> · "
            f"<span style='color:{NATO_COLOR}'>NATO's trust in Russia <b>{nr:.3f}</b></span> · "
            f"<span style='color:{RUS_COLOR}'>Russia's trust in NATO <b>{rn:.3f}</b></span> · "
            f"{int(last['members'])} members · Council strength {float(last['nrc_strength']):.2f}"
        )
        exact = (
            f"<div class='natosim-exact' data-year='{year}' data-nato-rus='{nr!r}' "
            f"data-rus-nato='{rn!r}' style='font-size:11px;color:#555'>"
            f"Exact values: year={year} NATO→Russia={nr!r} Russia→NATO={rn!r}</div>"
        )
    note = (
        f"<div class='natosim-warning' style='color:{HOSTILE}'>{_esc(model.seed_note)}</div>"
        if model.seed_note
        else ""
    )
    cmd = (
        "<div style='font-size:11px;color:#555'>Same run on the command line: "
        f"<code>{_esc(model.run_command())}</code></div>"
    )
    return (
        f"<div class='natosim-readout'><div>{head}</div><div>{body}</div>{exact}{note}{cmd}</div>"
    )


def events_html(model: DiplomacyModel) -> str:
    """The event log as an HTML table, newest first.

    Args:
        model: The model being shown.

    Returns:
        HTML (class ``natosim-event-log``).
    """
    rows = event_rows(model)
    if not rows:
        return (
            "<div class='natosim-event-log'><i>No events yet: the log fills as years "
            "are simulated.</i></div>"
        )
    n = names()

    def who(codes: str) -> str:
        return ", ".join(n.get(c, c) for c in codes.split(";") if c)

    def cell(r: Reading | None, own: bool) -> str:
        if own:
            return "<span style='color:#999'>own move</span>"
        if r is None:
            return "<span style='color:#999'>—</span>"
        word = "hostile" if r.valence < 0 else "friendly" if r.valence > 0 else "neutral"
        return (
            f"<span style='color:{_tone(r.valence)};font-weight:600'>"
            f"{_fmt_valence(r.valence)} {word}</span>"
            f"{' (members)' if r.reader == 'MEMBERS' else ''}: {_esc(r.why)}"
        )

    origin_text = {
        "scheduled": "scheduled",
        "chosen": "chosen by the actor",
        "shock": "outside shock",
    }
    body = []
    for r in reversed(rows):
        if r.origin == "shock":
            body.append(
                f"<tr class='natosim-shock' style='color:#555;font-style:italic'>"
                f"<td>{r.year}</td><td>{'World' if r.actor == 'WORLD' else who(r.actor)}</td>"
                f"<td>{_esc(action_label(r))}"
                f"{'<br><small>' + _esc(r.note) + '</small>' if r.note else ''}</td>"
                f"<td></td><td>{origin_text['shock']}</td><td colspan='2'></td></tr>"
            )
            continue
        own_moscow = r.side == "russia"
        own_nato = r.side == "west"
        body.append(
            f"<tr class='natosim-{r.origin}'><td>{r.year}</td><td>{_esc(who(r.actor))}</td>"
            f"<td>{_esc(action_label(r))}"
            f"{'<br><small>' + _esc(r.note) + '</small>' if r.note else ''}</td>"
            f"<td>{_esc(who(r.target))}</td><td>{origin_text.get(r.origin, r.origin)}</td>"
            f"<td>{cell(r.moscow, own_moscow)}</td><td>{cell(r.nato, own_nato)}</td></tr>"
        )
    head = (
        "<tr><th>Year</th><th>Who</th><th>Did what</th><th>Toward</th><th>How</th>"
        "<th>Read in Moscow</th><th>Read in NATO</th></tr>"
    )
    return (
        "<div class='natosim-event-log'>"
        f"<div style='font-size:12px;margin-bottom:4px'>{len(rows)} events, newest first. "
        "Readings are the perception rules (<code>sim/tables/perception.csv</code>, from "
        "Figure 1 of Kanet &amp; Larivé 2012): below 0 the reader takes the act as "
        "hostile, above 0 as friendly.</div>"
        f"<table><thead>{head}</thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def members_html(model: DiplomacyModel) -> str:
    """Member-level trust at the current year as a sorted HTML bar chart.

    Bars: each state's trust in Russia; dots: Russia's trust in that state; the
    dashed line: NATO's (the alliance's) trust in Russia.

    Args:
        model: The model being shown.

    Returns:
        HTML (class ``natosim-members``).
    """
    df = member_frame(model)
    nato = model.trust(tables.NATO, tables.RUS)
    when = str(model.year) if model.year >= int(model.compiled.years[0]) else "At the start"
    rows = []
    for r in df.itertuples():
        current = bool(r.member) or r.tier == "aspirant"
        color = TIER_COLORS.get(r.tier, NEUTRAL) if current else NOT_YET
        label = _esc(r.name)
        if not current and r.accession is not None and not pd.isna(r.accession):
            label += f" <span style='color:#888'>(joins {int(r.accession)})</span>"
        rows.append(
            f"<div class='natosim-member' data-code='{_esc(r.code)}' "
            f"data-trust='{r.trust_in_russia!r}' title='{_esc(r.name)}: trust in Russia "
            f"{r.trust_in_russia:.3f}, Russia's trust in it {r.russia_trust:.3f}'>"
            f"<div class='nm-name'>{label}</div><div class='nm-track'>"
            f"<div class='nm-bar' style='width:{100 * r.trust_in_russia:.2f}%;"
            f"background:{color}'></div>"
            f"<div class='nm-nato' style='left:{100 * nato:.2f}%'></div>"
            f"<div class='nm-dot' style='left:{100 * r.russia_trust:.2f}%'></div></div>"
            f"<div class='nm-val'>{r.trust_in_russia:.2f}</div></div>"
        )
    legend = "".join(
        f"<span><i style='background:{c}'></i>{_esc(TIER_LABELS[t])}</span>"
        for t, c in TIER_COLORS.items()
    )
    legend += (
        f"<span><i style='background:{NOT_YET}'></i>not yet a member</span>"
        "<span><b class='nm-dot-key'></b>Russia's trust in it</span>"
        f"<span><b class='nm-nato-key'></b>NATO's trust in Russia ({nato:.2f})</span>"
    )
    return (
        "<div class='natosim-members'>"
        f"<div class='nm-title'><b>{when}: each state's trust in Russia</b> "
        "(bars, highest first; 0 = none, 1 = full)</div>"
        f"<div class='nm-legend'>{legend}</div>{''.join(rows)}</div>"
    )


def about_html() -> str:
    """The "what am I looking at" note.

    Returns:
        HTML (class ``natosim-about``).
    """
    settings = "".join(
        f"<li><b>{_esc(label)}</b> (<code>{name}</code>): {_esc(P.BY_NAME[name].doc)}</li>"
        for name, label, _ in SLIDERS
    )
    settings += "".join(
        f"<li><b>{_esc(label)}</b>: off sets <code>{param}</code> to 0 "
        f"({_esc(P.BY_NAME[param].doc)})</li>"
        for _, label, param in SWITCHES
    )
    red = f"<span style='color:{HOSTILE}'>red</span>"
    green = f"<span style='color:{FRIENDLY}'>green</span>"
    return f"""<div class='natosim-about'>
<h3 style='margin:0 0 4px 0'>What am I looking at?</h3>
<p>How much NATO and Russia trust each other, from 0 (none) to 1 (full), year by
year, in an agent-based model after Kanet &amp; Larivé, <i>NATO and Russia: A Perpetual
New Beginning</i> (2012). Every act, scheduled by the scenario or chosen by the actors,
is <b>read</b> by each side through its own lens (the article's Figure 1): enlargement
is security seen from Brussels and lost ground seen from Moscow. Trust falls faster than
it recovers, drifts back toward a baseline, is cushioned by the NATO–Russia Council, and
steers the next moves, so spirals and resets can emerge.</p>
<p><b>Chart</b>: the two trust lines; under them, the acts of each year (■ scheduled,
● chosen by the actors, ◆ outside shocks such as 9/11), {red} if the other side read
the act as hostile, {green} if friendly. <b>Bars</b>: each state's trust in Russia this
year. <b>Log</b>: every act and how each side read it.
<b>To use it</b>: pick a scenario, set the sliders, switches and seed, press
<b>Reset</b> to apply them, then <b>Step</b> (one year) or <b>▶</b> (play). The same
seed and settings give the same numbers as <code>natosim run</code>.</p>
<details><summary>What the settings mean</summary><ul>{settings}</ul></details>
</div>"""


# --------------------------------------------------------------------------- components

CSS = """
.natosim-panel { height: 100%; overflow: auto; padding: 4px 8px; font-size: 13px; }
.natosim-panel img { max-width: 100%; height: auto; }
.natosim-event-log table { border-collapse: collapse; width: 100%; font-size: 12px; }
.natosim-event-log th { position: sticky; top: 0; background: #f4f4f4; text-align: left; }
.natosim-event-log td, .natosim-event-log th { border-bottom: 1px solid #e3e3e3;
  padding: 3px 5px; vertical-align: top; }
.natosim-chip { display: inline-block; margin: 0 4px 4px 0; padding: 1px 8px;
  border: 1px solid #1f4e9c; border-radius: 12px; font-size: 12px; text-decoration: none; }
.natosim-chip-on { background: #1f4e9c; color: #fff !important; }
.natosim-about p { margin: 0 0 5px 0; line-height: 1.4; }
.v-navigation-drawer .v-input__slider .v-input__slot { flex-wrap: wrap; }
.v-navigation-drawer .v-input__slider .v-input__slot > .v-label {
  flex: 0 0 100%; white-space: normal; margin-bottom: 30px; height: auto; line-height: 1.3; }
.v-navigation-drawer .v-slider__thumb-label-container { display: block !important; }
.v-navigation-drawer .v-slider__thumb-label { font-size: 11px; }
.natosim-member { display: flex; align-items: center; font-size: 12px; line-height: 17px; }
.nm-name { width: 38%; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
  padding-right: 6px; text-align: right; }
.nm-track { position: relative; flex: 1; height: 13px; background: #f3f3f3; }
.nm-bar { position: absolute; left: 0; top: 0; bottom: 0; }
.nm-dot { position: absolute; top: 3px; width: 7px; height: 7px; margin-left: -3.5px;
  border-radius: 50%; background: #000; }
.nm-nato { position: absolute; top: -2px; bottom: -2px; border-left: 1.5px dashed #1f4e9c; }
.nm-val { width: 36px; text-align: right; color: #555; }
.nm-title { font-size: 13px; margin-bottom: 2px; }
.nm-legend { font-size: 11px; color: #444; margin-bottom: 6px; }
.nm-legend span { margin-right: 10px; white-space: nowrap; }
.nm-legend i { display: inline-block; width: 10px; height: 10px; margin-right: 3px; }
.nm-dot-key { display: inline-block; width: 7px; height: 7px; border-radius: 50%;
  background: #000; margin-right: 3px; }
.nm-nato-key { display: inline-block; height: 10px; border-left: 1.5px dashed #1f4e9c;
  margin-right: 4px; }
.natosim-about li { margin-bottom: 3px; }
"""


@solara.component
def TrustPanel(model: AppModel) -> None:  # noqa: N802
    """Readout and the trust chart."""
    update_counter.get()
    fig = trust_figure(model)
    with solara.Div(classes=["natosim-panel", "natosim-trust"]):
        solara.HTML(tag="div", unsafe_innerHTML=readout_html(model))
        with solara.Div(classes=["natosim-trust-chart"]):
            solara.FigureMatplotlib(fig, format="png", dependencies=[update_counter.value, model])


@solara.component
def AboutPanel(model: AppModel) -> None:  # noqa: N802
    """The "what am I looking at" note."""
    with solara.Div(classes=["natosim-panel"]):
        solara.HTML(tag="div", unsafe_innerHTML=about_html())


@solara.component
def MemberPanel(model: AppModel) -> None:  # noqa: N802
    """Member-level trust at the current year."""
    update_counter.get()
    with solara.Div(classes=["natosim-panel"]):
        solara.HTML(tag="div", unsafe_innerHTML=members_html(model))


@solara.component
def EventPanel(model: AppModel) -> None:  # noqa: N802
    """The event log with each side's reading."""
    update_counter.get()
    with solara.Div(classes=["natosim-panel"]):
        solara.HTML(tag="div", unsafe_innerHTML=events_html(model))


COMPONENTS: list[tuple[Callable[..., Any], int]] = [
    (AboutPanel, 0),
    (TrustPanel, 0),
    (MemberPanel, 0),
    (EventPanel, 0),
]

#: Grid of the main area (12 columns, rows of 30 px plus 10 px margins): the
#: note, the trust chart, then member bars beside the event log.
LAYOUT: list[dict[str, Any]] = [
    {"i": 0, "x": 0, "y": 0, "w": 12, "h": 6, "moved": False},
    {"i": 1, "x": 0, "y": 6, "w": 12, "h": 17, "moved": False},
    {"i": 2, "x": 0, "y": 23, "w": 5, "h": 20, "moved": False},
    {"i": 3, "x": 5, "y": 23, "w": 7, "h": 20, "moved": False},
]


def _install_layout() -> None:
    """Give Mesa's grid this page's layout (Mesa 3.5 has no argument for it)."""
    original = solara_viz.make_initial_grid_layout
    if getattr(original, "natosim", False):
        return

    def layout(num_components: int) -> list[dict[str, Any]]:
        if num_components == len(LAYOUT):
            return copy.deepcopy(LAYOUT)
        return original(num_components)

    layout.natosim = True  # type: ignore[attr-defined]
    solara_viz.make_initial_grid_layout = layout


_install_layout()


@cache
def _choices() -> tuple[Mapping[str, ScenarioChoice], str]:
    return scenario_choices(os.environ.get(SCENARIO_ENV) or None)


@solara.component
def ScenarioPicker(current: str, unknown: str = "") -> None:  # noqa: N802
    """Links to every scenario (each opens afresh) and the current one's description."""
    choices, _ = _choices()
    sc = choices[current].scenario
    links = "".join(
        f"<a href='?scenario={quote(key)}' class='natosim-chip"
        f"{' natosim-chip-on' if key == current else ''}'>{_esc(key)}</a>"
        for key in choices
    )
    warning = (
        f"<div class='natosim-warning' style='color:{HOSTILE}'>No scenario {_esc(unknown)!r}; "
        f"showing {_esc(current)}.</div>"
        if unknown
        else ""
    )
    with solara.Card("Scenario"):
        solara.HTML(
            tag="div",
            unsafe_innerHTML=(
                f"<div class='natosim-scenarios'>{links}</div>{warning}"
                f"<div class='natosim-scenario' style='font-size:12px;margin-top:6px'>"
                f"<b>{_esc(current)}</b>: {_esc(sc.description or sc.name)} "
                f"({sc.time.start}–{sc.time.end}). A scenario opens afresh with its own "
                "settings.</div>"
            ),
        )


@solara.component
def Page() -> None:  # noqa: N802
    """The page: one model per browser session; the scenario comes from the URL.

    Picking a scenario loads the page again (``?scenario=NAME``), so Mesa's
    controls start afresh with that scenario's own settings.
    """
    choices, first = _choices()
    wanted = parse_qs(solara.use_router().search or "").get("scenario", [first])[0]
    key = wanted if wanted in choices else first
    choice = choices[key]
    model = solara.use_memo(lambda: initial_model(choice), [key])
    solara.Style(CSS)
    with solara.Sidebar():
        ScenarioPicker(key, "" if wanted == key else wanted)
    SolaraViz(model, components=COMPONENTS, model_params=model_params(choice), name=TITLE)
