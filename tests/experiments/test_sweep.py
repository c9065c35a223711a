"""Sweeps: identical results on every executor, resumable, re-runnable, clean errors."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import run
from sim.cli.main import main
from sim.experiments.schema import load_experiment
from sim.experiments.sweep import plan, run_chunk, sweep
from sim.model.outcomes import compute
from tests.paths import ROOT

EXPERIMENTS = sorted(
    p for p in (ROOT / "experiments").glob("*.toml") if "design" in tomllib.loads(p.read_text())
)

SMALL = """
name = "small"
scenario = "{scenario}"
design = "lhs"
n = {n}
replicates = 3
seed = 5
chunk_size = {chunk}
trajectories = "headline"

[[levers]]
name = "nrc_share"
low = 0.0
high = 1.0

[[uncertainties]]
name = "hostile_weight"
low = 0.2
high = 0.8
"""


def _write_exp(tmp_path: Path, n: int = 12, chunk: int = 7) -> Path:
    p = tmp_path / "small.toml"
    p.write_text(SMALL.format(scenario=ROOT / "scenarios" / "historical.toml", n=n, chunk=chunk))
    return p


def _sweep(exp_path: Path, out: Path, **kw) -> dict[str, Path]:
    loaded = load_experiment(exp_path)
    return sweep(plan(loaded.spec, loaded.scenario), out, progress=False, **kw)


@pytest.mark.parametrize("path", EXPERIMENTS, ids=lambda p: p.stem)
def test_every_experiment_file_plans_and_runs_a_chunk(path: Path):
    loaded = load_experiment(path)
    exp, pl = loaded.spec, plan(loaded.spec, loaded.scenario)
    assert pl.n_runs >= 1
    task = next(pl.tasks(set()))
    task = type(task)(
        **{
            **task.__dict__,
            "run_ids": task.run_ids[:4],
            "point_ids": task.point_ids[:4],
            "seeds": task.seeds[:4],
            "values": task.values[:4],
        }
    )
    _, runs, _traj = run_chunk(task)
    assert runs.num_rows == 4
    assert set(exp.outcomes) <= set(runs.column_names)


def test_required_experiments():
    names = {p.stem for p in EXPERIMENTS}
    assert {"levers_grid", "sobol", "historical_ensemble"} <= names
    exp = load_experiment(ROOT / "experiments" / "sobol.toml").spec
    assert len(exp.param_ranges()) >= 8
    assert exp.n == 1024


def test_serial_process_and_dask_are_identical(tmp_path: Path):
    from distributed import LocalCluster

    exp = _write_exp(tmp_path)
    a = _sweep(exp, tmp_path / "serial", workers=1)
    b = _sweep(exp, tmp_path / "procs", workers=2)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", host="127.0.0.1"
    ) as cluster:
        c = _sweep(exp, tmp_path / "dask", scheduler=cluster.scheduler_address)
    for name in ("runs", "trajectories"):
        assert a[name].read_bytes() == b[name].read_bytes() == c[name].read_bytes(), name
    runs = pd.read_parquet(a["runs"])
    assert len(runs) == 36 and runs.run_id.is_unique and runs.seed.is_unique


def test_rerun_of_one_row_reproduces_it(tmp_path: Path):
    exp = _write_exp(tmp_path)
    paths = _sweep(exp, tmp_path / "s", workers=1)
    runs = pd.read_parquet(paths["runs"])
    traj = pd.read_parquet(paths["trajectories"])
    row = runs.iloc[17]
    res = run(
        ROOT / "scenarios" / "historical.toml",
        seed=int(row.seed),
        nrc_share=float(row.nrc_share),
        hostile_weight=float(row.hostile_weight),
    )
    outs = compute(res.compiled, res.arrays.trust)
    for name, value in outs.items():
        assert value[0] == row[name], name
    mine = traj[(traj.run_id == row.run_id) & (traj.observer == "RUS")].trust.to_numpy()
    assert np.array_equal(mine, res.series("RUS", "NATO")[0])


def _interrupted(exp: Path, out: Path, parts=lambda tables: tables) -> None:
    """Sweep in-process until the fifth chunk's write raises; ``parts`` changes what is written."""
    import sim.experiments.sweep as sw

    calls = {"n": 0}
    real = sw.PartStore.write

    def failing(self, chunk_id, tables):
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt
        return real(self, chunk_id, parts(tables))

    sw.PartStore.write = failing
    try:
        with pytest.raises(KeyboardInterrupt):
            _sweep(exp, out, workers=1)
    finally:
        sw.PartStore.write = real


