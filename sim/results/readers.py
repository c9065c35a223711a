"""Readers of the folders written by ``natosim run`` and ``natosim sweep``.

They read files only (tables, manifest); nothing here runs a model. A run folder
holds ``trajectory.csv``, ``events.csv`` and ``manifest.json``; a sweep folder
``trajectories.parquet``, ``runs.parquet``, ``events.csv`` (the base scenario's
scheduled events and shocks) and ``manifest.json``.

A damaged folder is an :class:`~sim.files.errors.InputError` naming the file:
a table that is not CSV or Parquet, is empty, lacks a column the figures need
or holds text where numbers belong; a manifest that is not a JSON object or
lacks a key; a FIFO or device in a table's place; a table too large for the
memory available. The manifest is read by the one bounded reader
(:func:`sim.files.documents.read_json`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from sim.files.documents import read_json
from sim.files.errors import InputError, clip
from sim.files.reading import regular_file
from sim.files.resources import available_memory, human_bytes
from sim.results import pair_index

#: Why a folder has no ``events.csv`` (a sweep written before sweeps recorded them).
NO_EVENTS = (
    "{d}: no events.csv (written by an older natosim); the trust chart is drawn without "
    "events; run the sweep again to record them"
)


#: Memory of a table per byte of its file (measured: about 4 for CSV, 18 for Parquet).
_MEMORY_PER_BYTE = {".csv": 6, ".parquet": 30}
#: The same for a sweep's trajectories read with categories, figures drawn
#: (measured: 8.8, the peak of ``natosim plot`` on a sweep of a million runs).
_TRAJECTORY_MEMORY_PER_BYTE = 12
#: Columns the figures need, and which of them must be numbers.
TRAJECTORY_COLUMNS = ("replicate", "year", "observer", "target", "trust")
EVENT_COLUMNS = ("year", "actor", "action", "target", "origin")
SENSITIVITY_COLUMNS = ("outcome", "parameter", "method", "index", "value", "conf")
_NUMERIC = ("replicate", "year", "trust", "value", "conf")


def manifest(d: Path) -> dict[str, Any] | None:
    """The folder's ``manifest.json``, or None if it has none.

    Raises:
        InputError: If the manifest is not a JSON object (or not a regular file).
    """
    path = Path(d) / "manifest.json"
    if not path.exists():
        return None
    try:
        data = read_json(path)
    except InputError as exc:
        raise InputError(path, None, f"not a valid manifest ({exc.message})") from None
    if not isinstance(data, dict):
        raise InputError(path, None, "not a valid manifest (expected a JSON object)")
    return data


def name(d: Path) -> str:
    """The experiment's or scenario's name recorded in the folder (else its name)."""
    m = manifest(d)
    if m is None:
        return Path(d).name
    for key in ("experiment", "scenario"):
        part = m.get(key)
        if isinstance(part, dict) and isinstance(part.get("name"), str):
            return part["name"]
    return Path(d).name


def _named(v: Any) -> bool:
    return isinstance(v, str) or (isinstance(v, dict) and isinstance(v.get("name"), str))


def experiment(d: Path) -> dict[str, Any]:
    """The experiment a sweep folder's manifest records (its ``experiment`` table), checked.

    Its ``design`` is a name, its ``outcomes`` a non-empty list of names or
    tables with a ``name``, its ``levers`` and ``uncertainties`` lists of tables
    with a ``name``, its ``scenarios`` (if any) a list of names.

    Raises:
        InputError: Naming ``manifest.json`` and the key that is missing or wrong.
    """
    path = Path(d) / "manifest.json"
    exp = (manifest(d) or {}).get("experiment")
    if not isinstance(exp, dict):
        raise InputError(path, "experiment", "missing: not the manifest of a sweep")
    outcomes = exp.get("outcomes")
    if not (isinstance(outcomes, list) and outcomes and all(_named(o) for o in outcomes)):
        raise InputError(path, "experiment.outcomes", "missing or not a list of names")
    if not isinstance(exp.get("design"), str):
        raise InputError(path, "experiment.design", "missing or not a name")
    for key in ("levers", "uncertainties", "scenarios"):
        items = exp.get(key, [])
        if not isinstance(items, list):
            raise InputError(path, f"experiment.{key}", "not a list")
        for i, v in enumerate(items):
            if not (_named(v) and (key == "scenarios") == isinstance(v, str)):
                raise InputError(path, f"experiment.{key}[{i}]", "has no name")
    return exp


def _table(
    path: Path,
    reader: Callable[[Path], pd.DataFrame],
    columns: tuple[str, ...] = (),
    per_byte: float | None = None,
    share: Callable[[Path], float] | None = None,
) -> pd.DataFrame | None:
    """Read one table, or None if it does not exist; any damage is an InputError.

    ``per_byte`` is the memory the reading takes per byte of the file (default
    by its suffix, :data:`_MEMORY_PER_BYTE`): a table that would not fit in the
    memory available is refused before it is read; ``share`` gives the part of
    the file's rows that is read (default all).
    """
    if not path.exists() and not path.is_symlink():
        return None
    real, size = regular_file(path, "table")
    need = size * (per_byte or _MEMORY_PER_BYTE.get(path.suffix, 10))
    need *= share(real) if share is not None else 1.0
    memory = available_memory()
    if memory is not None and need > memory:
        raise InputError(
            path,
            None,
            f"too large to draw: about {human_bytes(need)} in memory, "
            f"{human_bytes(memory)} available",
        )
    kind = "Parquet" if path.suffix == ".parquet" else "CSV"
    try:
        df = reader(real)
    except (ValueError, TypeError, OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        # pandas' EmptyDataError and ParserError, pyarrow's ArrowInvalid are ValueErrors
        text = " ".join(str(exc).split()) or type(exc).__name__
        raise InputError(path, None, f"not a readable {kind} table ({clip(text, 160)})") from None
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(
            path, None, f"not a natosim table: no column {', '.join(missing)} ({kind})"
        )
    for c in columns:
        if c in _NUMERIC and not pd.api.types.is_numeric_dtype(df[c]):
            raise InputError(path, c, "holds values that are not numbers")
    return df


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path)


def trajectories(
    d: Path, pairs: Sequence[tuple[str, str]] | None = None, *, involving: str | None = None
) -> pd.DataFrame | None:
    """Trajectory table of a run (CSV) or sweep (Parquet) folder, or None.

    A sweep's ``run_id`` is named ``replicate``, as in a run's table, and its
    ``observer`` and ``target`` are read as categories: a sweep of a million runs
    has tens of millions of rows, which read five times faster so, in half the
    memory (they compare with a code as text columns do).

    Args:
        d: The folder.
        pairs: If given, a sweep's rows of these directed pairs only (a sweep of
            every pair holds 112; the figures need one or two). A run folder's
            table is read whole.
        involving: If given, a sweep's rows whose observer or target is this code.

    Raises:
        InputError: For a damaged table, one whose ``observer`` or ``target``
            holds no codes (text) included.
    """
    d = Path(d)
    if (d / "trajectory.csv").exists():
        return _table(d / "trajectory.csv", _csv, TRAJECTORY_COLUMNS)
    wanted = list(dict.fromkeys(pairs)) if pairs is not None else None
    if involving is not None:
        filters: list[list[tuple[str, str, Any]]] = [
            [("observer", "=", involving)],
            [("target", "=", involving)],
        ]
    else:
        filters = _pair_filter(wanted or ())

    def parquet(path: Path) -> pd.DataFrame:
        use = filters if filters and _filterable(path) else []  # else the column check says
        table = pq.read_table(  # pre-buffered, a filtered read held 2 GB of row groups
            path,
            read_dictionary=["observer", "target"],
            filters=use or None,
            pre_buffer=not use,
        )
        df = table.to_pandas(self_destruct=True, split_blocks=True)  # frees as it goes
        return df.rename(columns={"run_id": "replicate"})

    def share(path: Path) -> float:  # of the rows read: the first part's pairs tell
        if not filters:
            return 1.0
        found = set(_part_pairs(path, first_only=True))
        if involving is not None:
            return 1.0 if not found else max(sum(involving in p for p in found), 1) / len(found)
        return 1.0 if not found else max(len(found & set(wanted or ())), 1) / len(found)

    path = d / "trajectories.parquet"
    return _table(path, parquet, TRAJECTORY_COLUMNS, _TRAJECTORY_MEMORY_PER_BYTE, share)


def _filterable(path: Path) -> bool:
    """Whether rows can be picked by their codes: ``observer`` and ``target`` are there.

    Raises:
        ValueError: If one of them holds no text (a filter's comparison would fail
            inside pyarrow); the reader names the file.
    """
    import pyarrow as pa

    schema = pq.read_schema(path)
    if not {"observer", "target"} <= set(schema.names):
        return False
    for name in ("observer", "target"):
        kind = schema.field(name).type
        if pa.types.is_dictionary(kind):
            kind = kind.value_type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            raise ValueError(f"column {name} holds values that are not codes (text): {kind}")
    return True


def _pair_filter(pairs: Sequence[tuple[str, str]]) -> list[list[tuple[str, str, Any]]]:
    """Parquet filters of exactly the rows of ``pairs``, in few clauses.

    A clause per pair is slow to evaluate over hundreds of millions of rows (the
    map's 66 pairs with Russia took minutes). Each clause here is one code on
    one side with the codes it pairs with on the other, chosen greedily to cover
    the most pairs left: the 66 are two clauses (Russia's trust in the states,
    and theirs in Russia).
    """
    left = set(pairs)
    clauses: list[list[tuple[str, str, Any]]] = []
    while left:
        counts: dict[tuple[str, str], int] = {}
        for o, t in sorted(left):
            counts[("observer", o)] = counts.get(("observer", o), 0) + 1
            counts[("target", t)] = counts.get(("target", t), 0) + 1
        side, code = max(counts, key=lambda k: (counts[k], k[0] == "observer"))
        if side == "observer":
            got = sorted(t for o, t in left if o == code)
            clauses.append([("observer", "=", code), ("target", "in", got)])
            left -= {(code, t) for t in got}
        else:
            got = sorted(o for o, t in left if t == code)
            clauses.append([("target", "=", code), ("observer", "in", got)])
            left -= {(o, code) for o in got}
    return clauses


def _part_pairs(path: Path, *, first_only: bool = False) -> list[tuple[str, str]]:
    """The pairs of a sweep's stored parts (each records its own runs' pairs).

    ``first_only``: of the first part alone (a cheap sample; a sweep over several
    scenarios may record other pairs in later parts). Parts are read one at a
    time, their two code columns only; a damaged file gives what could be read.
    """
    found: dict[tuple[str, str], None] = {}
    try:
        pf = pq.ParquetFile(path)
        if not {"observer", "target"} <= set(pf.schema_arrow.names):
            return []  # the column check names it
        for i in range(min(pf.num_row_groups, 1) if first_only else pf.num_row_groups):
            part = pf.read_row_group(i, columns=["observer", "target"]).to_pandas()
            found.update(dict.fromkeys(pair_index.pairs(part)))
    except (ValueError, TypeError, OSError, IndexError, KeyError, NotImplementedError):
        pass  # the reading itself names the damage
    return list(found)


def recorded_pairs(d: Path) -> list[tuple[str, str]]:
    """The pairs a sweep folder records, from all its parts ([] for a run folder).

    What :func:`trajectories` read with ``pairs`` cannot tell: a pair asked for
    and missing, and the codes near a mistyped one.
    """
    path = Path(d) / "trajectories.parquet"
    if (Path(d) / "trajectory.csv").exists() or not path.is_file():
        return []
    return _part_pairs(path)


def sweep_trajectories(d: Path) -> pd.DataFrame | None:
    """A sweep's ``trajectories.parquet`` as written (``run_id``, to join ``runs.parquet``)."""
    columns = ("run_id", *TRAJECTORY_COLUMNS[1:])
    return _table(Path(d) / "trajectories.parquet", pd.read_parquet, columns)


def events(d: Path) -> pd.DataFrame | None:
    """The folder's ``events.csv`` (a run's events; a sweep's scheduled ones), or None."""
    return _table(Path(d) / "events.csv", _csv, EVENT_COLUMNS)


def runs(d: Path, columns: tuple[str, ...] = ()) -> pd.DataFrame | None:
    """A sweep's runs table (one row per run), or None.

    Args:
        d: The folder.
        columns: Columns it must have (e.g. the outcome and parameters to draw).
    """
    return _table(Path(d) / "runs.parquet", pd.read_parquet, columns)


def sensitivity(d: Path) -> pd.DataFrame | None:
    """A sweep's sensitivity indices, or None."""
    return _table(Path(d) / "sensitivity.csv", _csv, SENSITIVITY_COLUMNS)
