"""The page assembles the panels on Mesa's grid in this page's layout."""

from __future__ import annotations

from mesa.visualization import solara_viz

from sim.web import layout, page


def test_the_grid_gets_the_pages_layout() -> None:
    assert len(page.COMPONENTS) == len(page.LAYOUT)
    assert solara_viz.make_initial_grid_layout(len(page.LAYOUT)) == page.LAYOUT
    got = solara_viz.make_initial_grid_layout(len(page.LAYOUT))
    got[0]["w"] = 1  # callers get a copy
    assert solara_viz.make_initial_grid_layout(len(page.LAYOUT)) == page.LAYOUT


def test_other_pages_keep_mesas_layout() -> None:
    two = solara_viz.make_initial_grid_layout(2)
    assert len(two) == 2 and all(item["w"] == 6 for item in two)


def test_installing_again_keeps_one_wrapper() -> None:
    layout.install(page.LAYOUT)
    layout.install(page.LAYOUT)
    assert len(solara_viz.make_initial_grid_layout(2)) == 2
    assert solara_viz.make_initial_grid_layout(len(page.LAYOUT)) == page.LAYOUT


def test_solara_finds_the_page() -> None:
    from sim.web.server import APP_MODULE

    assert APP_MODULE == "sim.web.page"
    assert callable(page.Page)


def test_the_side_bar_is_a_mobile_drawer_on_phones_only() -> None:
    from solara.components import applayout

    from sim.web import drawer

    drawer.install()
    drawer.install()  # harmless: one wrapper, over the real widgets
    assert not hasattr(applayout.v.natosim_real, "natosim_real")
    made = applayout.v.NavigationDrawer(mobile_break_point="960", v_model=True)
    assert made.kwargs["mobile_break_point"] == drawer.BREAK_POINT == "601"
    other = applayout.v.NavigationDrawer(mobile_break_point="1264")  # someone else's: kept
    assert other.kwargs["mobile_break_point"] == "1264"
    assert applayout.v.Btn is applayout.v.natosim_real.Btn  # the rest is Solara's own
