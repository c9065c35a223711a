"""One chunk of a sweep: a vectorised batch of runs and its result tables.

This module is what pool and Dask workers import, so it stays light: numpy,
pyarrow and the model core, no pandas, SciPy or SALib.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from sim.data.tables import HEADLINE
from sim.model.compile import Compiled, compile_scenario
from sim.model.outcomes import compute
from sim.model.runner import run_arrays
from sim.model.scenario import Scenario


@dataclass(frozen=True)
class ChunkTask:
    """Everything a worker needs to compute one chunk (small and picklable)."""

    chunk_id: int
    scenario: dict[str, Any]
    scenario_digest: str
    run_ids: np.ndarray
    point_ids: np.ndarray
    seeds: np.ndarray
    names: tuple[str, ...]
    values: np.ndarray  # (n, len(names)) varied parameter values
    base_params: dict[str, float]
    outcomes: tuple[str, ...]
    trajectories: str


_COMPILED: dict[str, Compiled] = {}


def _compiled(task: ChunkTask) -> Compiled:
    comp = _COMPILED.get(task.scenario_digest)
    if comp is None:
        comp = compile_scenario(Scenario.model_validate(task.scenario))
        _COMPILED.clear()
        _COMPILED[task.scenario_digest] = comp
    return comp


def run_chunk(task: ChunkTask) -> tuple[int, pa.Table, pa.Table]:
    """Compute one chunk of runs (module level, so processes and Dask can call it).

    Args:
        task: The chunk description.

    Returns:
        ``(chunk_id, runs table, trajectories table)``.
    """
    comp = _compiled(task)
    param_sets = []
    for row in task.values:
        p = dict(task.base_params)
        p.update(zip(task.names, (float(v) for v in row), strict=True))
        param_sets.append(p)
    arrays = run_arrays(comp, param_sets, [int(s) for s in task.seeds])
    outs = compute(comp, arrays.trust)
    cols: dict[str, Any] = {
        "run_id": pa.array(task.run_ids, pa.int64()),
        "point_id": pa.array(task.point_ids, pa.int64()),
        "seed": pa.array(task.seeds, pa.int64()),
    }
    for j, name in enumerate(task.names):
        cols[name] = pa.array(task.values[:, j], pa.float64())
    for name in task.outcomes:
        cols[name] = pa.array(outs[name], pa.float64())
    runs = pa.table(cols)
    traj = _trajectory_table(comp, task, arrays.trust)
    return task.chunk_id, runs, traj


def _trajectory_table(comp: Compiled, task: ChunkTask, trust: np.ndarray) -> pa.Table:
    mask = comp.years >= comp.report_from
    years = comp.years[mask]
    if task.trajectories == "none":
        pairs: list[tuple[str, str]] = []
    elif task.trajectories == "headline":
        pairs = list(HEADLINE)
    else:
        pairs = list(comp.pairs)
    idx = [comp.pair_index[p] for p in pairs]
    n, t, p = len(task.run_ids), len(years), len(pairs)
    sub = trust[:, mask][:, :, idx] if idx else np.zeros((n, t, 0))
    return pa.table(
        {
            "run_id": pa.array(np.repeat(task.run_ids, t * p), pa.int64()),
            "year": pa.array(np.tile(np.repeat(years, p), n), pa.int16()),
            "observer": pa.array(np.tile([a for a, _ in pairs], n * t), pa.string()),
            "target": pa.array(np.tile([b for _, b in pairs], n * t), pa.string()),
            "trust": pa.array(sub.reshape(-1), pa.float64()),
        }
    )
