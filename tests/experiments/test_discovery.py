"""Scenario discovery: PRIM finds the box planted in a synthetic sweep; the command reports it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.cli.main import main
from sim.experiments.discovery import discover, parse_where
from sim.results.figures.discovery import discovery_figure
from sim.results.figures.style import caption_of


def planted(n: int = 1500, seed: int = 3) -> pd.DataFrame:
    """A synthetic sweep: the outcome is high exactly where a > 0.6, b < 0.5 and not in 'hist'."""
    rng = np.random.default_rng(seed)
    runs = pd.DataFrame(
        {
            "run_id": np.arange(n),
            "a": rng.uniform(0, 1, n),
            "b": rng.uniform(0, 2, n),
            "c": rng.uniform(0, 1, n),  # does nothing
            "scenario": rng.choice(["hist", "no_enl", "other"], n),
        }
    )
    inside = (runs.a > 0.6) & (runs.b < 0.5) & (runs.scenario != "hist")
    runs["trust"] = np.where(inside, 0.8, 0.2) + rng.normal(0, 0.02, n)
    return runs


def test_prim_finds_the_planted_box() -> None:
    runs = planted()
    found = discover(runs, ["a", "b", "c", "scenario"], "trust", "> 0.5")
    inside = (runs.a > 0.6) & (runs.b < 0.5) & (runs.scenario != "hist")
    assert found.n_interest == int(inside.sum())
    (box,) = found.boxes
    assert box.coverage > 0.9 and box.density > 0.95
    by = {r.factor: r for r in box.restrictions}
    assert set(by) == {"a", "b", "scenario"}  # c is left free
    assert by["a"].low == pytest.approx(0.6, abs=0.03) and by["a"].high == pytest.approx(
        1, abs=0.01
    )
    assert by["b"].high == pytest.approx(0.5, abs=0.05) and by["b"].low < 0.01
    assert by["scenario"].text() == "scenario is not hist"
    assert by["a"].text().startswith("a 0.6")
    table = found.table()
    assert list(table.columns[:8]) == [
        "outcome",
        "where",
        "box",
        "coverage",
        "density",
        "mass",
        "runs",
        "factor",
    ]
    assert sorted(table.factor) == ["a", "b", "scenario"]


def test_a_grid_box_is_reported_in_the_levels_the_sweep_took() -> None:
    rng = np.random.default_rng(7)
    levels = np.array([0.1, 0.5, 0.9])
    runs = pd.DataFrame({"a": np.repeat(levels, 300), "b": rng.uniform(0, 1, 900)})
    runs["o"] = (runs.a >= 0.5).astype(float) + rng.normal(0, 0.01, 900)
    (box,) = discover(runs, ["a", "b"], "o", "> 0.5").boxes
    (a,) = [r for r in box.restrictions if r.factor == "a"]
    assert (a.low, a.high) == (0.5, 0.9)  # levels, not an edge between 0.1 and 0.5
    assert a.text() == "a 0.5 to 0.9 (of 0.1 to 0.9)"


def test_prim_finds_a_second_box_in_what_is_left() -> None:
    rng = np.random.default_rng(5)
    n = 2000
    runs = pd.DataFrame({"a": rng.uniform(0, 1, n), "b": rng.uniform(0, 1, n)})
    runs["o"] = ((runs.a < 0.2) | (runs.b > 0.85)).astype(int)
    found = discover(runs, ["a", "b"], "o", "== 1", boxes=2)
    first, second = found.boxes
    assert {r.factor for r in first.restrictions} | {r.factor for r in second.restrictions} == {
        "a",
        "b",
    }
    highs = {r.factor: (r.low, r.high) for b in found.boxes for r in b.restrictions}
    assert highs["a"][1] == pytest.approx(0.2, abs=0.03)
    assert highs["b"][0] == pytest.approx(0.85, abs=0.03)


def test_the_figure_shows_the_trajectory_and_each_restriction() -> None:
    found = discover(planted(), ["a", "b", "c", "scenario"], "trust", "> 0.5")
    fig = discovery_figure(found)
    left, right = fig.axes[:2]
    assert left.get_xlabel().startswith("coverage") and left.get_ylabel().startswith("density")
    assert [t.get_text() for t in left.get_legend().get_texts()] == ["box reported"]
    ticks = [t.get_text() for t in right.get_yticklabels()]
    assert sorted(ticks) == ["box 1: a", "box 1: b", "box 1: scenario"]
    assert "not hist" in {t.get_text() for t in right.texts}
    legend = [t.get_text() for t in right.get_legend().get_texts()]
    assert legend[0].startswith("box 1: coverage") and legend[-1] == "the sweep's range"
    assert fig._suptitle.get_text() == "Scenario discovery: where trust > 0.5"
    assert caption_of(fig).startswith("PRIM over 1500 runs")


def test_conditions_are_parsed_or_refused() -> None:
    assert parse_where("> 0.5") == ((">", 0.5),)
    assert parse_where("<=-1e-2") == (("<=", -0.01),)
    assert parse_where(" == 3") == (("==", 3.0),)
    assert parse_where("> 0.3 AND <= .6") == ((">", 0.3), ("<=", 0.6))
    # one question, one name: the order of its comparisons and repeats do not matter
    assert parse_where("<= .6 and > 0.3 and > 0.3") == ((">", 0.3), ("<=", 0.6))
    with pytest.raises(ValueError, match="at most 4"):
        parse_where(" and ".join(["> 0.1"] * 5))
    for bad in ("0.5", "> x", ">> 1", "between 1 2", "> 0.3 and", "> 0.3 or < 0.1", "> 1 and0"):
        with pytest.raises(ValueError, match="comparison"):
            parse_where(bad)


@pytest.fixture
def sweep_dir(tmp_path: Path) -> Path:
    d = tmp_path / "s"
    d.mkdir()
    planted().to_parquet(d / "runs.parquet")
    exp = {
        "name": "planted",
        "design": "lhs",
        "outcomes": ["crises", {"name": "trust", "observer": "RUS", "target": "NATO"}],
        "levers": [{"name": "a"}, {"name": "b"}],
        "uncertainties": [{"name": "c"}],
        "scenarios": ["hist", "no_enl", "other"],
    }
    (d / "manifest.json").write_text(json.dumps({"experiment": exp}))
    return d


def test_discover_prints_and_writes_the_boxes(sweep_dir: Path, capsys) -> None:
    args = ["discover", str(sweep_dir), "--outcome", "trust", "--where", "> 0.5"]
    assert main([*args, "--format", "svg"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("planted: trust > 0.5 in ")
    assert out[1].startswith("box 1: coverage 0.9")
    assert any(line.strip().startswith("scenario is not hist") for line in out)
    csv = pd.read_csv(sweep_dir / "discover_trust_gt_0.5.csv")
    assert set(csv.factor) == {"a", "b", "scenario"}
    assert set(csv.outcome) == {"trust"} and set(csv["where"]) == {"> 0.5"}
    assert (sweep_dir / "discover_trust_gt_0.5.svg").read_bytes().startswith(b"<?xml")
    first = (sweep_dir / "discover_trust_gt_0.5.csv").read_bytes()
    args[-1] = "<= 0.5"  # another question: its own files, the first one's kept
    assert main([*args, "--format", "svg", "--quiet"]) == 0
    assert set(pd.read_csv(sweep_dir / "discover_trust_le_0.5.csv")["where"]) == {"<= 0.5"}
    assert (sweep_dir / "discover_trust_gt_0.5.csv").read_bytes() == first


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--where", "above 0.5"], "--where"),
        (["--where", "> 5"], "nothing to tell apart"),
        (["--where", "> 0.5", "--outcome", "joy"], "--outcome 'joy'"),
        (["--where", "> 0.5", "--boxes", "0"], "--boxes"),
    ],
)
def test_discover_errors_are_one_line(sweep_dir: Path, capsys, extra, words) -> None:
    assert main(["discover", str(sweep_dir), "--outcome", "trust", *extra]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err, err
    assert not list(sweep_dir.glob("discover_*"))


def test_discover_needs_a_sweep(tmp_path: Path, capsys) -> None:
    assert main(["discover", str(tmp_path), "--where", "> 0"]) == 2
    assert "no runs.parquet" in capsys.readouterr().err


def test_a_band_is_the_runs_meeting_both_comparisons(sweep_dir: Path, capsys) -> None:
    runs = pd.read_parquet(sweep_dir / "runs.parquet")
    band = "> 0.75 and <= 0.81"
    args = ["discover", str(sweep_dir), "--outcome", "trust", "--where", band, "--quiet"]
    assert main([*args, "--format", "svg"]) == 0
    inside = int(((runs.trust > 0.75) & (runs.trust <= 0.81)).sum())
    assert 0 < inside < int((runs.trust > 0.75).sum())  # the band is narrower than its floor
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"planted: trust {band} in {inside} of {len(runs)} runs")
    csv = pd.read_csv(sweep_dir / "discover_trust_gt_0.75_and_le_0.81.csv")
    assert set(csv["where"]) == {band}


def test_an_empty_band_is_one_line(sweep_dir: Path, capsys) -> None:
    args = ["discover", str(sweep_dir), "--outcome", "trust", "--where", "> 0.6 and < 0.3"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no run has trust > 0.6 and < 0.3" in err, err
    assert not list(sweep_dir.glob("discover_*"))


def test_close_thresholds_get_files_of_their_own() -> None:
    from sim.experiments.discovery import Discovery

    a, b = (Discovery("trust", w, 10, 5, ["a"]) for w in ("> 0.4000001", "> 0.4000004"))
    assert a.stem() != b.stem()
    assert Discovery("trust", "<= -0.25", 10, 5, ["a"]).stem() == "discover_trust_le_m0.25"
