"""The page's trust chart shows the run: its two trust lines and every act on the strip."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_hex

from sim import run
from sim.model import events as E
from sim.results.figures import style
from sim.web import adapter
from sim.web.figure import trust_figure


@pytest.fixture(scope="module")
def historical() -> adapter.ScenarioChoice:
    return adapter.scenario_choices()[0]["historical"]


def _marks(strip) -> list:
    return [
        ln
        for ln in strip.get_lines()
        if ln.get_label().lstrip("_") in ("scheduled", "chosen", "shock")
    ]


def test_before_the_first_step_the_chart_says_what_to_do(historical) -> None:
    fig = trust_figure(adapter.initial_model(historical))
    ax, strip = fig.axes
    assert any("Press Step" in t.get_text() for t in ax.texts)
    assert _marks(strip) == []
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "NATO's trust in Russia",
        "Russia's trust in NATO",
        "NATO–Russia Council strength (0 = no forum, 1 = full)",
    ]


def test_chart_lines_are_the_runs_trust_and_the_strip_marks_every_event(historical) -> None:
    m = adapter.initial_model(historical)
    for _ in range(18):  # 1991-2008
        m.step()
    fig = trust_figure(m)
    ax, strip = fig.axes
    assert ax.get_ylim() == (0.0, 1.02) and ax.get_yticks()[-1] == 1.0
    assert ax.get_ylabel() == "trust (0 = none, 1 = full)"
    assert strip.get_xlabel() == "year"
    assert [t.get_text() for t in strip.get_yticklabels()] == ["NATO / West", "Russia"]
    res = run("historical")
    nato, rus, council = ax.get_lines()[:3]
    assert np.array_equal(nato.get_ydata(), res.series("NATO", "RUS")[0, :18])
    assert np.array_equal(rus.get_ydata(), res.series("RUS", "NATO")[0, :18])
    assert to_hex(nato.get_color()) == style.NATO_COLOR
    assert to_hex(rus.get_color()) == style.RUS_COLOR
    assert council.get_linestyle() == ":"
    rows = E.event_rows(m)
    marks = _marks(strip)
    assert sum(len(ln.get_xdata()) for ln in marks) == len(rows)
    for origin in ("scheduled", "chosen", "shock"):
        n = sum(len(ln.get_xdata()) for ln in marks if ln.get_label() == f"_{origin}")
        assert n == sum(r.origin == origin for r in rows), origin
    # each mark sits at its event's year
    xs = sorted(round(x) for ln in marks for x in ln.get_xdata())
    assert xs == sorted(r.year for r in rows)
    # Russia's use of force is Russia's colour, and its shape is how NATO read it
    # (hostile in 2008, Georgia): colour says whose act, the shape its reading
    shapes = {
        (round(x), to_hex(ln.get_color()), ln.get_marker()) for ln in marks for x in ln.get_xdata()
    }
    force = [r for r in rows if r.action == "use_of_force"]
    assert force and 2008 in {r.year for r in force}
    for r in force:
        other = E.readings(r.actor, r.action, r.target).other
        shape = style.TONE_MARKERS[style.tone(other.valence if other else None)]
        assert (r.year, style.RUS_COLOR, shape) in shapes, r
    georgia = E.readings("RUS", "use_of_force", "GEO").other
    assert georgia is not None and georgia.valence < 0
    assert style.caption_of(fig).startswith("Marks: every act of this run")
