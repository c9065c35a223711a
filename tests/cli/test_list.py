"""``natosim list``: the vocabulary as small tables, and as JSON for tools."""

from __future__ import annotations

import json

import pytest

from sim.cli.main import main
from sim.data import locate, tables
from sim.model import params as P


def _json(capsys, kind: str) -> list[dict]:
    assert main(["list", kind, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _table(capsys, kind: str) -> list[str]:
    assert main(["list", kind]) == 0
    return capsys.readouterr().out.splitlines()


def test_actors(capsys):
    rows = {r["code"]: r for r in _json(capsys, "actors")}
    assert set(tables.actor_codes()) | set(tables.places()) == set(rows)
    assert rows["USA"] == {
        "code": "USA",
        "name": "United States",
        "kind": "key member",
        "member_from": 1949,
    }
    assert rows["UKR"]["kind"] == "aspirant" and rows["XKX"]["kind"] == "target only"
    lines = _table(capsys, "actors")
    assert lines[0].split() == ["code", "kind", "member", "from", "name"]
    assert any(line.split()[:3] == ["POL", "member", "1999"] for line in lines)


def test_actions_say_who_chooses_what_they_need_and_do(capsys):
    rows = {r["action"]: r for r in _json(capsys, "actions")}
    assert set(rows) == set(tables.actions())
    uof = rows["use_of_force"]
    assert uof["who_may"] == "RUS only" and uof["chosen_by"] == ["RUS"]
    assert uof["requires"] == ["target_not_member"] and uof["checked"] == ["target_not_member"]
    ew = rows["enlargement_wave"]
    assert ew["requires"] == ["target_not_member", "target_promised"]
    assert ew["checked"] == ["target_not_member"] and ew["effect"] == "member"
    assert rows["nrc_suspension"]["effect"] == "forum x0.2"
    lines = _table(capsys, "actions")
    assert lines[0].split()[:4] == ["action", "who", "may", "chosen"]
    pfp = next(line for line in lines if line.startswith("partnership_for_peace"))
    assert "nobody (scheduled only)" in pfp and "forum +0.1" in pfp
    shield = next(line for line in lines if line.startswith("counter_deployment"))
    assert "RUS only" in shield and "shield_on" in shield
    assert "target_promised*" in next(line for line in lines if line.startswith("enlargement"))
    assert lines[-1].startswith("(who may:")


def test_parameters_with_default_range_and_meaning(capsys):
    rows = _json(capsys, "parameters")
    assert [r["name"] for r in rows] == list(P.PARAM_NAMES)
    nrc = next(r for r in rows if r["name"] == "nrc_share")
    assert (nrc["default"], nrc["low"], nrc["high"], nrc["kind"]) == (0.25, 0.0, 1.0, "lever")
    line = next(line for line in _table(capsys, "parameters") if line.startswith("nrc_share"))
    assert line.split()[:4] == ["nrc_share", "0.25", "[0,", "1]"]
    assert "Share of the real agenda" in line


def test_themes(capsys):
    rows = _json(capsys, "themes")
    assert [r["theme"] for r in rows] == ["terrorism", "proliferation", "piracy", "narcotics"]
    assert rows[0]["actions"] == ["joint_counterterrorism", "joint_afghanistan"]


@pytest.mark.parametrize("kind", ["scenarios", "experiments"])
def test_bundled_files(capsys, kind: str):
    rows = _json(capsys, kind)
    names = locate.scenario_names() if kind == "scenarios" else locate.experiment_names()
    assert tuple(r["name"] for r in rows) == names
    by = {r["name"]: r for r in rows}
    if kind == "scenarios":
        assert by["no_kosovo"]["extends"] == "historical"
        assert by["historical"]["extends"] == ""
        assert by["historical_1991_2024"]["extends"] == "historical_calibrated"
    else:
        assert by["sobol"]["design"] == "sobol" and by["calibration"]["design"] == "calibration"
        assert by["morris"]["scenario"] == "historical"
    lines = _table(capsys, kind)
    assert lines[0].split()[0] == "name" and len(lines) == len(names) + 1


def test_unknown_list_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as e:
        main(["list", "colours"])
    assert e.value.code == 2
    assert "invalid choice: 'colours'" in capsys.readouterr().err
