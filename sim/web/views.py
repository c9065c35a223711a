"""The page's panels: the numbers, the trust chart, member bars, the event log, the note.

Each panel's HTML is built by a plain function of the model (``*_html``), so it
can be checked without a browser; the Solara components only place it. Readings
of acts come from :mod:`sim.model.events`, colours from
:mod:`sim.results.figures.style`, the page's CSS and the note's text from
``sim/web/static/``.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from functools import cache
from importlib import resources
from urllib.parse import quote

import solara
from mesa.visualization.utils import update_counter

from sim.model import params as P
from sim.model.events import Reading, event_rows, who
from sim.model.mesa_model import DiplomacyModel
from sim.results.figures.style import (
    HOSTILE,
    NATO_COLOR,
    RUS_COLOR,
    tone_color,
)
from sim.web.adapter import SLIDERS, SWITCHES, AppModel, ScenarioChoice, held_controls
from sim.web.downloads import Downloads
from sim.web.figure import trust_figure
from sim.web.members import members_html

MINUS = "\u2212"


@cache
def static_text(name: str) -> str:
    """A file of ``sim/web/static/`` (CSS, HTML), shipped as package data."""
    return resources.files("sim.web").joinpath("static", name).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- HTML


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
        press = "press <b>Step</b> (one year) or <b>▶</b> (play)"
        body = f"Nothing simulated yet: {press}."
        if done:
            body = (
                f"{int(comp.years[0])}–{model.year} simulated to set where"
                f" {comp.report_from} starts (the scenario reports from {comp.report_from}):"
                f" {press}."
            )
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
    held = held_controls(model.scenario_spec)
    if held:
        changes = ", ".join(f"{k} from {y}" for k, y in held.items())
        note += (
            "<div class='natosim-held' style='font-size:11px;color:#555'>This scenario changes "
            f"{_esc(changes)}: those have no slider here, since a slider's value holds for the "
            "whole run.</div>"
        )
    cmd = (
        "<div class='natosim-one-run' style='font-size:11px;color:#555'>One run: the model "
        "has chance in it, so another seed gives another history; the README's figures are "
        "medians of many runs (<code>--replicates 20</code>). This run on the command line "
        f"(in a checkout, after <code>uv run</code>): <code>{_esc(model.run_command())}</code>"
        "</div>"
    )
    return (
        f"<div class='natosim-readout'><div>{head}</div><div>{body}</div>{exact}{note}{cmd}</div>"
    )


#: The event log's column widths: the table fits its panel, long readings wrap.
_EVENT_COLUMNS = (
    "<colgroup><col style='width:44px'><col style='width:12%'><col style='width:19%'>"
    "<col style='width:11%'><col style='width:10%'><col><col></colgroup>"
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

    def cell(r: Reading | None, own: bool) -> str:
        if own:
            return "<span style='color:#6b6b6b'>own move</span>"
        if r is None:
            return "<span style='color:#6b6b6b'>—</span>"
        return (
            f"<span style='color:{tone_color(r.valence)};font-weight:600'>"
            f"{_fmt_valence(r.valence)} {r.word}</span>"
            f"{' (members)' if r.reader == 'MEMBERS' else ''}: {_esc(r.why)}"
        )

    origin_text = {
        "scheduled": "scheduled",
        "chosen": "chosen by the actor",
        "shock": "outside shock",
        "drawn": "outside shock (drawn)",
    }
    body = []
    for r in reversed(rows):
        if r.origin in ("shock", "drawn"):
            body.append(
                f"<tr class='natosim-shock' style='color:#555;font-style:italic'>"
                f"<td>{r.year}</td><td>{'World' if r.actor == 'WORLD' else who(r.actor)}</td>"
                f"<td>{_esc(r.label)}"
                f"{'<br><small>' + _esc(r.note) + '</small>' if r.note else ''}</td>"
                f"<td></td><td>{origin_text['shock']}</td><td colspan='2'></td></tr>"
            )
            continue
        own_moscow = r.side == "russia"
        own_nato = r.side == "west"
        body.append(
            f"<tr class='natosim-{r.origin}'><td>{r.year}</td><td>{_esc(who(r.actor))}</td>"
            f"<td>{_esc(r.label)}"
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
        "Readings are computed from Figure 1 of Kanet &amp; Larivé 2012 (the entries each act "
        "engages, <code>sim/data/catalog/tags.csv</code>, read with the reader's own column "
        "and lens): below 0 the reader takes the act as hostile, above 0 as friendly.</div>"
        f"<table>{_EVENT_COLUMNS}<thead>{head}</thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def about_html() -> str:
    """The "what am I looking at" note (``static/about.html``).

    Returns:
        HTML (class ``natosim-about``).
    """
    return static_text("about.html")


def settings_html() -> str:
    """What each slider and switch means, for the sidebar beside them.

    Returns:
        HTML (class ``natosim-settings``): a list that opens on a click.
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
    return (
        "<details class='natosim-settings'><summary>What the sliders and switches mean"
        f"</summary><ul>{settings}</ul></details>"
    )


