"""Readers of run and sweep folders: files only, same columns for both kinds."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim import run
from sim.files.errors import InputError
from sim.results import readers
from sim.results.rundir import write_run


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("run") / "r"
    write_run(run("no_kosovo", replicates=2), d, plot=False)
    return d


def test_a_run_folder_reads_back_its_tables(run_dir: Path) -> None:
    res = run("no_kosovo", replicates=2)
    pd.testing.assert_frame_equal(readers.trajectories(run_dir), res.trajectory)
    pd.testing.assert_frame_equal(readers.events(run_dir), res.events)
    assert readers.manifest(run_dir)["scenario"]["name"] == "no_kosovo"
    assert readers.name(run_dir) == "no_kosovo"
    assert readers.runs(run_dir) is None and readers.sensitivity(run_dir) is None


def test_a_sweep_folder_names_run_ids_replicates(tmp_path: Path) -> None:
    df = pd.DataFrame(
        {"run_id": [0, 1], "year": [2000, 2000], "observer": "NATO", "target": "RUS",
         "trust": [0.4, 0.5]}
    )  # fmt: skip
    df.to_parquet(tmp_path / "trajectories.parquet")
    got = readers.trajectories(tmp_path)
    assert list(got.columns) == ["replicate", "year", "observer", "target", "trust"]
    assert got.replicate.tolist() == [0, 1]
    # read as categories (tens of millions of rows read fast), compared as text
    assert isinstance(got.observer.dtype, pd.CategoricalDtype)
    assert (got.observer == "NATO").all() and got.target.tolist() == ["RUS", "RUS"]


def test_a_sweeps_trajectories_are_sized_as_read(tmp_path: Path, monkeypatch) -> None:
    """Refused when they would not fit, by the measured factor, not Parquet's general one."""
    df = pd.DataFrame({"run_id": range(2000), "year": 2000, "observer": "NATO",
                       "target": "RUS", "trust": 0.5})  # fmt: skip
    df.to_parquet(tmp_path / "trajectories.parquet")
    size = (tmp_path / "trajectories.parquet").stat().st_size
    factor = readers._TRAJECTORY_MEMORY_PER_BYTE
    assert factor < readers._MEMORY_PER_BYTE[".parquet"]
    monkeypatch.setattr(readers, "available_memory", lambda: size * factor + 1)
    assert len(readers.trajectories(tmp_path)) == 2000
    monkeypatch.setattr(readers, "available_memory", lambda: size * factor - 1)
    with pytest.raises(InputError, match="too large to draw"):
        readers.trajectories(tmp_path)


def test_an_empty_folder_has_nothing(tmp_path: Path) -> None:
    assert readers.trajectories(tmp_path) is None
    assert readers.events(tmp_path) is None
    assert readers.manifest(tmp_path) is None
    assert readers.name(tmp_path) == tmp_path.name


def test_a_broken_manifest_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(InputError, match=r"manifest\.json: not a valid manifest"):
        readers.name(tmp_path)