def test_interrupted_sweep_resumes_to_identical_files(tmp_path: Path):
    exp = _write_exp(tmp_path, n=40, chunk=3)
    full = _sweep(exp, tmp_path / "full", workers=1)

    # First interruption: an exception after a few chunks (in-process).
    _interrupted(exp, tmp_path / "part")
    assert not (tmp_path / "part" / "runs.parquet").exists()
    resumed = _sweep(exp, tmp_path / "part", workers=1)
    for name in ("runs", "trajectories"):
        assert resumed[name].read_bytes() == full[name].read_bytes()


def test_parts_of_an_earlier_version_are_computed_again(tmp_path: Path):
    """A resumed folder's parts without this version's columns do not leave them empty."""
    import pyarrow.parquet as pq

    exp = _write_exp(tmp_path, n=40, chunk=3)
    full = _sweep(exp, tmp_path / "full", workers=1)
    # as the version before the replicate column wrote its parts
    _interrupted(
        exp, tmp_path / "part", lambda t: {**t, "runs": t["runs"].drop_columns(["replicate"])}
    )
    parts = sorted((tmp_path / "part" / ".parts" / "runs").glob("*.parquet"))
    assert parts and all("replicate" not in pq.read_schema(p).names for p in parts)
    resumed = _sweep(exp, tmp_path / "part", workers=1)
    for name in ("runs", "trajectories"):
        assert resumed[name].read_bytes() == full[name].read_bytes()


def _start_and_wait_for_parts(cmd: list[str], parts: Path) -> subprocess.Popen:
    """Start a sweep in its own session; return once it has written 8 chunks (or ended)."""
    proc = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        if parts.exists() and len(list(parts.glob("*.parquet"))) >= 8:
            break
        if proc.poll() is not None:
            break
        time.sleep(0.02)
    return proc


def _sweep_cmd(exp: Path, out: Path, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "sim.cli",
        "sweep",
        str(exp),
        "--out",
        str(out),
        "--workers",
        str(workers),
        "--quiet",
    ]


@pytest.mark.parametrize("workers", [1, 2])
def test_kill_9_and_resume(tmp_path: Path, workers: int):
    exp = _write_exp(tmp_path, n=60, chunk=2)
    full = _sweep(exp, tmp_path / "full", workers=1)
    out = tmp_path / "killed"
    cmd = _sweep_cmd(exp, out, workers)
    parts = out / ".parts" / "runs"
    proc = _start_and_wait_for_parts(cmd, parts)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    n_done = len(list(parts.glob("*.parquet")))
    assert n_done >= 1 or (out / ".parts" / "finished.json").exists()
    finished = (out / ".parts" / "finished.json").exists()  # merged, parts being dropped
    assert not (out / "runs.parquet").exists() or n_done == 90 or finished
    assert subprocess.run(cmd, cwd=ROOT, check=False).returncode == 0
    for name in ("runs", "trajectories"):
        assert (out / f"{name}.parquet").read_bytes() == full[name].read_bytes()
    runs = pd.read_parquet(out / "runs.parquet")
    assert runs.run_id.tolist() == list(range(180))


