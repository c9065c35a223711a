"""The natosim web page: Mesa's SolaraViz on the same model as ``natosim run``.

Start it with ``natosim app [SCENARIO]`` (see :mod:`sim.app_cli`), which runs
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

import numpy as np
import pandas as pd
import solara
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from mesa.visualization import SolaraViz, solara_viz
from mesa.visualization.user_param import Slider
from mesa.visualization.utils import update_counter

from sim import params as P
from sim import tables
from sim.agents import StateAgent
from sim.model import DiplomacyModel
from sim.scenario import SCENARIO_DIR, Scenario, load_scenario

#: Environment variable through which ``natosim app`` passes its SCENARIO.
SCENARIO_ENV = "NATOSIM_APP_SCENARIO"
#: Scenario shown first when none is given.
DEFAULT_SCENARIO = "historical"
TITLE = "natosim · NATO–Russia trust"

NATO_COLOR = "#1f4e9c"
RUS_COLOR = "#c0392b"
HOSTILE = "#c0392b"
FRIENDLY = "#2e8b57"
NEUTRAL = "#7f8c8d"
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
        key: Label in the scenario picker (the file's stem, or its path).
        path: The scenario file.
        scenario: The loaded, validated scenario.
    """

    key: str
    path: Path
    scenario: Scenario


def resolve_scenario_path(source: str | Path) -> Path:
    """The file a scenario argument names (a path, or a name in ``scenarios/``).

    Args:
        source: What the user typed: a file path or a scenario name.

    Returns:
        The absolute path of the file (which may not exist).
    """
    path = Path(source)
    if not path.exists() and not path.suffix and (SCENARIO_DIR / f"{path}.toml").exists():
        path = SCENARIO_DIR / f"{path}.toml"
    return path.resolve()


def scenario_choices(given: str | Path | None = None) -> tuple[dict[str, ScenarioChoice], str]:
    """Scenarios offered by the page and the one shown first.

    Every valid file in ``scenarios/`` is offered under its stem; a ``given``
    scenario outside that folder is added under its path.

    Args:
        given: The scenario named on the command line, if any.

    Returns:
        The choices by key, and the key shown first.

    Raises:
        ScenarioError: If ``given`` is not a valid scenario.
    """
    choices: dict[str, ScenarioChoice] = {}
    for path in sorted(SCENARIO_DIR.iterdir()):
        if path.suffix.lower() not in (".toml", ".yaml", ".yml"):
            continue
        try:
            choices[path.stem] = ScenarioChoice(path.stem, path.resolve(), load_scenario(path))
        except Exception:  # a broken file is left out of the picker
            continue
    first = DEFAULT_SCENARIO if DEFAULT_SCENARIO in choices else next(iter(choices), "")
    if given:
        path = resolve_scenario_path(given)
        scenario = load_scenario(path)
        match = next((c.key for c in choices.values() if c.path == path), None)
        if match is None:
            match = str(path)
            choices[match] = ScenarioChoice(match, path, scenario)
        first = match
    return choices, first


