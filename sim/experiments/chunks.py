"""One chunk of a sweep: a vectorised batch of runs and its result tables.

This module is what pool and Dask workers import, so it stays light: numpy,
pyarrow and the model core, no pandas, SciPy or SALib.

A chunk of a sweep over several scenarios (``scenarios = [...]``) holds runs of
one or more of them: each scenario's runs go through the core as one batch,
and the tables are joined in run order (a run's numbers do not depend on the
batch it is in).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from sim.data.tables import HEADLINE
from sim.model.compile import Compiled, compile_scenario
from sim.model.outcomes import Outcome, compute
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
    outcomes: tuple[str | Outcome, ...]
    trajectories: str
    #: ``(name, scenario, digest, base parameters)`` of each scenario of a sweep
    #: over several; empty for a sweep of one (then ``scenario`` is used).
    scenario_set: tuple[tuple[str, dict[str, Any], str, dict[str, float]], ...] = ()
    #: Design points per scenario: point ``p`` is in scenario ``p // points_per_scenario``.
    points_per_scenario: int = 0
    #: Replicates per design point: run ``r`` is replicate ``r - point_id * replicates``.
    replicates: int = 1
    #: Worlds of a ``cross`` design (0 otherwise): numeric point ``q`` is policy
    #: ``q // worlds`` in world ``q % worlds``.
    worlds: int = 0


#: Compiled scenarios kept by a worker (a sweep over several scenarios keeps them all).
_COMPILED: dict[str, Compiled] = {}
_KEEP = 16


def _compiled(digest: str, scenario: dict[str, Any]) -> Compiled:
    comp = _COMPILED.get(digest)
    if comp is None:
        comp = compile_scenario(Scenario.model_validate(scenario))
        if len(_COMPILED) >= _KEEP:
            _COMPILED.clear()
        _COMPILED[digest] = comp
    return comp


def run_chunk(task: ChunkTask) -> tuple[int, pa.Table, pa.Table]:
    """Compute one chunk of runs (module level, so processes and Dask can call it).

    Args:
        task: The chunk description.

    Returns:
        ``(chunk_id, runs table, trajectories table)``.
    """
    if not task.scenario_set:
        comp = _compiled(task.scenario_digest, task.scenario)
        runs, traj = _batch(task, comp, task.base_params, np.arange(len(task.run_ids)), None)
        return task.chunk_id, runs, traj
    which = task.point_ids // task.points_per_scenario
    parts = []
    for s in dict.fromkeys(int(w) for w in which):  # in run order
        name, scenario, digest, base = task.scenario_set[s]
        comp = _compiled(digest, scenario)
        parts.append(_batch(task, comp, base, np.flatnonzero(which == s), name))
    runs = pa.concat_tables([r for r, _ in parts], promote_options="permissive")
    traj = pa.concat_tables([t for _, t in parts])
    return task.chunk_id, runs, traj


def _batch(
    task: ChunkTask,
    comp: Compiled,
    base_params: dict[str, float],
    rows: np.ndarray,
    scenario: str | None,
) -> tuple[pa.Table, pa.Table]:
    """The runs table and trajectories of the task's ``rows``, all of one scenario."""
    values = task.values[rows]
    param_sets = []
    for row in values:
        p = dict(base_params)
        p.update(zip(task.names, (float(v) for v in row), strict=True))
        param_sets.append(p)
    seeds = task.seeds[rows]
    arrays = run_arrays(comp, param_sets, [int(s) for s in seeds])
    outs = compute(comp, arrays.trust, task.outcomes, arrays.chosen)
    run_ids, point_ids = task.run_ids[rows], task.point_ids[rows]
    cols: dict[str, Any] = {
        "run_id": _numbers(run_ids, np.int64),
        "point_id": _numbers(point_ids, np.int64),
        "replicate": _numbers(run_ids - point_ids * task.replicates, np.int64),
    }
    if task.worlds:
        numeric = point_ids % task.points_per_scenario
        cols["policy_id"] = _numbers(numeric // task.worlds, np.int64)
        cols["world_id"] = _numbers(numeric % task.worlds, np.int64)
    cols["seed"] = _numbers(seeds, np.int64)
    if scenario is not None:
        cols["scenario"] = _strings([scenario], len(rows))
    for j, name in enumerate(task.names):
        cols[name] = _numbers(values[:, j], np.float64)
    for name, out in outs.items():
        cols[name] = _numbers(out, np.int64 if out.dtype.kind == "i" else np.float64)
    runs = pa.table(cols)
    traj = _trajectory_table(comp, task.trajectories, task.run_ids[rows], arrays.trust)
    return runs, traj


def _trajectory_table(
    comp: Compiled, which: str, run_ids: np.ndarray, trust: np.ndarray
) -> pa.Table:
    mask = comp.years >= comp.report_from
    years = comp.years[mask]
    if which == "none":
        pairs: list[tuple[str, str]] = []
    elif which == "headline":
        pairs = list(HEADLINE)
    else:
        pairs = list(comp.pairs)
    idx = [comp.pair_index[p] for p in pairs]
    n, t, p = len(run_ids), len(years), len(pairs)
    sub = trust[:, mask][:, :, idx] if idx else np.zeros((n, t, 0))
    return pa.table(
        {
            "run_id": _numbers(np.repeat(run_ids, t * p), np.int64),
            "year": _numbers(np.tile(np.repeat(years, p), n), np.int16),
            "observer": _strings([a for a, _ in pairs], n * t),
            "target": _strings([b for _, b in pairs], n * t),
            "trust": _numbers(sub.reshape(-1), np.float64),
        }
    )


# Columns are built from their buffers, which is fast and keeps workers light:
# ``pa.array`` on numpy arrays or Python lists imports pandas (if installed) to
# look for pandas objects, a quarter of a second of every worker's first chunk.
_ARROW = {np.int64: pa.int64(), np.int16: pa.int16(), np.float64: pa.float64()}


def _numbers(values: np.ndarray, dtype: type[np.int64 | np.int16 | np.float64]) -> pa.Array:
    """A numeric column, without nulls, of exactly ``values``.

    Raises:
        ValueError: If a value does not fit ``dtype``.
    """
    arr = np.ascontiguousarray(values, dtype=dtype)
    if arr.dtype.kind == "i" and not np.array_equal(arr, values):
        raise ValueError(f"values do not fit {arr.dtype}")
    return pa.Array.from_buffers(_ARROW[dtype], arr.size, [None, pa.py_buffer(arr)])


def _strings(labels: list[str], times: int) -> pa.Array:
    """A string column of ``labels`` repeated ``times`` times, without nulls.

    Raises:
        ValueError: If the text is too long for a ``string`` column.
    """
    data = [s.encode() for s in labels]
    sizes = np.tile(np.array([len(b) for b in data], np.int64), times)
    ends = np.cumsum(sizes)
    if ends.size and ends[-1] > np.iinfo(np.int32).max:
        raise ValueError("too much text for a string column")
    offsets = np.concatenate([[0], ends]).astype(np.int32)
    buffers = [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(data) * times)]
    return pa.Array.from_buffers(pa.string(), sizes.size, buffers)