# --------------------------------------------------------------------------- components


@solara.component
def TrustPanel(model: AppModel) -> None:  # noqa: N802
    """Readout and the trust chart, both drawn from one and the same year.

    Mesa's ▶ steps the model in a thread of its own while this panel draws it,
    and a chart takes longer to draw than a whole scenario takes to play. So
    the panel reads the model under its lock (:class:`~sim.web.adapter.AppModel`)
    and keeps the chart's image for what it was drawn from (the model and its
    years simulated), not for Mesa's update counter: keyed on the counter, read
    after drawing, an image drawn from an early year was kept after play ended.
    """
    update_counter.get()  # redraw on each of Mesa's updates
    with model.lock:
        drawn = (model, int(model.state.t))
        readout = readout_html(model)
        fig = solara.use_memo(lambda: trust_figure(model), list(drawn))
    with solara.Div(classes=["natosim-panel", "natosim-trust"]):
        solara.HTML(tag="div", unsafe_innerHTML=readout)
        label = (
            f"Chart of NATO's trust in Russia and Russia's trust in NATO up to {model.year}, "
            "with the year's acts marked under the time axis; the values are in the readout "
            "above and the acts in the event log"
        )
        with solara.Div(
            classes=["natosim-trust-chart"], attributes={"role": "img", "aria-label": label}
        ):
            solara.FigureMatplotlib(fig, format="png", dependencies=list(drawn))
        Downloads(model)


@solara.component
def AboutPanel(model: AppModel) -> None:  # noqa: N802
    """The "what am I looking at" note."""
    with solara.Div(classes=["natosim-panel"]):
        solara.HTML(tag="div", unsafe_innerHTML=about_html())


@solara.component
def MemberPanel(model: AppModel) -> None:  # noqa: N802
    """Member-level trust at the current year."""
    update_counter.get()
    with model.lock:
        text = members_html(model)
    with solara.Div(classes=["natosim-panel"]):
        solara.HTML(tag="div", unsafe_innerHTML=text)


@solara.component
def EventPanel(model: AppModel) -> None:  # noqa: N802
    """The event log with each side's reading."""
    update_counter.get()
    with model.lock:
        text = events_html(model)
    with solara.Div(classes=["natosim-panel"]):
        solara.HTML(tag="div", unsafe_innerHTML=text)


@solara.component
def SettingsNote() -> None:  # noqa: N802
    """What the controls below mean, in the sidebar beside them."""
    with solara.Card("Settings"):
        solara.HTML(tag="div", unsafe_innerHTML=settings_html())


@solara.component
def ScenarioPicker(  # noqa: N802
    choices: Mapping[str, ScenarioChoice], current: str, unknown: str = ""
) -> None:
    """Links to every scenario (each opens afresh) and the current one's description."""
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
