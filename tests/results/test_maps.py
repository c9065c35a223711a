"""Maps of Europe: each state's trust in Russia and Russia's in it, from a run folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib import colormaps
from matplotlib.colors import to_hex

from sim.cli.main import main
from sim.data import tables
from sim.data.maps import europe
from sim.results.figures import style
from sim.results.figures.europe_map import map_figure, map_years_figure
from sim.results.plot_map import members_in, year_values


def _faces(ax, code: str) -> list:
    return [p for p in ax.patches if p.get_gid() == f"state:{code}"]


def test_the_shapes_hold_every_state_of_the_model_and_russia() -> None:
    shapes = europe()
    on_map = {s.code for s in tables.states()} - {"USA", "CAN"}
    assert on_map <= set(shapes) and "RUS" in shapes
    assert shapes["POL"].name == "Poland" and len(shapes["GBR"].rings) >= 2  # islands
    lon, lat = np.asarray(shapes["POL"].rings[0]).T
    assert 14 < lon.mean() < 24 and 49 < lat.mean() < 55


def test_a_map_colours_each_state_by_its_trust_and_hatches_non_members() -> None:
    in_r = {"POL": 0.2, "DEU": 0.6, "USA": 0.4, "UKR": 0.3}
    of_r = {"POL": 0.5, "DEU": 0.9, "USA": 0.1, "UKR": 0.7}
    fig = map_figure(in_r, of_r, {"POL", "DEU", "USA"}, 2008)
    left, right = fig.axes[:2]
    assert left.get_title() == "each state's trust in Russia, 2008"
    assert right.get_title() == "Russia's trust in each state, 2008"
    cmap = colormaps[style.TRUST_CMAP]
    for ax, vals in ((left, in_r), (right, of_r)):
        for code, v in vals.items():
            faces = _faces(ax, code)
            assert faces, code
            assert to_hex(faces[0].get_facecolor()) == to_hex(cmap(v)), code
    assert all(p.get_hatch() == "////" for p in _faces(left, "UKR"))  # an aspirant
    assert all(p.get_hatch() is None for p in _faces(left, "POL"))
    assert {p.get_hatch() for p in left.patches if p.get_gid() == "russia"} == {"xx"}
    assert {t.get_text() for t in left.texts} >= {"USA", "Russia"}  # USA beyond the map
    assert [t.get_text() for t in left.get_legend().get_texts()] == [
        "not (yet) a member",
        "Russia",
        "not in the model",
    ]
    colorbar = fig.axes[2]
    assert colorbar.get_ylabel() == "trust (0 = none, 1 = full)"
    assert colorbar.get_ylim() == (0.0, 1.0)
    assert "Natural Earth" in style.caption_of(fig)


def test_small_multiples_have_a_column_per_year() -> None:
    by_year = {y: ({"POL": 0.5}, {"POL": 0.4}, {"POL"}) for y in (1995, 2000, 2008)}
    fig = map_years_figure(by_year)
    maps = fig.axes[:6]
    assert [ax.get_title() for ax in maps] == ["1995", "2000", "2008"] * 2
    assert maps[0].get_ylabel() == "each state's trust in Russia"
    assert maps[3].get_ylabel() == "Russia's trust in each state"


def test_membership_follows_the_scenarios_scheduled_enlargements() -> None:
    ev = pd.DataFrame(
        [(0, 1999, "NATO", "enlargement_wave", "CZE;HUN;POL", "scheduled")],
        columns=["replicate", "year", "actor", "action", "target", "origin"],
    )
    assert "POL" in members_in(1999, ev, 1991) and "POL" not in members_in(1998, ev, 1991)
    assert "EST" not in members_in(2008, ev, 1991)  # no 2004 wave in these events
    assert "DEU" in members_in(1991, ev, 1991)
    assert "EST" in members_in(2008, None, None)  # the states table without events


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("maps") / "h"
    assert main(["run", "historical", "--replicates", "3", "--out", str(d), "--quiet"]) == 0
    return d


def test_plot_map_of_a_run_folder(run_dir: Path) -> None:
    assert main(["plot", str(run_dir), "--map", "--year", "2008", "--quiet"]) == 0
    assert (run_dir / "map_2008.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    args = ["plot", str(run_dir), "--map", "--year", "1995,2008", "--format", "svg", "--quiet"]
    assert main(args) == 0
    assert (run_dir / "maps.svg").read_text().startswith("<?xml")
    traj = pd.read_csv(run_dir / "trajectory.csv")
    in_r, of_r = year_values(traj, 2008)
    sel = traj[(traj.year == 2008) & (traj.observer == "POL") & (traj.target == "RUS")]
    assert in_r["POL"] == sel.trust.median() and "NATO" not in in_r
    assert set(of_r) == {s.code for s in tables.states()}


def test_map_errors_are_one_line(run_dir: Path, tmp_path: Path, capsys) -> None:
    assert main(["plot", str(run_dir), "--map", "--year", "1850", "--quiet"]) == 2
    assert "--year 1850" in capsys.readouterr().err
    assert main(["plot", str(run_dir), "--year", "2008", "--quiet"]) == 2
    assert "goes with --map" in capsys.readouterr().err
    assert main(["plot", str(run_dir), "--map", "--year", "x", "--quiet"]) == 2
    assert "expected a year" in capsys.readouterr().err
    head = tmp_path / "head"
    head.mkdir()
    traj = pd.read_csv(run_dir / "trajectory.csv")
    traj[traj.observer.isin(["NATO", "RUS"]) & traj.target.isin(["NATO", "RUS"])].to_csv(
        head / "trajectory.csv", index=False
    )
    assert main(["plot", str(head), "--map", "--quiet"]) == 2
    assert "NATO<->RUS only" in capsys.readouterr().err


def test_russias_far_east_stays_off_the_map() -> None:
    """Chukotka lies across the antimeridian: clipped whole, it must not come back at the west edge."""
    for ring in europe()["RUS"].rings:
        assert np.asarray(ring)[:, 0].min() > 19, "a ring of Russia reaches the map's west edge"


def test_a_sweep_over_scenarios_maps_each_with_its_own_runs_and_members(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exp = tmp_path / "two.toml"
    exp.write_text(
        'name = "two"\nscenarios = ["no_enlargement", "historical"]\ndesign = "grid"\n'
        'replicates = 2\nseed = 1\ntrajectories = "all"\n'
    )
    out = tmp_path / "sw"
    assert main(["sweep", str(exp), "--out", str(out), "--quiet", "--workers", "1"]) == 0
    drawn: list = []
    import sim.results.plot_map as pm

    monkeypatch.setattr(pm, "trust_map", lambda *a, **kw: drawn.append((a, kw)))
    assert main(["plot", str(out), "--map", "--year", "2008", "--quiet"]) == 0
    (no_enl, _, members_no_enl, *_), (hist, _, members_hist, *_) = (a for a, _ in drawn)
    assert "POL" not in members_no_enl and "POL" in members_hist
    assert [kw["title"].split(":")[0] for _, kw in drawn] == [
        "two, no_enlargement",
        "two, historical",
    ]
    assert [a[4].name for a, _ in drawn] == [
        "map_no_enlargement_2008.png",
        "map_historical_2008.png",
    ]
    # each map is the median of its own scenario's runs: they differ
    assert no_enl["POL"] != hist["POL"]
