"""The natosim web page: Mesa's SolaraViz on the same model as ``natosim run``.

Start it with ``natosim app [SCENARIO]`` (see :mod:`sim.cli.app`), which runs
``solara run sim.web.page`` on 127.0.0.1. The page shows, for one run:

* a live chart of NATO's trust in Russia and Russia's trust in NATO, with the
  year's acts marked on the time axis (coloured by how the other side read them);
* each state's trust in Russia at the current year (a sorted bar chart);
* the event log (who did what, scheduled or chosen, and how Moscow and NATO
  read it, computed from Figure 1: :mod:`sim.model.readings`);
* the latest values as text, exact to the last digit, with the equivalent
  ``natosim run`` command.

This module only assembles the page; the parts live beside it:
:mod:`sim.web.adapter` (the model built from the controls, scenario choices,
sliders and switches), :mod:`sim.web.figure` (the trust chart),
:mod:`sim.web.views` (the panels), :mod:`sim.web.layout` (the grid
arrangement) and ``sim/web/static/`` (CSS and the note's text). Every browser
session gets its own model.

The page is served offline: it only uses components whose front-end files ship
with ``solara-assets`` (HTML and matplotlib, not Markdown or Altair).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any
from urllib.parse import parse_qs

import solara
from mesa.visualization import SolaraViz

from sim.web import drawer, layout, pending
from sim.web.adapter import ScenarioChoice, initial_model, model_params, scenario_choices
from sim.web.server import SCENARIO_ENV
from sim.web.views import (
    AboutPanel,
    EventPanel,
    MemberPanel,
    ScenarioPicker,
    SettingsNote,
    TrustPanel,
    static_text,
)

TITLE = "natosim · NATO–Russia trust"

COMPONENTS: list[tuple[Callable[..., Any], int]] = [
    (AboutPanel, 0),
    (TrustPanel, 0),
    (MemberPanel, 0),
    (EventPanel, 0),
]

#: Grid of the main area (12 columns, rows of 30 px plus 10 px margins): the
#: note, the trust chart, then member bars beside the event log.
LAYOUT: list[dict[str, Any]] = [
    {"i": 0, "x": 0, "y": 0, "w": 12, "h": 7, "moved": False},
    {"i": 1, "x": 0, "y": 7, "w": 12, "h": 20, "moved": False},
    {"i": 2, "x": 0, "y": 27, "w": 5, "h": 20, "moved": False},
    {"i": 3, "x": 5, "y": 27, "w": 7, "h": 20, "moved": False},
]

layout.install(LAYOUT)
pending.install()
drawer.install()


@cache
def _choices() -> tuple[Mapping[str, ScenarioChoice], str]:
    return scenario_choices(os.environ.get(SCENARIO_ENV) or None)


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
    solara.Title(TITLE)
    solara.Style(static_text("page.css"))
    with solara.Sidebar():
        ScenarioPicker(choices, key, "" if wanted == key else wanted)
        SettingsNote()
    SolaraViz(model, components=COMPONENTS, model_params=model_params(choice), name=TITLE)