def test_ctrl_c_of_a_process_sweep_stops_every_process_and_resumes(tmp_path: Path):
    import psutil

    exp = _write_exp(tmp_path, n=60, chunk=2)
    full = _sweep(exp, tmp_path / "full", workers=1)
    out = tmp_path / "interrupted"
    cmd = _sweep_cmd(exp, out, 2)
    proc = _start_and_wait_for_parts(cmd, out / ".parts" / "runs")
    session = [proc.pid] + [p.pid for p in psutil.Process(proc.pid).children(recursive=True)]
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    assert proc.wait(timeout=60) != 0 or (out / "runs.parquet").exists()
    _, alive = psutil.wait_procs([psutil.Process(p) for p in session if psutil.pid_exists(p)], 30)
    assert not alive
    assert subprocess.run(cmd, cwd=ROOT, check=False).returncode == 0
    for name in ("runs", "trajectories"):
        assert (out / f"{name}.parquet").read_bytes() == full[name].read_bytes()


def test_sobol_sweep_writes_sensitivity(tmp_path: Path):
    p = tmp_path / "sob.toml"
    p.write_text(
        f'name = "sob"\nscenario = "{ROOT / "scenarios" / "historical.toml"}"\n'
        'design = "sobol"\nn = 64\nreplicates = 1\nseed = 1\nresamples = 50\n'
        'outcomes = ["final_trust_rus_nato", "crises"]\n'
        '[[levers]]\nname = "nrc_share"\nlow = 0.0\nhigh = 1.0\n'
        '[[uncertainties]]\nname = "hostile_weight"\nlow = 0.2\nhigh = 0.8\n'
        '[[uncertainties]]\nname = "noise"\nlow = 0.0\nhigh = 0.2\n'
    )
    paths = _sweep(p, tmp_path / "o", workers=1)
    sens = pd.read_csv(paths["sensitivity"])
    st = sens[(sens["index"] == "ST") & (sens.outcome == "final_trust_rus_nato")].set_index(
        "parameter"
    )
    assert st.value["hostile_weight"] > st.value["noise"]
    assert main(["plot", str(tmp_path / "o"), "--quiet"]) == 0
    assert (tmp_path / "o" / "sensitivity_final_trust_rus_nato.png").exists()
    assert (tmp_path / "o" / "trust.png").exists()


def test_grid_heatmap_and_comparison_plots(tmp_path: Path):
    p = tmp_path / "g.toml"
    p.write_text(
        f'name = "g"\nscenario = "{ROOT / "scenarios" / "historical.toml"}"\n'
        'design = "grid"\nlevels = 3\nreplicates = 2\nseed = 1\n'
        '[[levers]]\nname = "nrc_share"\nlow = 0.0\nhigh = 1.0\n'
        '[[levers]]\nname = "sg_entrepreneurship"\nvalues = [0.0, 1.0]\n'
    )
    _sweep(p, tmp_path / "g", workers=1)
    assert (
        main(["run", "no_kosovo", "--replicates", "3", "--out", str(tmp_path / "r"), "--quiet"])
        == 0
    )
    assert (
        main(
            [
                "plot",
                str(tmp_path / "g"),
                str(tmp_path / "r"),
                "--format",
                "svg",
                "--out",
                str(tmp_path / "cmp.svg"),
                "--quiet",
            ]
        )
        == 0
    )
    assert (tmp_path / "cmp.svg").read_text().startswith("<?xml")
    assert not list((tmp_path / "g").glob("*.svg"))  # the comparison alone
    assert main(["plot", str(tmp_path / "g"), "--format", "svg", "--quiet"]) == 0
    assert (tmp_path / "g" / "heatmap_final_trust_rus_nato.svg").exists()


