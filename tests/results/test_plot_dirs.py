"""``natosim plot``: a sweep folder's events drawn without the model; the comparison; ``--pair``."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from sim import load_scenario, run
from sim.cli.main import main
from sim.experiments.schema import load_experiment
from sim.experiments.sweep import plan, sweep
from sim.model import events as E
from sim.results import readers
from sim.results.figures import fan, style
from sim.results.figures import level_fans as level_fans_module
from sim.results.plot_dirs import plot_dirs
from tests.cli_process import snapshot
from tests.paths import ROOT

EXPERIMENT = f"""
name = "tiny"
scenario = "{ROOT / "scenarios" / "historical.toml"}"
design = "lhs"
n = 2
replicates = 2
seed = 3
trajectories = "headline"

[[levers]]
name = "nrc_share"
low = 0.0
high = 1.0
"""


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("sweep")
    (tmp / "tiny.toml").write_text(EXPERIMENT)
    loaded = load_experiment(tmp / "tiny.toml")
    paths = sweep(plan(loaded.spec, loaded.scenario), tmp / "out", progress=False, workers=1)
    assert paths["events"] == tmp / "out" / "events.csv"
    return tmp / "out"


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to simulate fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("a figure ran the model")

    import sim.model.core
    import sim.model.runner

    monkeypatch.setattr(sim.model.runner, "run", refuse)
    monkeypatch.setattr(sim.model.runner, "run_arrays", refuse)
    monkeypatch.setattr(sim.model.core, "simulate", refuse)


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list:
    """The fan figures drawn, with the events they were given."""
    figs: list = []
    original = fan.trust_fan_figure

    def spy(traj, events, **kw):
        fig = original(traj, events, **kw)
        figs.append((events, fig))
        return fig

    monkeypatch.setattr(fan, "trust_fan_figure", spy)
    return figs


def test_a_sweep_records_its_scenarios_scheduled_events_and_shocks(sweep_dir: Path) -> None:
    got = pd.read_csv(sweep_dir / "events.csv")
    ev = run("historical").events
    want = ev[ev.origin != "chosen"].reset_index(drop=True)
    assert list(got.columns) == list(ev.columns)  # the columns of a run's events.csv
    pd.testing.assert_frame_equal(got, want)
    assert set(got.origin) == {"scheduled", "shock"}


def test_plot_marks_the_recorded_events_without_running_the_model(
    sweep_dir: Path, no_model, drawn
) -> None:
    written = plot_dirs([sweep_dir])
    assert written == [  # the pooled fan, what the one lever does, its rank correlation
        sweep_dir / "trust.png",
        sweep_dir / "response_final_trust_rus_nato.png",
        sweep_dir / "fans_nrc_share.png",
        sweep_dir / "sensitivity_final_trust_rus_nato.png",
    ]
    ((events, fig),) = drawn
    pd.testing.assert_frame_equal(events, readers.events(sweep_dir))
    strip = fig.axes[1]
    marks = [ln for ln in strip.get_lines() if ln.get_label() in ("_scheduled", "_shock")]
    years = sorted(round(x) for ln in marks for x in ln.get_xdata())
    assert years == sorted(E.fixed_events(load_scenario("historical")).year)


def test_an_old_sweep_folder_without_events_is_drawn_with_a_note(
    sweep_dir: Path, tmp_path: Path, no_model, drawn, capsys
) -> None:
    old = tmp_path / "old"
    old.mkdir()
    for f in sweep_dir.iterdir():
        if f.is_file() and f.name not in ("events.csv", "trust.png"):
            (old / f.name).write_bytes(f.read_bytes())
    notes: list[str] = []
    assert plot_dirs([old], notes=notes)[0] == old / "trust.png"
    assert notes == [readers.NO_EVENTS.format(d=old)]
    ((events, fig),) = drawn
    assert events is None
    assert [t.get_text() for t in fig.axes[1].texts] == [fan.NO_EVENTS]
    assert main(["plot", str(old), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no events.csv" in err and "run the sweep again" in err


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("runs")
    for name in ("historical", "no_kosovo"):
        assert (
            main(
                ["run", name, "--replicates", "2", "--out", str(tmp / name), "--quiet", "--no-plot"]
            )
            == 0
        )
    return tmp / "historical", tmp / "no_kosovo"


def _written(*dirs: Path) -> set[Path]:
    return {p for d in dirs for p in d.rglob("*.png")}


@pytest.mark.parametrize("kind", ["folder", "below a file"])
def test_a_bad_out_is_refused_before_any_figure_is_drawn(
    two_runs: tuple[Path, Path], tmp_path: Path, capsys, kind: str
) -> None:
    if kind == "folder":
        (tmp_path / "cmp").mkdir()
        out, says = tmp_path / "cmp", "is a folder"
    else:
        (tmp_path / "afile").write_text("")
        out, says = tmp_path / "afile" / "x.png", "is a file, not a folder"
    before = _written(*two_runs, tmp_path)
    assert main(["plot", *map(str, two_runs), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err
    assert _written(*two_runs, tmp_path) == before  # nothing drawn


def test_one_run_folders_figure_goes_where_out_says(
    two_runs: tuple[Path, Path], tmp_path: Path
) -> None:
    target = tmp_path / "new" / "h.svg"
    assert main(["plot", str(two_runs[0]), "--out", str(target), "--quiet"]) == 0
    assert target.read_text().startswith("<?xml")
    assert not (two_runs[0] / "trust.svg").exists()


@pytest.mark.parametrize(
    ("fmt", "magic"), [(None, b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")]
)
def test_an_out_without_an_extension_gets_the_formats(
    two_runs: tuple[Path, Path], tmp_path: Path, fmt: str | None, magic: bytes
) -> None:
    extra = ["--format", fmt] if fmt else []
    cmp, one = tmp_path / "cmp", tmp_path / "h"
    assert main(["plot", *map(str, two_runs), "--out", str(cmp), *extra, "--quiet"]) == 0
    assert main(["plot", str(two_runs[0]), "--out", str(one), *extra, "--quiet"]) == 0
    ext = fmt or "png"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"cmp.{ext}", f"h.{ext}"]
    assert (tmp_path / f"cmp.{ext}").read_bytes().startswith(magic)
    assert (tmp_path / f"h.{ext}").read_bytes().startswith(magic)


def test_an_out_ending_in_a_dot_or_a_separator(
    two_runs: tuple[Path, Path], tmp_path: Path, capsys
) -> None:
    # "cmp." is a name whose extension is still to come: cmp.png, not cmp..png
    assert main(["plot", *map(str, two_runs), "--out", str(tmp_path / "cmp."), "--quiet"]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["cmp.png"]
    # "new/" or "new/." names a folder that is not there: refused, not written as new.png
    for new in (f"{tmp_path / 'new'}/", f"{tmp_path / 'new'}/."):
        assert main(["plot", *map(str, two_runs), "--out", new, "--quiet"]) == 2
        err = capsys.readouterr().err
        assert f"--out {new}: names a folder" in err and err.count("\n") == 1
    assert [p.name for p in tmp_path.iterdir()] == ["cmp.png"]


def test_out_with_a_sweep_folder_alone_and_with_maps_is_refused(
    sweep_dir: Path, two_runs: tuple[Path, Path], tmp_path: Path, capsys, monkeypatch
) -> None:
    def unread(d: Path, *args: object) -> None:
        raise AssertionError("read the tables (minutes for a large sweep) to refuse --out")

    with monkeypatch.context() as mp:  # the refusal comes before any table is read
        mp.setattr(readers, "trajectories", unread)
        mp.setattr(readers, "runs", unread)
        assert main(["plot", str(sweep_dir), "--out", str(tmp_path / "x.png"), "--quiet"]) == 2
    assert "a sweep folder's figures go into the folder" in capsys.readouterr().err
    assert (
        main(["plot", str(two_runs[0]), "--map", "--out", str(tmp_path / "m.png"), "--quiet"]) == 2
    )
    assert "the maps go into each folder" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_outcome_of_one_run_folder_is_checked(two_runs: tuple[Path, Path], capsys) -> None:
    assert main(["plot", str(two_runs[0]), "--outcome", "nosuch", "--quiet"]) == 2
    assert "--outcome 'nosuch'" in capsys.readouterr().err
    assert main(["plot", str(two_runs[0]), "--outcome", "crises", "--quiet"]) == 0
    assert "the outcome is drawn when several folders are compared" in capsys.readouterr().err


# ------------------------------------------------------------------ several folders


def test_several_folders_write_the_comparison_alone(
    two_runs: tuple[Path, Path], sweep_dir: Path, tmp_path: Path
) -> None:
    plotted, unplotted, swept = (tmp_path / n for n in ("plotted", "unplotted", "swept"))
    shutil.copytree(two_runs[0], plotted)
    shutil.copytree(two_runs[1], unplotted)
    shutil.copytree(sweep_dir, swept)
    assert main(["plot", str(plotted), "--quiet"]) == 0  # its own trust.png, headline pairs
    (unplotted / "trust.png").unlink(missing_ok=True)  # as written by run --no-plot
    own = (plotted / "trust.png").read_bytes()
    before = {d: snapshot(d) for d in (plotted, unplotted, swept)}
    out = tmp_path / "cmp" / "c.png"
    for extra in ([], ["--pair", "RUS:POL"]):
        folders = [plotted, unplotted] if extra else [plotted, unplotted, swept]
        assert main(["plot", *map(str, folders), "--out", str(out), *extra, "--quiet"]) == 0
        assert out.read_bytes().startswith(b"\x89PNG")
        assert {d: snapshot(d) for d in (plotted, unplotted, swept)} == before
    assert (plotted / "trust.png").read_bytes() == own
    assert not (unplotted / "trust.png").exists()
    assert sorted(p.name for p in (tmp_path / "cmp").iterdir()) == ["c.png"]


def test_the_comparison_goes_to_compare_png_by_default(
    two_runs: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    before = [snapshot(d) for d in two_runs]
    assert plot_dirs(list(two_runs)) == [Path("compare.png")]
    assert (tmp_path / "compare.png").read_bytes().startswith(b"\x89PNG")
    assert [snapshot(d) for d in two_runs] == before


def test_a_folder_without_trajectories_is_refused_for_a_comparison(
    two_runs: tuple[Path, Path], tmp_path: Path, capsys
) -> None:
    empty = tmp_path / "empty"
    shutil.copytree(two_runs[1], empty)
    (empty / "trajectory.csv").unlink()
    assert main(["plot", str(two_runs[0]), str(empty), "--out", str(tmp_path / "c.png")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{empty}: no trajectories to compare" in err
    assert not (tmp_path / "c.png").exists()


# ------------------------------------------------------------------ --pair


@pytest.mark.parametrize(
    ("pair", "says", "color"),
    [
        (("RUS", "POL"), "historical: Russia's trust in Poland", style.RUS_COLOR),
        (("POL", "RUS"), "historical: Poland's trust in Russia", style.NATO_COLOR),
        (("USA", "RUS"), "historical: the United States' trust in Russia", style.NATO_COLOR),
        (None, "historical: NATO-Russia trust", None),
    ],
)
def test_a_pairs_chart_is_titled_by_the_pair_and_coloured_by_the_observer(
    two_runs: tuple[Path, Path], tmp_path: Path, drawn, pair, says: str, color
) -> None:
    out = tmp_path / "pair.png"
    assert plot_dirs([two_runs[0]], pair=pair, out=str(out)) == [out]
    ((_, fig),) = drawn
    ax = fig.axes[0]
    assert ax.get_title() == says
    medians = [ln for ln in ax.get_lines() if ln.get_label().endswith("(median)")]
    want = [color] if pair else [style.NATO_COLOR, style.RUS_COLOR]  # NATO → RUS, RUS → NATO
    assert [to_hex(ln.get_color()) for ln in medians] == want
    bands = [to_hex(c.get_facecolor()[0]) for c in ax.collections]
    assert bands == [c for c in want for _ in range(2)]  # 90 % and 50 % in the line's colour


def test_pairs_of_one_side_share_its_colour_and_differ_in_line_style() -> None:
    got = style.pair_styles([("POL", "RUS"), ("RUS", "POL"), ("USA", "RUS")])
    assert [s["color"] for s in got] == [style.NATO_COLOR, style.RUS_COLOR, style.NATO_COLOR]
    assert got[0]["ls"] != got[2]["ls"]
    assert style.pairs_title([("RUS", "POL"), ("POL", "RUS")]) == (
        "Russia's trust in Poland; Poland's trust in Russia"
    )


def test_pair_takes_one_direction(two_runs: tuple[Path, Path], capsys) -> None:
    for bad in ("RUS:NATO,NATO:RUS", "RUS:POL:DEU", "RUS-POL", ":POL"):
        assert main(["plot", str(two_runs[0]), "--pair", bad, "--quiet"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "expected one OBSERVER:TARGET" in err, bad


def test_a_pairs_chart_is_written_beside_the_folders_own_trust_png(
    two_runs: tuple[Path, Path], sweep_dir: Path, tmp_path: Path
) -> None:
    """--pair names its files by the pair; the folder's headline figures stay as they were."""
    run_dir = tmp_path / "run"
    shutil.copytree(two_runs[0], run_dir)
    assert main(["plot", str(run_dir), "--quiet"]) == 0
    own = (run_dir / "trust.png").read_bytes()
    assert plot_dirs([run_dir], pair=("RUS", "POL")) == [run_dir / "trust_RUS_POL.png"]
    assert (run_dir / "trust.png").read_bytes() == own
    swept = tmp_path / "sweep"
    shutil.copytree(sweep_dir, swept)
    before = {p.name: p.read_bytes() for p in swept.glob("*.png")}
    written = plot_dirs([swept], pair=("RUS", "NATO"))
    assert swept / "trust_RUS_NATO.png" in written and swept / "fans_nrc_share_RUS_NATO.png" in (
        written
    )
    assert not {p.name for p in written if p.name in before} - {
        "response_final_trust_rus_nato.png",  # drawn from the runs, not from a pair
        "sensitivity_final_trust_rus_nato.png",
    }