def scenario_argument(path: Path) -> str:
    """How ``natosim run`` would name a scenario file (its stem if in ``scenarios/``)."""
    if path.parent == SCENARIO_DIR.resolve() and path.suffix == ".toml":
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
        sc = load_scenario(scenario_file)
        rng, note = parse_seed(seed, sc.seed)
        overrides = {k: float(v) for k, v in overrides.items()}
        switches = {"random_shocks": random_shocks, "feedback": feedback}
        for control, _, param in SWITCHES:
            if not switches[control]:
                overrides[param] = 0.0
        super().__init__(scenario=sc, rng=rng, **overrides)
        self.scenario_path = resolve_scenario_path(scenario_file)
        self.seed = rng
        self.seed_note = note

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
    notes: dict[tuple[int, str, str, str], str] = {}
    for evs in comp.sched:
        for o in evs:
            notes.setdefault((int(o.year or 0), o.actor, o.action, ";".join(o.targets)), o.note)
    by_year: dict[int, list[EventRow]] = {}
    for e in model.event_log:
        year = int(e["year"])
        if year < comp.report_from:
            continue
        moscow, nato = readings(e["actor"], e["action"])
        by_year.setdefault(year, []).append(
            EventRow(
                year=year,
                actor=e["actor"],
                action=e["action"],
                target=e["target"],
                origin=e["origin"],
                side=actor_side(e["actor"], e["action"]),
                note=notes.get((year, e["actor"], e["action"], e["target"]), ""),
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
    fig = Figure(figsize=(9.6, 4.6), dpi=100, layout="constrained")
    ax, strip = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3.2, 1.3]})
    if not df.empty:
        years = df["year"].to_numpy()
        ax.plot(
            years,
            df["trust_nato_rus"],
            color=NATO_COLOR,
            lw=2.2,
            marker="o",
            ms=3.5,
            label="NATO's trust in Russia",
        )
        ax.plot(
            years,
            df["trust_rus_nato"],
            color=RUS_COLOR,
            lw=2.2,
            marker="o",
            ms=3.5,
            label="Russia's trust in NATO",
        )
        ax.plot(
            years,
            df["nrc_strength"],
            color=NEUTRAL,
            lw=1.2,
            ls=":",
            label="NATO–Russia Council strength",
        )
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
    handles = [
        Line2D([], [], color=NATO_COLOR, lw=2.2, label="NATO's trust in Russia"),
        Line2D([], [], color=RUS_COLOR, lw=2.2, label="Russia's trust in NATO"),
        Line2D([], [], color=NEUTRAL, lw=1.2, ls=":", label="NATO–Russia Council strength"),
    ]
    ax.legend(handles=handles, loc="lower left", fontsize=8, ncol=3, framealpha=0.85)
    _event_strip(strip, event_rows(model), hi - lo)
    strip.set_xlabel("year")
    ticks = list(range(lo, hi + 1, max(1, (hi - lo + 1) // 12)))
    strip.set_xticks(ticks)
    return fig


def _event_strip(ax: Any, rows: list[EventRow], span: int) -> None:
    """Marks below the chart: West above the line, Russia below, shocks on it."""
    ax.set_ylim(-3.6, 3.6)
    ax.set_yticks([1.0, -1.0], ["NATO / West acts", "Russia's acts"], fontsize=7.5)
    ax.axhline(0, color="#ccc", lw=0.6)
    ax.tick_params(axis="y", length=0)
    for s in ("top", "right", "left"):
        ax.spines[s].set_visible(False)
    stacks: dict[tuple[int, str], int] = {}
    labelled: dict[tuple[int, str], EventRow] = {}
    for row in rows:
        if row.origin == "shock":
            ax.plot(row.year, 0, marker="D", color=NEUTRAL, ms=4, zorder=3)
            continue
        up = row.side != "russia"
        k = stacks.get((row.year, str(up)), 0)
        stacks[(row.year, str(up))] = k + 1
        y = (0.45 + 0.42 * k) * (1 if up else -1)
        reading = row.other_reading
        color = _tone(reading.valence if reading else None)
        if row.origin == "scheduled":
            ax.plot(row.year, y, marker="^" if up else "v", color=color, ms=5.5, zorder=3)
            best = labelled.get((row.year, str(up)))
            if best is None or _weight(row) > _weight(best):
                labelled[(row.year, str(up))] = row
        else:
            ax.plot(row.year, y, marker="o", color=color, ms=3, alpha=0.55, zorder=2)
    if span <= 30:
        for (year, up), row in labelled.items():
            n = sum(
                1
                for r in rows
                if r.year == year
                and r.origin == "scheduled"
                and (r.side != "russia") == (up == "True")
            )
            text = row.action.replace("_", " ") + (f" +{n - 1}" if n > 1 else "")
            ax.text(
                year + 0.22,
                3.4 if up == "True" else -3.4,
                text,
                rotation=90,
                fontsize=5.8,
                color=_tone(row.other_reading.valence if row.other_reading else None),
                ha="left",
                va="top" if up == "True" else "bottom",
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


def member_figure(model: DiplomacyModel) -> Figure:
    """Sorted bar chart of member-level trust at the current year.

    Args:
        model: The model being shown.

    Returns:
        A matplotlib figure (not attached to pyplot).
    """
    df = member_frame(model)
    n = len(df)
    fig = Figure(figsize=(5.6, 1.2 + 0.19 * n), dpi=100, layout="constrained")
    ax = fig.subplots()
    y = np.arange(n)
    for i, r in df.iterrows():
        current = bool(r.member) or r.tier == "aspirant"
        ax.barh(
            i,
            r.trust_in_russia,
            color=TIER_COLORS.get(r.tier, NEUTRAL),
            alpha=1.0 if current else 0.3,
            height=0.72,
        )
    ax.plot(df.russia_trust, y, "o", color="black", ms=3.2, label="Russia's trust in it")
    ax.axvline(model.trust(tables.NATO, tables.RUS), color=NATO_COLOR, ls="--", lw=1)
    labels = [
        r.name
        if (r.member or r.tier == "aspirant")
        else f"{r.name} (joins {int(r.accession)})"
        if pd.notna(r.accession)
        else r.name
        for r in df.itertuples()
    ]
    ax.set_yticks(y, labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("trust (0 = none, 1 = full)", fontsize=8)
    ax.tick_params(axis="x", labelsize=7)
    ax.grid(axis="x", alpha=0.3)
    when = str(model.year) if model.year >= int(model.compiled.years[0]) else "start"
    ax.set_title(f"{when}: each state's trust in Russia", fontsize=9)
    handles = [Patch(color=TIER_COLORS[t], label=TIER_LABELS[t]) for t in TIER_COLORS]
    handles += [
        Patch(color=NEUTRAL, alpha=0.3, label="not yet a member"),
        Line2D([], [], ls="", marker="o", color="black", ms=3.2, label="Russia's trust in it"),
        Line2D([], [], color=NATO_COLOR, ls="--", lw=1, label="NATO's trust in Russia"),
    ]
    ax.legend(handles=handles, fontsize=6.5, loc="lower right", framealpha=0.9)
    return fig


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


def about_html(choice_key: str | None = None) -> str:
    """The "what am I looking at" note.

    Args:
        choice_key: Unused; kept for a per-scenario note later.

    Returns:
        HTML (class ``natosim-about``).
    """
    del choice_key
    settings = "".join(
        f"<li><b>{_esc(label)}</b> (<code>{name}</code>): {_esc(P.BY_NAME[name].doc)}</li>"
        for name, label, _ in SLIDERS
    )
    settings += "".join(
        f"<li><b>{_esc(label)}</b>: off sets <code>{param}</code> to 0 "
        f"({_esc(P.BY_NAME[param].doc)})</li>"
        for _, label, param in SWITCHES
    )
    return f"""<div class='natosim-about'>
<h3 style='margin:0 0 6px 0'>What am I looking at?</h3>
<p>A simulation of trust between NATO and Russia after the Cold War, following
R. E. Kanet &amp; M. H. A. Larivé, <i>NATO and Russia: A Perpetual New Beginning</i>
(2012). Each year the actors act (some acts are scheduled by the scenario, others
are chosen by the actors), and each side <b>reads</b> every act through its own lens
(the article's Figure 1): the same enlargement is a step to security in Brussels
and lost ground in Moscow.</p>
<p><b>Trust</b> runs from 0 (none) to 1 (full). It falls faster than it recovers,
slowly drifts back toward a baseline, can be cushioned by the NATO–Russia Council,
and steers the next moves, so spirals and resets can emerge.</p>
<p><b>The chart</b>: the two lines are NATO's trust in Russia and Russia's trust in
NATO. Below it, ▲ marks acts by NATO and its members, ▼ acts by Russia;
<span style='color:{HOSTILE}'>red</span> means the other side read the act as
hostile, <span style='color:{FRIENDLY}'>green</span> as friendly; small dots are
acts the actors chose, ◆ outside shocks (9/11, a new Russian leadership).
<b>The bars</b> show each state's trust in Russia now. <b>The log</b> lists every
act and how each side read it.</p>
<p><b>How to use it</b>: pick a scenario; move the sliders and switches (the
article's three levers come first) or type a seed; press <b>Reset</b> to apply
them; then <b>Step</b> one year or <b>▶</b> to play. The same seed and settings
always give the same run, the same as <code>natosim run</code>.</p>
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
.natosim-about p { margin: 0 0 6px 0; }
.natosim-about li { margin-bottom: 3px; }
"""


@solara.component
def TrustPanel(model: AppModel) -> None:  # noqa: N802
    """Readout and the trust chart."""
    update_counter.get()
    fig = trust_figure(model)
    with solara.Div(classes=["natosim-panel", "natosim-trust"]):
        solara.Style(CSS)
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
    fig = member_figure(model)
    with solara.Div(classes=["natosim-panel", "natosim-members"]):
        solara.FigureMatplotlib(fig, format="png", dependencies=[update_counter.value, model])


@solara.component
def EventPanel(model: AppModel) -> None:  # noqa: N802
    """The event log with each side's reading."""
    update_counter.get()
    with solara.Div(classes=["natosim-panel"]):
        solara.HTML(tag="div", unsafe_innerHTML=events_html(model))


COMPONENTS: list[tuple[Callable[..., Any], int]] = [
    (TrustPanel, 0),
    (AboutPanel, 0),
    (MemberPanel, 0),
    (EventPanel, 0),
]

#: Grid of the main area (12 columns, rows of 30 px): chart and note on top,
#: member bars and event log below.
LAYOUT: list[dict[str, Any]] = [
    {"i": 0, "x": 0, "y": 0, "w": 8, "h": 16, "moved": False},
    {"i": 1, "x": 8, "y": 0, "w": 4, "h": 16, "moved": False},
    {"i": 2, "x": 0, "y": 16, "w": 5, "h": 19, "moved": False},
    {"i": 3, "x": 5, "y": 16, "w": 7, "h": 19, "moved": False},
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
def ScenarioPicker(choice: solara.Reactive[str]) -> None:  # noqa: N802
    """Scenario selector and description (changing it starts a fresh run)."""
    choices, _ = _choices()
    sc = choices[choice.value].scenario
    with solara.Card("Scenario"):
        solara.Select("Scenario", values=list(choices), value=choice)
        solara.HTML(
            tag="div",
            unsafe_innerHTML=(
                f"<div class='natosim-scenario' style='font-size:12px'>"
                f"{_esc(sc.description or sc.name)} ({sc.time.start}–{sc.time.end}). "
                "Choosing a scenario starts it afresh with its own settings.</div>"
            ),
        )


@solara.component
def Page() -> None:  # noqa: N802
    """The page: one model per browser session, rebuilt when the scenario changes."""
    choices, first = _choices()
    choice = solara.use_reactive(first)
    current = choices[choice.value]
    model = solara.use_memo(lambda: initial_model(current), [choice.value])
    with solara.Sidebar():
        ScenarioPicker(choice)
    SolaraViz(
        model,
        components=COMPONENTS,
        model_params=model_params(current),
        name=TITLE,
    ).key(f"viz-{choice.value}")
