"""What the figures of a sweep show: an outcome against its parameters, pairs, fans per level."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex

from sim.cli.main import main
from sim.results import figures
from sim.results.figures import style
from sim.results.figures.level_fans import level_fans_figure
from sim.results.figures.response import pairs_figure, response_figure
from tests.paths import ROOT

HISTORICAL = (ROOT / "scenarios" / "historical.toml").as_posix()


def _runs(levels=(0.0, 0.5, 1.0), reps: int = 5) -> pd.DataFrame:
    rows = [
        (i, lv, w, lv * 2 + r * 0.1 + w)
        for i, (lv, w, r) in enumerate(
            (lv, w, r) for lv in levels for w in (0.0, 1.0) for r in range(reps)
        )
    ]
    return pd.DataFrame(rows, columns=["run_id", "a", "b", "out"])


def _legend(fig) -> list[str]:
    return [t.get_text() for leg in fig.legends for t in leg.get_texts()]


def test_an_outcome_against_a_levelled_parameter_shows_median_and_bands_per_level() -> None:
    runs = _runs()
    fig = response_figure(runs, ["a"], "out")
    ax = fig.axes[0]
    (median,) = [ln for ln in ax.get_lines() if ln.get_label() == "median"]
    assert median.get_xdata().tolist() == [0.0, 0.5, 1.0]
    assert np.allclose(median.get_ydata(), runs.groupby("a").out.median().to_numpy())
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("a", "out")
    assert ax.get_title() == "out against a"
    assert _legend(fig) == ["median", "per level: 50 % of runs", "per level: 90 % of runs"]
    bars = [c for c in ax.collections if c.get_label() in ("_50", "_90")]
    assert [len(c.get_segments()) for c in bars] == [3, 3]  # one bar per level and band
    assert "with the other parameters pooled" not in style.caption_of(fig)
    assert "every run of the sweep (30)" in style.caption_of(fig)


def test_a_continuous_parameter_gets_every_run_and_a_running_median() -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, 400)
    runs = pd.DataFrame({"x": x, "z": rng.uniform(0, 1, 400), "out": 3 * x})
    fig = response_figure(runs, ["x", "z"], "out")
    ax_x = fig.axes[0]
    dots = next(ln for ln in ax_x.get_lines() if ln.get_label() == "_runs")
    assert len(dots.get_xdata()) == 400
    med = next(ln for ln in ax_x.get_lines() if ln.get_label() == "median")
    assert np.allclose(med.get_ydata(), 3 * np.asarray(med.get_xdata()), atol=0.05)
    assert _legend(fig) == ["median", "running: 50 % of runs", "one run"]
    assert "with the other parameters pooled" in style.caption_of(fig)


@pytest.mark.parametrize("params", [["a"], ["x"], ["a", "b"], ["a", "b", "x", "c"]])
def test_the_response_legend_covers_neither_title_nor_panels(params: list[str]) -> None:
    rng = np.random.default_rng(1)
    runs = _runs().assign(x=lambda d: rng.uniform(0, 1, len(d)), c=lambda d: d.run_id % 3)
    runs = runs.rename(columns={"out": "final_trust_rus_nato"})  # a real outcome's long name
    fig = response_figure(runs, params, "final_trust_rus_nato")
    FigureCanvasAgg(fig).draw()
    r = fig.canvas.get_renderer()
    (legend,) = fig.legends
    box = legend.get_window_extent(r)
    title = fig._suptitle.get_window_extent(r)
    assert not box.overlaps(title)
    assert fig.bbox.containsx(box.x1) and fig.bbox.containsx(title.x0)  # neither clipped
    for ax in fig.axes:
        if ax.get_visible():
            assert not box.overlaps(ax.get_window_extent(r))
            assert not box.overlaps(ax.title.get_window_extent(r))


def test_the_scenario_is_a_categorical_panel() -> None:
    runs = _runs().assign(scenario=lambda d: np.where(d.b > 0, "no_kosovo", "historical"))
    ax = response_figure(runs, ["a", "scenario"], "out").axes[1]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["historical", "no_kosovo"]


def test_the_pair_plot_keeps_the_lower_triangle_and_colours_points_by_the_outcome() -> None:
    runs = _runs().assign(c=lambda d: d.run_id % 3)
    fig = pairs_figure(runs, ["a", "b", "c"], "out")
    grid = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    visible = [ax for ax in grid if ax.get_visible()]
    assert len(grid) == 9 and len(visible) == 6  # 3 diagonal + 3 below
    colorbar = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
    assert colorbar[0].get_ylabel() == "median out at the pair's values (others pooled)"
    below = grid[3]  # b against a: the median over the runs at each (a, b)
    want = runs.groupby(["a", "b"]).out.median().to_numpy()
    assert np.allclose(sorted(below.collections[0].get_array()), sorted(want))
    assert fig._suptitle.get_text() == f"out over pairs of parameters ({18} design points)"
    with pytest.raises(ValueError, match="two or three"):
        pairs_figure(runs, ["a"], "out")


def _traj(runs: pd.DataFrame) -> pd.DataFrame:
    rows = [
        (r.run_id, y, o, t, 0.2 + 0.5 * r.a)
        for r in runs.itertuples()
        for y in range(2000, 2006)
        for o, t in (("NATO", "RUS"), ("RUS", "NATO"))
    ]
    return pd.DataFrame(rows, columns=["run_id", "year", "observer", "target", "trust"])


def test_fans_per_level_draw_each_levels_runs_apart() -> None:
    runs = _runs()
    fig = level_fans_figure(_traj(runs), runs, "a")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in panels] == [
        "a = 0 (10 runs)",
        "a = 0.5 (10 runs)",
        "a = 1 (10 runs)",
    ]
    for ax, level in zip(panels, (0.0, 0.5, 1.0), strict=True):
        med = [ln for ln in ax.get_lines() if ln.get_label() == "NATO → RUS"]
        assert np.allclose(med[0].get_ydata(), 0.2 + 0.5 * level)
        assert to_hex(med[0].get_color()) == style.NATO_COLOR
        assert ax.get_ylim() == (0.0, 1.0)
    assert _legend(fig) == [
        "NATO → RUS (median)",
        "RUS → NATO (median)",
        "50 % of the level's runs",
        "90 %",
        "median of all runs",
    ]
    assert fig._suptitle.get_text() == "Trust per level of a"


@pytest.fixture(scope="module")
def grid_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("grid")
    (tmp / "g.toml").write_text(
        f'name = "g"\nscenario = "{HISTORICAL}"\ndesign = "grid"\nlevels = 3\nreplicates = 2\n'
        'seed = 1\ntrajectories = "all"\n'
        'outcomes = ["final_trust_rus_nato", "crises"]\n'
        '[[levers]]\nname = "nrc_share"\nlow = 0.0\nhigh = 1.0\n'
        '[[uncertainties]]\nname = "hostile_weight"\nvalues = [0.4, 0.8]\n'
    )
    assert main(["sweep", str(tmp / "g.toml"), "--out", str(tmp / "g"), "--quiet"]) == 0
    return tmp / "g"


def test_plot_of_a_grid_writes_every_figure_in_the_format_asked(grid_dir: Path) -> None:
    assert main(["plot", str(grid_dir), "--outcome", "crises", "--format", "pdf", "--quiet"]) == 0
    names = {p.name for p in grid_dir.glob("*.pdf")}
    assert names == {
        "trust.pdf",
        "response_crises.pdf",
        "pairs_crises.pdf",
        "heatmap_crises.pdf",
        "fans_nrc_share.pdf",
        "fans_hostile_weight.pdf",
    }
    for p in grid_dir.glob("*.pdf"):
        assert p.read_bytes().startswith(b"%PDF-"), p


def test_any_pair_with_pair(grid_dir: Path, tmp_path: Path, capsys) -> None:
    assert main(["plot", str(grid_dir), "--pair", "RUS:POL", "--quiet"]) == 0
    fig = figures.trust_fan_figure(
        pd.read_parquet(grid_dir / "trajectories.parquet").rename(columns={"run_id": "replicate"}),
        None,
        pairs=[("RUS", "POL")],
    )
    assert [ln.get_label() for ln in fig.axes[0].get_lines()] == ["RUS → POL (median)"]
    assert main(["plot", str(grid_dir), "--pair", "RUS-POL", "--quiet"]) == 2
    assert "OBSERVER:TARGET" in capsys.readouterr().err
    assert main(["plot", str(grid_dir), "--pair", "NATO:POL", "--quiet"]) == 2
    assert "no trajectory of NATO -> POL" in capsys.readouterr().err


def test_format_and_out_must_agree(grid_dir: Path, tmp_path: Path, capsys) -> None:
    run_dir = tmp_path / "r"
    assert main(["run", "historical", "--replicates", "2", "--out", str(run_dir), "--quiet"]) == 0
    two = [str(grid_dir), str(run_dir)]
    assert main(["plot", *two, "--out", str(tmp_path / "c.pdf"), "--format", "svg", "--quiet"]) == 2
    assert "disagree" in capsys.readouterr().err
    assert not (tmp_path / "c.pdf").exists()
    assert main(["plot", *two, "--out", str(tmp_path / "c.pdf"), "--quiet"]) == 0
    assert (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF-")  # the extension decides
    assert not (run_dir / "trust.pdf").exists()  # the comparison alone


def test_the_comparison_shows_the_outcome_asked_for(grid_dir: Path, tmp_path: Path) -> None:
    run_dir = tmp_path / "r"
    assert main(["run", "no_kosovo", "--replicates", "3", "--out", str(run_dir), "--quiet"]) == 0
    out = tmp_path / "cmp.svg"
    args = ["plot", str(grid_dir), str(run_dir), "--outcome", "crises", "--out", str(out)]
    assert main([*args, "--quiet"]) == 0
    text = out.read_text()
    assert text.startswith("<?xml") and "crises per scenario" in text
    assert "NATO → RUS across scenarios" in text and "RUS → NATO across scenarios" in text


def test_every_column_of_fans_has_its_years_under_a_short_last_row() -> None:
    """Five levels on 4 + 1 panels: the three columns with nothing below show their years."""
    runs = pd.DataFrame(
        {"run_id": range(10), "a": [v for v in (0.0, 0.25, 0.5, 0.75, 1.0) for _ in (0, 1)]}
    )
    fig = level_fans_figure(_traj(runs), runs, "a")
    fig.canvas.draw()  # tick labels are made when drawn
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.get_title()]
    labelled = [ax.get_xlabel() == "year" for ax in panels]
    assert labelled == [False, True, True, True, True]
    for ax in panels[1:]:
        assert any(t.get_visible() and t.get_text() for t in ax.get_xticklabels())
    assert not any(t.get_visible() and t.get_text() for t in panels[0].get_xticklabels())
