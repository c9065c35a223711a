"""A chunk's Arrow columns: the values given, and no pandas in the worker that builds them."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as stn

from sim.experiments import chunks
from sim.experiments.schema import load_experiment
from sim.experiments.sweep import plan
from tests.paths import ROOT


@given(
    labels=stn.lists(stn.text(max_size=6), max_size=5),
    times=stn.integers(min_value=0, max_value=7),
)
def test_a_string_column_holds_the_labels_repeated(labels: list[str], times: int) -> None:
    col = chunks._strings(labels, times)
    assert col.type == pa.string()
    assert col.null_count == 0
    assert col.to_pylist() == labels * times
    assert col.equals(pa.array(labels * times, pa.string()))


@pytest.mark.parametrize(
    ("values", "dtype"),
    [
        (np.array([3, -1, 2**40], np.int64), np.int64),
        (np.array([1991, 2012]), np.int16),
        (np.array([0.5, np.nan, -0.0, np.inf]), np.float64),
        (np.arange(12.0).reshape(3, 4)[:, 1], np.float64),  # not contiguous
    ],
)
def test_a_number_column_holds_exactly_the_values(values: np.ndarray, dtype: type) -> None:
    col = chunks._numbers(values, dtype)
    ref = pa.array(values, chunks._ARROW[dtype])
    assert col.type == ref.type
    assert col.null_count == ref.null_count == 0
    assert col.to_numpy().tobytes() == ref.to_numpy().tobytes()  # NaN and -0.0 bit for bit


def test_a_number_column_refuses_values_that_do_not_fit() -> None:
    with pytest.raises(ValueError, match="do not fit"):
        chunks._numbers(np.array([40000]), np.int16)


def test_a_worker_computes_a_chunk_without_importing_pandas(tmp_path: Path) -> None:
    exp = tmp_path / "ensemble.toml"
    exp.write_text(
        f'name = "e"\nscenario = "{ROOT / "scenarios" / "historical.toml"}"\n'
        'design = "grid"\nreplicates = 3\nseed = 1\n'
    )
    loaded = load_experiment(exp, "sweep")
    task = next(plan(loaded.spec, loaded.scenario).tasks(set()))
    (tmp_path / "task.pkl").write_bytes(pickle.dumps(task))
    code = (
        "import pickle, sys\n"
        "from sim.experiments.chunks import run_chunk\n"
        f"_, runs, traj = run_chunk(pickle.loads(open({str(tmp_path / 'task.pkl')!r}, 'rb').read()))\n"
        "print(runs.num_rows, traj.num_rows, 'pandas' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["3", str(3 * 22 * 2), "False"]