@pytest.fixture(scope="module")
def every_pair(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small sweep that records every pair (112 of them)."""
    return _swept(
        tmp_path_factory.mktemp("all"),
        'name = "all"\nscenario = "historical"\ndesign = "grid"\nreplicates = 3\nseed = 5\n'
        'trajectories = "all"\nchunk_size = 2\n',
    )


def _swept(tmp: Path, experiment: str) -> Path:
    """The folder ``natosim sweep`` writes for ``experiment`` (a file's text) in ``tmp``."""
    from sim.cli.main import main

    (tmp / "exp.toml").write_text(experiment)
    assert main(["sweep", str(tmp / "exp.toml"), "--out", str(tmp / "out"), "--quiet"]) == 0
    return tmp / "out"


def test_a_sweeps_pairs_are_read_alone_and_sized_so(every_pair: Path, monkeypatch) -> None:
    """The figures need one or two of 112 pairs: only their rows are read, and counted."""
    whole = readers.trajectories(every_pair)
    pairs = [("RUS", "NATO"), ("POL", "RUS")]
    got = readers.trajectories(every_pair, pairs)
    mine = whole[
        ((whole.observer == "RUS") & (whole.target == "NATO"))
        | ((whole.observer == "POL") & (whole.target == "RUS"))
    ]
    pd.testing.assert_frame_equal(got.reset_index(drop=True), mine.reset_index(drop=True))
    recorded = readers.recorded_pairs(every_pair)
    assert len(recorded) == 112 and set(pairs) <= set(recorded)
    assert readers.recorded_pairs(every_pair.parent) == []  # no table there
    # sized by the share read: 2 of 112 pairs fit where the whole table would not
    size = (every_pair / "trajectories.parquet").stat().st_size
    whole_need = size * readers._TRAJECTORY_MEMORY_PER_BYTE
    monkeypatch.setattr(readers, "available_memory", lambda: whole_need / 10)
    assert len(readers.trajectories(every_pair, pairs)) == len(mine)
    with pytest.raises(InputError, match="too large to draw"):
        readers.trajectories(every_pair)


def test_a_pair_a_sweep_lacks_is_named_with_the_near_code(every_pair: Path, capsys) -> None:
    """Read for that pair the table is empty; the message still knows the sweep's codes."""
    from sim.cli.main import main

    assert main(["plot", str(every_pair), "--pair", "RUS:PLO", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.strip().endswith("has no trajectory of RUS -> PLO (did you mean 'POL'?)"), err
    assert main(["plot", str(every_pair), "--pair", "RUS:POL", "--quiet"]) == 0
    assert (every_pair / "trust_RUS_POL.png").exists()


def test_the_pair_filters_cover_exactly_the_pairs_asked_for(every_pair: Path) -> None:
    """Few clauses, each exact: any set of pairs reads the rows a mask picks."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from sim.results import pair_index

    whole = readers.trajectories(every_pair)
    recorded = readers.recorded_pairs(every_pair)

    @settings(max_examples=25, deadline=None)
    @given(st.lists(st.sampled_from(recorded), min_size=1, max_size=80, unique=True))
    def check(pairs: list[tuple[str, str]]) -> None:
        got = readers.trajectories(every_pair, pairs)
        mine = whole[pair_index.rows_of(whole, pairs)]
        pd.testing.assert_frame_equal(got.reset_index(drop=True), mine.reset_index(drop=True))
        assert len(readers._pair_filter(pairs)) <= len({o for o, _ in pairs})

    check()
    russia = [p for p in recorded if "RUS" in p and "NATO" not in p]
    assert len(russia) > 30 and len(readers._pair_filter(russia)) == 2  # the map's


@pytest.fixture(scope="module")
def two_scenarios(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every pair of two scenarios, one without Finland and Sweden: parts differ in pairs."""
    tmp = tmp_path_factory.mktemp("scc")
    (tmp / "excl.toml").write_text(
        'name = "excl"\nextends = "historical"\n[actors]\nexclude = ["FIN", "SWE"]\n'
    )
    return _swept(
        tmp,
        'name = "scc"\nscenarios = ["excl.toml", "historical"]\ndesign = "grid"\n'
        'replicates = 3\nseed = 2\ntrajectories = "all"\nchunk_size = 3\n',
    )


def test_pairs_only_a_later_part_records_are_read_and_known(two_scenarios: Path, capsys) -> None:
    """The first part (excl) lacks Finland: the map and the messages still find it."""
    from sim.cli.main import main
    from sim.results.plot_map import year_values

    assert ("FIN", "RUS") in readers.recorded_pairs(two_scenarios)
    traj = readers.trajectories(two_scenarios, involving="RUS")
    whole = readers.trajectories(two_scenarios)
    assert len(traj) == int(((whole.observer == "RUS") | (whole.target == "RUS")).sum())
    runs = readers.runs(two_scenarios)
    historical = traj[traj.replicate.isin(runs.run_id[runs.scenario == "historical"])]
    in_russia, of_russia = year_values(historical, 2010)
    assert "FIN" in in_russia and "SWE" in of_russia  # the map colours them
    assert main(["plot", str(two_scenarios), "--pair", "FNI:RUS", "--quiet"]) == 2
    assert "(did you mean 'FIN'?)" in capsys.readouterr().err
    # the trust chart shows the first scenario, which has no Finland: no empty chart
    assert main(["plot", str(two_scenarios), "--pair", "FIN:RUS"]) == 0
    out = capsys.readouterr()
    assert "no trust_FIN_RUS.png: excl, the first scenario" in out.err
    assert not (two_scenarios / "trust_FIN_RUS.png").exists()
    assert (two_scenarios / "fans_scenario_FIN_RUS.png").exists()


def test_damaged_code_columns_are_one_line_naming_the_file(sweep_copy, capsys) -> None:
    """Read through a filter, a missing or numeric observer column is still named."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from sim.cli.main import main

    table = pq.read_table(sweep_copy / "trajectories.parquet")
    at = table.schema.get_field_index("observer")
    cases = {
        "no column observer": table.drop(["observer"]),
        "column observer holds values that are not codes (text): int64": table.set_column(
            at, "observer", pa.array(range(table.num_rows))
        ),
    }
    for said, damaged in cases.items():
        pq.write_table(damaged, sweep_copy / "trajectories.parquet")
        for extra in ([], ["--map"]):
            assert main(["plot", str(sweep_copy), *extra, "--quiet"]) == 2
            err = capsys.readouterr().err
            assert err.count("\n") == 1 and "Traceback" not in err, err
            assert "trajectories.parquet: " in err and said in err, err


@pytest.fixture
def sweep_copy(every_pair: Path, tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copytree(every_pair, tmp_path / "copy"))
