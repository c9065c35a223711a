"""``natosim evaluate``: files written together, bad input refused cleanly."""

from __future__ import annotations

import json

import pytest

from sim.cli.main import main
from tests.cli.calibrations import TINY as TINY_CALIBRATION

pytestmark = pytest.mark.slow

ARGS = ["--replicates", "6", "--draws", "2", "--resamples", "3", "--no-calibration", "--quiet"]


def test_writes_the_report(tmp_path) -> None:
    out = tmp_path / "ev"
    assert main(["evaluate", "historical", "--out", str(out), *ARGS]) == 0
    names = {p.name for p in out.iterdir()}
    assert names == {
        "evaluation.json",
        "evaluation.md",
        "emergence.png",
        "robustness.png",
        "data.png",
        "timings.json",
    }
    for png in ("emergence.png", "robustness.png", "data.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    ev = json.loads((out / "evaluation.json").read_text())
    assert ev["meta"]["scenario"] == "historical"
    assert ev["narrative"][0]["name"] == "rus_nato_falls_1994"
    md = (out / "evaluation.md").read_text()
    assert "## 1. Narrative" in md and "## 5. Parameters" in md
    assert md.index("## Targets") < md.index("## 1. Narrative")
    # six replicates are too few for the bootstrap: the report says so, without a column
    assert "Monte Carlo error of the verdicts: not drawn: fewer than 20 replicates." in md
    assert "| resamples |" not in md
    assert "--seed 1991 --draws 2 --resamples 3 --no-calibration`" in md  # reproducible
    # the alliance's lockstep next to the data's, the long run with the door closed
    obs = ev["alliance"]["lockstep"]["observed"]
    assert f"co-move at {obs['mean_correlation']:.3f}" in md
    assert f"{100 * obs['runs_below_data']:.1f} % of the runs lie below the data" in md
    block = next(b for b in obs["blocks"] if b["blocks"] == "key partners / new")
    assert f"key partners / new {block['model']:.3f} ({block['data']:.3f})" in md
    closed = ev["emergence"]["stationarity"]["closed_door"]["from_0.9"]["rus_nato"]
    assert "closed door (0.9)" in md and f"{closed['change_2060_2100']:.3f}" in md
    # the chosen share run by run beside the median's; two draws are too few to attribute
    w = ev["emergence"]["chosen_share"]["nato_rus"]["within_run"]
    assert f"| {w['median']:.3f} ({w['q25']:.3f}–{w['q75']:.3f}) |" in md
    assert "**Which hand-set numbers carry the drawn targets.**" in md
    assert "| `members_not_in_lockstep` | – | none | too few draws |" in md
    # same seed, same report
    again = tmp_path / "ev2"
    assert main(["evaluate", "historical", "--out", str(again), *ARGS]) == 0
    assert (again / "evaluation.json").read_bytes() == (out / "evaluation.json").read_bytes()
    assert (again / "evaluation.md").read_bytes() == (out / "evaluation.md").read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--replicates", "0"], "--replicates: must be within 1-100000, got 0"),
        (["--draws", "-1"], "--draws: must be within 1-100000, got -1"),
        (["--resamples", "-1"], "--resamples: must be within 0-100000, got -1"),
        (["--seed", "-3"], "--seed: must be within [0, 2**63), got -3"),
    ],
)
def test_bad_options(tmp_path, capsys, args, message) -> None:
    out = tmp_path / "nothing"
    assert main(["evaluate", "historical", "--out", str(out), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"natosim: error: {message}"
    assert not out.exists()


def test_unknown_scenario(tmp_path, capsys) -> None:
    out = tmp_path / "nothing"
    assert main(["evaluate", "no_such_thing", "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no_such_thing: file not found" in err
    assert not out.exists()


def test_a_scenario_short_of_the_record_is_refused_at_once(tmp_path, capsys) -> None:
    """Every judgement reads 1991-2012: a run that ends in 2011 is one line, not a traceback."""
    (tmp_path / "short.toml").write_text(
        'name = "short"\nextends = "historical"\non_inconsistent = "drop"\n'
        "[time]\nstart = 1991\nend = 2011\n"
    )
    out = tmp_path / "nothing"
    assert main(["evaluate", str(tmp_path / "short.toml"), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "must simulate 1991-2012 (this one runs 1991-2011)" in err
    assert not out.exists()
    # parameters changed from a year on would undo the whole-run values it sets and fits
    assert main(["evaluate", "nrc_rejuvenated_2013", "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "[[parameter_changes]] replace from a year on" in err
    assert not out.exists()


def test_figures_in_the_format_asked_for(tmp_path) -> None:
    out = tmp_path / "ev"
    assert main(["evaluate", "historical", "--out", str(out), "--format", "svg", *ARGS]) == 0
    for name in ("emergence.svg", "robustness.svg", "data.svg"):
        assert (out / name).read_bytes().startswith(b"<?xml"), name
    assert not list(out.glob("*.png"))
    assert "`emergence.svg`" in (out / "evaluation.md").read_text()


def test_figures_of_an_earlier_format_are_said_to_be_out_of_date(tmp_path, capsys) -> None:
    out = tmp_path / "ev"
    assert main(["evaluate", "historical", "--out", str(out), "--format", "svg", *ARGS]) == 0
    capsys.readouterr()
    assert main(["evaluate", "historical", "--out", str(out), *ARGS]) == 0
    err = capsys.readouterr().err
    assert (
        f"natosim: warning: {out}: data.svg, emergence.svg, robustness.svg drawn by an earlier "
        "evaluation (another --format) are out of date"
    ) in err


def test_a_calibration_of_ones_own_is_refitted(tmp_path, capsys) -> None:
    cal = tmp_path / "tiny.toml"
    cal.write_text(TINY_CALIBRATION)
    out = tmp_path / "ev"
    args = [a for a in ARGS if a != "--no-calibration"]
    assert (
        main(["evaluate", "historical", "--out", str(out), "--calibration", str(cal), *args]) == 0
    )
    ev = json.loads((out / "evaluation.json").read_text())
    assert ev["meta"]["calibration"] == str(cal)
    assert [p["name"] for p in ev["parameters"]["model"] if p.get("posterior")] == ["memory"]
    assert main(["evaluate", "historical", "--calibration", str(cal), "--no-calibration"]) == 2
    assert "--calibration: goes with the refits that --no-calibration skips" in (
        capsys.readouterr().err
    )


def test_compare_sets_two_evaluations_side_by_side(tmp_path, capsys) -> None:
    """Two real evaluations (a lever moved): the scorecards side by side, nothing run."""
    args = ["--replicates", "20", "--draws", "2", "--resamples", "5", "--no-calibration"]
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["evaluate", "historical", "--out", str(a), *args, "--quiet"]) == 0
    assert main(["evaluate", "nrc_rejuvenated", "--out", str(b), *args, "--quiet"]) == 0
    out = tmp_path / "cmp"
    assert main(["evaluate", "--compare", str(a), str(b), "--out", str(out)]) == 0
    text, err = capsys.readouterr()
    assert [p.name for p in out.iterdir()] == ["comparison.md"]
    assert (out / "comparison.md").read_text(encoding="utf-8") == text
    assert err.strip() == f"wrote {out / 'comparison.md'}"
    ev = [json.loads((d / "evaluation.json").read_text()) for d in (a, b)]
    met = [sum(1 for t in e["targets"] if t["met"]) for e in ev]
    assert f"Targets met: {met[0]} of " in text and f"before, {met[1]} of " in text
    assert "Scenarios: `historical` and `nrc_rejuvenated`." in text
    for ta, tb in zip(*(e["targets"] for e in ev), strict=True):
        (line,) = [x for x in text.splitlines() if x.startswith(f"| `{ta['id']}` |")]
        change = line.split("|")[4].strip()
        if ta["value"] is None or tb["value"] is None:  # not measured without the refits
            assert change == "–"
        else:
            d = tb["value"] - ta["value"]
            want = f"{int(d):+d}" if float(d).is_integer() else f"{d:+.3f}"
            assert change == ("0" if d == 0 else want), (ta["id"], change)
        assert ("→" in line.split("|")[5]) == (ta["met"] != tb["met"])


def test_compare_refuses_a_scenario_and_a_damaged_folder_writing_nothing(tmp_path, capsys) -> None:
    out = tmp_path / "cmp"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["evaluate", "hindcast", "--compare", "x", "y", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("natosim: error: --compare: compares two evaluations already")
    assert "drop the scenario 'hindcast'" in err and "\n" not in err
    assert main(["evaluate", "--compare", str(empty), str(empty), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        f"natosim: error: --compare: {empty} holds no evaluation.json "
        "(a folder `natosim evaluate` wrote, or its evaluation.json)"
    )
    meta = {"scenario": "h", "seed": 1, "replicates": 2, "robustness_draws": 2,
            "robustness_replicates": 2, "resamples": 0}  # fmt: skip
    (empty / "evaluation.json").write_text(json.dumps({"meta": meta, "targets": [7]}))
    assert main(["evaluate", "--compare", str(empty), str(empty), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert (
        err == f"natosim: error: {empty / 'evaluation.json'}: targets[0].id: missing or not a name"
    )
    assert not out.exists()


@pytest.mark.parametrize(
    "option", [["--replicates", "5"], ["--seed", "3"], ["--no-calibration"], ["--format", "svg"]]
)
def test_compare_refuses_an_evaluations_option(tmp_path, capsys, option) -> None:
    assert main(["evaluate", "--compare", "a", "b", *option]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        f"natosim: error: --compare: runs nothing, so {option[0]} does not apply: it reads "
        "the two evaluations as written"
    )


def test_the_evaluation_defaults_are_the_parsers() -> None:
    import argparse

    from sim.cli import evaluate as E

    parser = argparse.ArgumentParser()
    E.register(parser.add_subparsers())
    args = parser.parse_args(["evaluate"])
    assert {k: getattr(args, k) for k in E.EVALUATION_DEFAULTS} == E.EVALUATION_DEFAULTS
