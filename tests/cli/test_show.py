"""``natosim validate SCENARIO --show``: the resolved scenario and its changes from the parent."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cli.main import main

MINE = """\
name = "no_shield"
extends = "historical"
description = "No missile shield in 2007"
on_inconsistent = "drop"

[[remove]]
action = "missile_shield_deployment"
year = 2007

[[forbid]]
action = "missile_shield_deployment"
to = 2010

[[events]]
year = 2007
actor = "NATO"
action = "joint_shield_offer"
target = "RUS"
note = "An offer instead of a shield"

[parameters]
nrc_share = 0.4

[[shocks]]
year = 2005
kind = "threat"
theme = "terrorism"
magnitude = 0.5
"""


@pytest.fixture
def shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> list[str]:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "no_shield.toml").write_text(MINE)
    assert main(["validate", "no_shield.toml", "--show"]) == 0
    cap = capsys.readouterr()
    assert cap.err.startswith("natosim: warning: ")  # what drop dropped
    return cap.out.splitlines()


def _historical_acts() -> int:
    from sim import load_scenario
    from sim.model.consistency import scheduled_events

    return len(scheduled_events(load_scenario("historical")))


def _historical_shocks() -> int:
    from sim import load_scenario

    return len(load_scenario("historical").shocks)


def _section(lines: list[str], title: str) -> list[str]:
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i]), len(lines))
    return lines[start + 1 : end]


def test_first_line_is_the_usual_summary(shown: list[str]):
    n = _historical_acts() - 2  # the shield removed, one offer added, two acts dropped
    assert shown[0].startswith(
        f"no_shield.toml: valid scenario 'no_shield', 1991-2012, {n} scheduled events, "
        f"{_historical_shocks() + 1} shocks"
    )
    assert shown[2].startswith("Scenario 'no_shield' (")
    assert any(line.startswith("  extends 'historical' (") for line in shown[:6])


def test_timeline_by_year_with_own_entries_marked(shown: list[str]):
    rows = _section(
        shown,
        f"Timeline: {_historical_acts() - 2} scheduled acts, {_historical_shocks() + 1} shocks",
    )
    text = "\n".join(rows)
    assert rows[0].startswith("  1991  NATO nrc_rejuvenation RUS")
    i = next(i for i, r in enumerate(rows) if r.startswith("  2007"))
    block = rows[i : i + 8]
    assert any("NATO joint_shield_offer RUS" in r and "[events[0]] An offer" in r for r in block)
    assert not any("missile_shield_deployment POL/CZE" in r for r in block)
    assert "shock threat terrorism +0.5" in text and "[shocks[0]]" in text
    assert "shock leadership RUS +0.8" in text  # the parent's, unmarked
    dropped = [r for r in rows if "(dropped)" in r]
    assert [r.split("(dropped) ")[1].split("  —")[0] for r in dropped] == [
        "RUS counter_deployment NATO",
        "USA shield_cancellation RUS",
    ]
    assert "needs a missile shield in place (shield_on), but remove[0] takes out" in dropped[0]


def test_parameters_off_their_defaults(shown: list[str]):
    assert _section(shown, "Parameters differing from the defaults:") == [
        "  nrc_share = 0.4 (default 0.25)"
    ]


def test_changes_from_the_parent(shown: list[str]):
    changes = [" ".join(r.split()) for r in _section(shown, "Changes from 'historical':")]
    assert changes[0] == "removed 2007 USA missile_shield_deployment POL/CZE (remove[0])"
    assert changes[1].startswith("dropped 2008 RUS counter_deployment NATO (needs a missile")
    assert changes[2].startswith("dropped 2009 USA shield_cancellation RUS (needs a missile")
    assert "added 2007 NATO joint_shield_offer RUS (events[0])" in changes
    assert "forbidden action missile_shield_deployment, to 2010 (forbid[0])" in changes
    assert "parameter nrc_share 0.25 -> 0.4" in changes
    assert "setting on_inconsistent: error -> drop" in changes
    assert "shock 2005 threat terrorism +0.5 (shocks[0])" in changes


def test_a_scenario_without_parent_shows_no_changes(capsys):
    assert main(["validate", "historical", "--show"]) == 0
    out = capsys.readouterr().out
    assert f"Timeline: {_historical_acts()} scheduled acts, {_historical_shocks()} shocks" in out
    assert "none (all at their defaults; natosim list parameters)" in out
    assert "Changes from" not in out


def test_calibrated_shows_its_fitted_parameters(capsys):
    from sim import load_scenario

    fitted = load_scenario("historical_calibrated").parameters["hostile_weight"]
    assert main(["validate", "historical_calibrated", "--show"]) == 0
    out = capsys.readouterr().out
    assert f"  hostile_weight = {fitted:g} (default 0.45)" in out
    assert f"  parameter  hostile_weight 0.45 -> {fitted:g}" in out


def test_without_show_only_the_summary(capsys):
    assert main(["validate", "no_kosovo"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "valid scenario 'no_kosovo'" in out
