"""Give Mesa's component grid this page's layout (a monkey-patch, and why).

SolaraViz lays its components out on a draggable 12-column grid whose first
arrangement comes from ``mesa.visualization.solara_viz.make_initial_grid_layout``.
Mesa 3.5 offers no argument to pass an arrangement of one's own: without this
patch the note, the chart, the member bars and the event log would be stacked
in equal half-width tiles, two to a row, the chart too small to read. :func:`install` wraps Mesa's
function so that a page with exactly as many components as the given layout
gets that layout, and any other page (another SolaraViz in the same process)
keeps Mesa's own. Installing twice is harmless. Remove this module once Mesa
takes a layout argument.
"""

from __future__ import annotations

import copy
from typing import Any

from mesa.visualization import solara_viz


def install(grid: list[dict[str, Any]]) -> None:
    """Make Mesa's initial grid layout ``grid`` for pages with ``len(grid)`` components.

    Args:
        grid: One react-grid-layout item per component (``i, x, y, w, h, moved``).
    """
    current = solara_viz.make_initial_grid_layout
    original = getattr(current, "natosim_original", current)
    wanted = copy.deepcopy(grid)

    def layout(num_components: int) -> list[dict[str, Any]]:
        if num_components == len(wanted):
            return copy.deepcopy(wanted)
        return original(num_components)

    layout.natosim_original = original  # type: ignore[attr-defined]
    solara_viz.make_initial_grid_layout = layout