BAD_EXPERIMENTS = {
    "unknown_key": ('name = "x"\nscenario = "{s}"\ndesign = "grid"\nfoo = 1\n', "foo"),
    "bad_design": ('name = "x"\nscenario = "{s}"\ndesign = "magic"\n', "design"),
    "bad_param": (
        'name = "x"\nscenario = "{s}"\ndesign = "lhs"\n[[levers]]\nname = "warp"\nlow = 0\nhigh = 1\n',
        "levers[0]",
    ),
    "bad_range": (
        'name = "x"\nscenario = "{s}"\ndesign = "lhs"\n[[levers]]\nname = "nrc_share"\nlow = 0\nhigh = 5\n',
        "levers[0]",
    ),
    "missing_scenario": ('name = "x"\nscenario = "nope.toml"\ndesign = "grid"\n', "scenario"),
    "bad_outcome": (
        'name = "x"\nscenario = "{s}"\ndesign = "grid"\noutcomes = ["joy"]\n',
        "outcomes",
    ),
    "malformed": ('name = "x\n', None),
}


@pytest.mark.parametrize("name", sorted(BAD_EXPERIMENTS))
def test_bad_experiment_rejected(name: str, tmp_path: Path, capsys):
    text, field = BAD_EXPERIMENTS[name]
    p = tmp_path / f"{name}.toml"
    p.write_text(text.replace("{s}", str(ROOT / "scenarios" / "historical.toml")))
    out = tmp_path / "out"
    assert main(["sweep", str(p), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(p) in err
    if field:
        assert field in err
    assert not out.exists()


def test_sweep_refuses_a_directory_of_another_experiment(tmp_path: Path, capsys):
    exp = _write_exp(tmp_path)
    _sweep(exp, tmp_path / "o", workers=1)
    other = tmp_path / "other.toml"
    other.write_text(exp.read_text().replace("seed = 5", "seed = 6"))
    assert main(["sweep", str(other), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    assert "different experiment" in capsys.readouterr().err


def test_sensitivity_is_reproducible_with_seed_zero(tmp_path: Path):
    p = tmp_path / "s0.toml"
    p.write_text(
        f'name = "s0"\nscenario = "{ROOT / "scenarios" / "historical.toml"}"\n'
        'design = "sobol"\nn = 32\nreplicates = 1\nseed = 0\nresamples = 30\n'
        'outcomes = ["final_trust_rus_nato"]\n'
        '[[levers]]\nname = "nrc_share"\nlow = 0.0\nhigh = 1.0\n'
        '[[uncertainties]]\nname = "hostile_weight"\nlow = 0.2\nhigh = 0.8\n'
    )
    a = _sweep(p, tmp_path / "a", workers=1)
    b = _sweep(p, tmp_path / "b", workers=1)
    assert a["sensitivity"].read_bytes() == b["sensitivity"].read_bytes()


def test_plot_errors_are_clean(tmp_path: Path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["plot", str(empty), "--quiet"]) == 2
    assert "nothing to plot" in capsys.readouterr().err
    exp = _write_exp(tmp_path)
    _sweep(exp, tmp_path / "s", workers=1)
    assert main(["plot", str(tmp_path / "s"), "--outcome", "run_id", "--quiet"]) == 2
    assert "--outcome" in capsys.readouterr().err


def test_repeated_values_are_rejected(tmp_path: Path, capsys):
    p = tmp_path / "dup.toml"
    p.write_text(
        f'name = "dup"\nscenario = "{ROOT / "scenarios" / "historical.toml"}"\ndesign = "grid"\n'
        '[[levers]]\nname = "nrc_share"\nvalues = [0.5, 0.5]\n'
    )
    assert main(["sweep", str(p), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    assert "levers[0]" in capsys.readouterr().err


def test_a_plan_prints_as_one_line() -> None:
    pl = plan(load_experiment("levers_grid"))
    text = repr(pl)
    assert text == (
        f"<Plan 'levers_grid': {pl.n_points} points x {pl.experiment.replicates} replicates = "
        f"{pl.n_runs} runs, grid, {pl.scenario.name}>"
    )
    assert pl.n_runs == pl.n_points * pl.experiment.replicates
