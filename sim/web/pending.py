"""Say which controls wait for Reset (a wrap of Mesa's parameter card, and why).

Mesa's SolaraViz keeps the controls' values in a reactive dict of its own and
builds a new model from them only when Reset is pressed; until then a moved
slider changes nothing, and nothing on the page says so (a teacher's review
found students stepping on with a setting they thought applied). Mesa 3.5
passes that dict to no component but its own ``ModelCreator``, the card of the
controls. :func:`install` wraps that card so that, under the controls, it names
those set otherwise than the model on show was built with
(:meth:`sim.web.adapter.AppModel.pending`). Other pages' models are left alone.
Installing twice is harmless. Remove this module once Mesa shows pending
changes itself or hands the values to components.
"""

from __future__ import annotations

import html
from typing import Any

import solara
from mesa.visualization import solara_viz

from sim.results.figures.style import HOSTILE
from sim.web.adapter import AppModel


def pending_html(changed: list[str]) -> str:
    """The notice for controls that wait for Reset ("" when none does)."""
    if not changed:
        return ""
    names = "; ".join(html.escape(c) for c in changed)
    return (
        f"<div class='natosim-pending' role='status' style='color:{HOSTILE};font-size:12px;"
        f"margin-top:8px'>Not applied yet: {names}. Press <b>Reset</b> to run with "
        "these settings; until then the page shows the run it started with.</div>"
    )


def install() -> None:
    """Wrap Mesa's parameter card so that it names the controls waiting for Reset."""
    current = solara_viz.ModelCreator
    original = getattr(current, "natosim_original", current)  # installed twice: wrap once

    @solara.component
    def ModelCreator(model: Any, user_params: Any, *, model_parameters: Any = None) -> None:  # noqa: N802
        shown = getattr(model, "value", model)  # a reactive holder, or the model itself
        controls = getattr(model_parameters, "value", model_parameters)
        notice = ""
        if isinstance(shown, AppModel) and isinstance(controls, dict):
            notice = pending_html(shown.pending(controls))
        # One shape whether or not there is a notice: were the card's children to
        # change in number, Mesa's card would be mounted afresh, and on mounting it
        # sets every control back to its default.
        with solara.Column(gap="0px"):
            original(model, user_params, model_parameters=model_parameters)
            solara.HTML(tag="div", unsafe_innerHTML=notice)

    ModelCreator.natosim_original = original  # type: ignore[attr-defined]
    solara_viz.ModelCreator = ModelCreator
