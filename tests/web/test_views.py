"""The page's panels as HTML, without a browser: the numbers, the log, the bars, the note."""

from __future__ import annotations

import html
import json
import re

import pytest

from sim import run
from sim.data import tables
from sim.model import events as E
from sim.model.agents import StateAgent
from sim.results.figures import style
from sim.web import adapter, downloads
from sim.web import views as app


@pytest.fixture(scope="module")
def choices() -> dict[str, adapter.ScenarioChoice]:
    return adapter.scenario_choices()[0]


def test_page_text(choices) -> None:
    m = adapter.initial_model(choices["historical"])
    assert "Nothing simulated yet" in app.readout_html(m)
    assert "No events yet" in app.events_html(m)
    for _ in range(9):
        m.step()
    res = run("historical")
    readout = app.readout_html(m)
    nr, rn = float(res.series("NATO", "RUS")[0, 8]), float(res.series("RUS", "NATO")[0, 8])
    assert f"year=1999 NATO→Russia={nr!r} Russia→NATO={rn!r}" in readout
    log = app.events_html(m)
    assert "Kosovo" in log and "hostile" in log and "chosen by the actor" in log
    members = app.members_html(m)
    assert members.count("class='natosim-member'") == len(m.compiled.states)
    assert "Poland" in members and "What am I looking at?" in app.about_html()
    fig = app.trust_figure(m)
    assert fig.axes[0].get_ylim() == (0.0, 1.02)


def test_event_log_shows_each_sides_reading(choices) -> None:
    m = adapter.initial_model(choices["historical"])
    for _ in range(18):  # to 2008: the war in Georgia
        m.step()
    log = app.events_html(m)
    rows = E.event_rows(m)
    assert log.count("<tr class='natosim-") == len(rows)
    assert f"{len(rows)} events, newest first" in log
    years = [int(y) for y in re.findall(r"<tr class='natosim-\w+'[^>]*><td>(\d+)</td>", log)]
    assert years == sorted(years, reverse=True)  # newest first
    force = next(
        r for r in rows if r.actor == "RUS" and r.action == "use_of_force" and r.target == "GEO"
    )
    assert force.nato is not None
    assert html.escape(force.nato.why) in log  # NATO's reading, from the perception rules
    assert "own move" in log  # Russia's reading of its own act


def test_a_projection_opens_at_its_first_reported_year(choices) -> None:
    """1991-2011 are simulated before the page draws; the first Step is 2012, as `run` has it."""
    m = adapter.initial_model(choices["projection_2030"])
    assert m.warm_up == 21 and m.year == 2011 and m.steps == 0
    readout = app.readout_html(m)
    assert "1991–2011 simulated to set where 2012 starts" in readout
    assert "No events yet" in app.events_html(m)
    m.step()
    res = run("projection_2030")  # reports 2012-2030
    nr, rn = float(res.series("NATO", "RUS")[0, 0]), float(res.series("RUS", "NATO")[0, 0])
    assert f"year=2012 NATO→Russia={nr!r} Russia→NATO={rn!r}" in app.readout_html(m)
    assert m.steps == 1
    while m.running:
        m.step()
    assert m.steps == 2030 - 2012 + 1 and m.year == 2030
    assert adapter.initial_model(choices["historical"]).warm_up == 0


def test_member_bars_are_sorted_and_coloured_by_tier(choices) -> None:
    m = adapter.initial_model(choices["historical"])
    for _ in range(10):
        m.step()
    bars = app.members_html(m)
    trust = [float(t) for t in re.findall(r"data-trust='([^']+)'", bars)]
    assert trust == sorted(trust, reverse=True)
    codes = re.findall(r"data-code='(\w+)'", bars)
    assert sorted(codes) == sorted(s.code for s in m.compiled.states)
    nato = m.trust(tables.NATO, tables.RUS)
    assert f"NATO's trust in Russia ({nato:.2f})" in bars
    colour = dict(re.findall(r"data-code='(\w+)'.*?background:(#\w+)", bars))
    assert m.year == 2000
    assert colour["POL"] == style.TIER_COLORS["new"]  # joined in 1999
    assert colour["DEU"] == style.TIER_COLORS["old"]
    assert colour["EST"] == style.NOT_YET  # joins in 2004
    assert "(joins 2004)" in bars
    assert colour["UKR"] == style.TIER_COLORS["aspirant"]


def test_member_bars_show_the_membership_of_this_run(choices) -> None:
    """Where the actors choose enlargement, the bars follow the run, not the states table."""
    m = adapter.initial_model(choices["projection_2030"])
    while m.running:
        m.step()
    bars = app.members_html(m)
    colour = dict(re.findall(r"data-code='(\w+)'.*?background:(#\w+)", bars))
    members = {a.code for a in m.agents_by_type[StateAgent] if a.is_member}
    joined_later = {"MNE", "MKD", "FIN", "SWE", "UKR", "GEO"}
    assert members & joined_later != joined_later  # this run admits some, not all
    for code in joined_later:
        if code in members:
            assert colour[code] == style.TIER_COLORS["new"], code
        elif code in ("UKR", "GEO"):
            assert colour[code] == style.TIER_COLORS["aspirant"], code
        else:
            assert colour[code] == style.NOT_YET, code
    # no accession year from the states table: nothing schedules one after 2012
    assert "(joins" not in bars


def test_note_lists_every_control() -> None:
    note = app.settings_html()
    for name, label, _ in adapter.SLIDERS:
        assert f"<b>{html.escape(label)}</b> (<code>{name}</code>)" in note
    for _, label, param in adapter.SWITCHES:
        assert f"<b>{html.escape(label)}</b>: off sets <code>{param}</code> to 0" in note


def test_static_files_are_package_data() -> None:
    css = app.static_text("page.css")
    assert ".natosim-event-log" in css and ".natosim-member" in css
    assert app.static_text("about.html").startswith("<div class='natosim-about'>")


def test_the_downloads_are_the_files_natosim_run_writes(choices, tmp_path) -> None:
    """Seed 42 with a lever moved: the page's files equal `natosim run`'s, byte for byte."""
    from sim.cli.main import main

    m = adapter.AppModel(str(choices["historical"].path), seed="42", nrc_share=0.6)
    files = downloads.run_files(m)
    out = tmp_path / "run"
    assert main(["run", "historical", "--seed", "42", "--set", "nrc_share=0.6", "--out", str(out),
                 "--quiet", "--no-plot"]) == 0  # fmt: skip
    assert list(files) == ["trajectory.csv", "events.csv", "manifest.json"]
    for name in ("trajectory.csv", "events.csv"):
        assert files[name] == (out / name).read_bytes(), name
    page, cli = json.loads(files["manifest.json"]), json.loads((out / "manifest.json").read_text())
    for key in ("scenario", "scenario_sha256", "seeds", "replicates", "parameters", "years"):
        assert page[key] == cli[key], key
    assert page["written_by"] == "natosim app"
    png = downloads.chart_png(m)
    assert png.startswith(b"\x89PNG")
    # the model the page shows is that run: its first year's trust is the file's
    m.step()
    first = [
        line
        for line in files["trajectory.csv"].decode().splitlines()[1:]
        if ",1991,NATO,RUS," in line
    ]
    assert float(first[0].rsplit(",", 1)[1]) == m.trust("NATO", "RUS")