def test_a_mistyped_pair_gets_the_nearest_actor(two_runs: tuple[Path, Path], capsys) -> None:
    assert main(["plot", str(two_runs[0]), "--pair", "RUS:UK", "--quiet"]) == 2
    assert "has no trajectory of RUS -> UK (did you mean 'UKR'?)" in capsys.readouterr().err


def test_a_comparison_is_not_written_over_a_compared_folders_own_file(
    two_runs: tuple[Path, Path], tmp_path: Path, capsys
) -> None:
    a = tmp_path / "a"
    shutil.copytree(two_runs[0], a)
    assert main(["plot", str(a), "--quiet"]) == 0
    before = (a / "trust.png").read_bytes()
    assert main(["plot", str(a), str(two_runs[1]), "--out", str(a / "trust.png")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "own trust.png" in err
    assert (a / "trust.png").read_bytes() == before
    (a / "response_crises.png").write_bytes(b"a sweep's own figure")  # any file of the folder
    assert main(["plot", str(a), str(two_runs[1]), "--out", str(a / "response_crises.png")]) == 2
    assert "own response_crises.png" in capsys.readouterr().err
    assert (a / "response_crises.png").read_bytes() == b"a sweep's own figure"
    assert main(["plot", str(a), str(two_runs[1]), "--out", str(a / "cmp.png"), "--quiet"]) == 0


def test_a_sweep_over_scenarios_draws_the_first_ones_runs_with_its_events(
    tmp_path: Path, drawn
) -> None:
    """One band over several scenarios would mix them: trust.png is the first one's."""
    exp = tmp_path / "two.toml"
    exp.write_text(
        'name = "two"\nscenarios = ["no_enlargement", "historical"]\ndesign = "grid"\n'
        "replicates = 3\nseed = 1\n"
    )
    out = tmp_path / "sw"
    assert main(["sweep", str(exp), "--out", str(out), "--quiet", "--workers", "1"]) == 0
    assert out / "trust.png" in plot_dirs([out])
    events, fig = drawn[0]
    assert fig.axes[0].get_title() == (
        "two: NATO-Russia trust (3 runs of no_enlargement, the first of 2 scenarios)"
    )
    assert "enlargement_wave" not in set(events.action)  # no_enlargement's own events
    runs, traj = readers.runs(out), readers.trajectories(out)
    first = traj[traj.replicate.isin(runs.run_id[runs.scenario == "no_enlargement"])]
    median = first[(first.observer == "RUS") & (first.target == "NATO")].groupby("year").trust
    drawn_line = next(
        ln for ln in fig.axes[0].get_lines() if str(ln.get_label()) == "RUS → NATO (median)"
    ).get_ydata()
    assert np.allclose(drawn_line, median.median().to_numpy())
    # the sweep's own figures get every run: each scenario's panel of fans_scenario
    # has its runs (it had none but the first's, drawn as empty panels)
    panels: list = []
    original = level_fans_module.level_fans_figure

    def spy(traj, runs, param, **kw):
        fig = original(traj, runs, param, **kw)
        panels.append((param, fig))
        return fig

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(level_fans_module, "level_fans_figure", spy)
        plot_dirs([out])
    (param, fig), *_ = panels
    assert param == "scenario"
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible() and ax.get_title()]
    assert titles == ["scenario = historical (3 runs)", "scenario = no_enlargement (3 runs)"]
    for ax in fig.axes[:2]:
        medians = [ln for ln in ax.get_lines() if str(ln.get_label()).endswith("NATO")]
        assert medians and all(len(ln.get_ydata()) == 22 for ln in medians)
