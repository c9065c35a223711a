"""Keep the side bar beside the page on a tablet (a wrap of Solara's drawer, and why).

Solara's ``AppLayout`` gives its side bar (where Mesa puts Step, Reset and the
controls) Vuetify's ``mobile-break-point`` of 960 px: below it the bar is a
*mobile* drawer, laid over the page, and any tap outside it closes it. On a
tablet (601-959 px) that hides the chart while stepping, or drops the bar as
soon as the chart is touched. :func:`install` lowers the break point to 601 px,
so a tablet gets the drawer a desktop gets, beside the page and closed only by
the menu button; a phone (600 px and less) keeps the mobile drawer, which has no
room beside it. ``page.css`` narrows the bar at tablet widths. Installing twice is
harmless. Remove this module once Solara takes a break point of its own.
"""

from __future__ import annotations

from typing import Any

from solara.components import applayout

#: Widths below this (CSS px) get Vuetify's mobile drawer: phones only.
BREAK_POINT = "601"
#: Solara's own break point, the one replaced.
SOLARA_BREAK_POINT = "960"


class _Vuetify:
    """``reacton.ipyvuetify`` as Solara's layout sees it, with the drawer wrapped."""

    def __init__(self, real: Any) -> None:
        self.natosim_real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self.natosim_real, name)

    def NavigationDrawer(self, **kwargs: Any) -> Any:  # noqa: N802 (the widget's own name)
        """Solara's drawer, with the phone-only break point."""
        if kwargs.get("mobile_break_point") == SOLARA_BREAK_POINT:
            kwargs["mobile_break_point"] = BREAK_POINT
        return self.natosim_real.NavigationDrawer(**kwargs)


def install() -> None:
    """Make Solara's side bar a mobile drawer on phones only."""
    real = getattr(applayout.v, "natosim_real", applayout.v)
    applayout.v = _Vuetify(real)
