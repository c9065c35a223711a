"""Crash-safe, resumable Parquet part store for parameter sweeps.

A sweep is split into numbered *chunks*; each chunk produces one Arrow table
per registered *table name* (e.g. ``"runs"``, ``"timeseries"``).  Results are
persisted as one Parquet *part* per (table, chunk)::

    <directory>/.parts/<table>/<chunk_id:08d>.parquet

Crash safety rests on three rules:

1. Every file is written atomically: to a temporary file in the destination
   directory, flushed and ``fsync``-ed, then ``os.replace``-d over the target,
   after which the directory itself is ``fsync``-ed.  A reader therefore sees
   either the old file, the complete new file, or (before the first write)
   nothing.
2. The first registered table is the chunk's *marker*: it is written last
   (and removed first when a chunk is rewritten), so a chunk counts as
   :meth:`PartStore.completed` only once all of its parts are durable.
3. Temporary files (``.<name>.<random>.tmp``) left behind by a crash are
   never mistaken for parts and are deleted when a store is opened; only the
   store's own (``<name>`` a part or a finalized table of the store), never
   another ``*.tmp`` file that happens to sit in the folder.

The store also keeps an *identity* (``.parts/identity.json``: whatever the
caller says identifies the work, e.g. digests of a sweep's experiment and
scenario), so parts are never resumed into different work even when the
folder's other files are gone (:meth:`PartStore.stored_identity`,
:meth:`PartStore.claim`).

:meth:`PartStore.finalize` then streams the parts of all completed chunks, in
chunk-id order, into ``<directory>/<table>.parquet``, one row group per part,
holding at most one part in memory.  The output depends only on the parts'
contents, never on the order in which chunks were written.

Once merged, the parts may be dropped (:meth:`PartStore.compact`): a marker
(``.parts/finished.json``) is written first, so a store that was killed while
dropping them still counts as merged (:meth:`PartStore.is_finished`) and the
merged files are not computed again.

The store assumes a single writer process (the sweep driver); workers return
Arrow tables to the driver rather than writing parts themselves.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from sim.files.atomic import TMP_SUFFIX, atomic_target, atomic_write_text, fsync_dir
from sim.files.documents import read_json
from sim.files.errors import InputError

__all__ = ["PARQUET_COMPRESSION", "PartStore"]

#: Compression codec of parts and finalized files (fixed for reproducibility).
PARQUET_COMPRESSION = "zstd"

_PART_RE = re.compile(r"^(\d{8,})\.parquet$")
#: A temporary file of a part (``.00000007.parquet.k2j4x_9q.tmp``, see sim.files.atomic).
_PART_TMP_RE = re.compile(r"^\.\d{8,}\.parquet\.[A-Za-z0-9_]+" + re.escape(TMP_SUFFIX) + "$")
#: File of the store's identity, in ``.parts/``.
IDENTITY_FILE = "identity.json"
#: Name of the marker that every chunk was merged and the parts dropped.
FINISHED_FILE = "finished.json"
_TABLE_NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


def _write_parquet_atomic(path: Path, table: pa.Table) -> None:
    with atomic_target(path) as tmp:
        pq.write_table(
            table,
            tmp,
            compression=PARQUET_COMPRESSION,
            row_group_size=max(table.num_rows, 1),
        )


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """Reorder/cast ``table`` to ``schema``, adding all-null columns it lacks."""
    columns = []
    for field in schema:
        idx = table.schema.get_field_index(field.name)
        if idx < 0:
            columns.append(pa.nulls(table.num_rows, type=field.type))
        else:
            columns.append(table.column(idx).cast(field.type))
    return pa.Table.from_arrays(columns, schema=schema)


class PartStore:
    """Resumable per-chunk Parquet parts plus a streaming finalizer.

    Args:
        directory: Sweep output directory (created if missing).
        tables: Registered table names, at least one.  The first is the
            chunk marker, written last.

    Raises:
        ValueError: If ``tables`` is empty, has duplicates, or a name is not a
            plain file-name token (letters, digits, ``_ . -``).

    Example:
        >>> import tempfile, pyarrow as pa
        >>> d = tempfile.mkdtemp()
        >>> store = PartStore(d, tables=["runs", "series"])
        >>> store.write(0, {"runs": pa.table({"x": [1]}), "series": pa.table({"t": [0]})})
        >>> store.completed()
        {0}
        >>> sorted(store.finalize())
        ['runs', 'series']
    """

    def __init__(self, directory: str | os.PathLike[str], tables: Sequence[str]) -> None:
        names = list(tables)
        if not names:
            raise ValueError("PartStore needs at least one table name")
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate table names: {names}")
        for name in names:
            if not isinstance(name, str) or not _TABLE_NAME_RE.match(name):
                raise ValueError(f"invalid table name {name!r}")
        self.directory = Path(directory)
        self.tables: tuple[str, ...] = tuple(names)
        self.parts_dir = self.directory / ".parts"
        for name in self.tables:
            (self.parts_dir / name).mkdir(parents=True, exist_ok=True)
        self.cleanup_temp_files()

    @property
    def marker(self) -> str:
        """Name of the marker table (the first registered table)."""
        return self.tables[0]

    def part_path(self, table: str, chunk_id: int) -> Path:
        """Return the path of the part of ``table`` for ``chunk_id``.

        Raises:
            ValueError: For an unregistered table or a negative chunk id.
        """
        if table not in self.tables:
            raise ValueError(f"unknown table {table!r}; registered: {list(self.tables)}")
        if isinstance(chunk_id, bool) or not isinstance(chunk_id, int) or chunk_id < 0:
            raise ValueError(f"chunk_id must be a non-negative int, got {chunk_id!r}")
        return self.part_in(self.directory, table, chunk_id)

    def _own_temporary(self, directory: Path, name: str) -> bool:
        """Whether ``name`` in ``directory`` is a temporary file this store writes."""
        if directory == self.directory:
            return any(
                re.fullmatch(
                    re.escape(f".{t}.parquet.") + r"[A-Za-z0-9_]+" + re.escape(TMP_SUFFIX), name
                )
                for t in self.tables
            )
        return _PART_TMP_RE.match(name) is not None

    def cleanup_temp_files(self) -> list[Path]:
        """Delete the temporary files of this store's own interrupted writes.

        Those are ``.<part>.<random>.tmp`` in ``.parts/<table>/`` and
        ``.<table>.parquet.<random>.tmp`` in the folder; any other file, even
        one called ``*.tmp``, is left alone. Only call this while no write is
        in progress (it runs on construction).

        Returns:
            The paths that were removed.
        """
        removed: list[Path] = []
        dirs = [self.directory, *(self.parts_dir / t for t in self.tables)]
        for d in dirs:
            if not d.is_dir():
                continue
            for p in d.iterdir():
                if self._own_temporary(d, p.name) and p.is_file() and not p.is_symlink():
                    with contextlib.suppress(FileNotFoundError):
                        p.unlink()
                        removed.append(p)
        return removed

    @staticmethod
    def stored_identity(directory: str | os.PathLike[str]) -> dict[str, object] | None:
        """The identity recorded with a folder's parts (None if there is none).

        Raises:
            InputError: If the identity file is damaged.
        """
        path = Path(directory) / ".parts" / IDENTITY_FILE
        if not os.path.lexists(path):
            return None
        data = read_json(path, "part store identity")
        if not isinstance(data, dict):
            raise InputError(path, None, "not a part store identity (expected a JSON object)")
        return data

    @staticmethod
    def has_parts(directory: str | os.PathLike[str]) -> bool:
        """Whether a folder holds any part file, of any table."""
        parts = Path(directory) / ".parts"
        if not parts.is_dir():
            return False
        return any(
            _PART_RE.match(p.name) for d in parts.iterdir() if d.is_dir() for p in d.iterdir()
        )

    @staticmethod
    def is_finished(directory: str | os.PathLike[str]) -> bool:
        """Whether the folder's parts were merged and dropped (:meth:`compact`)."""
        return (Path(directory) / ".parts" / FINISHED_FILE).is_file()

    def compact(self, n_chunks: int) -> None:
        """Drop the parts once merged: the finalized files hold every row.

        The marker is written before the first part goes, so a store killed
        half-way still counts as merged (and the rest goes on the next call).

        Args:
            n_chunks: The number of chunks merged (recorded in the marker).
        """
        text = json.dumps({"merged_chunks": int(n_chunks)}) + "\n"
        atomic_write_text(self.parts_dir / FINISHED_FILE, text)
        for name in reversed(self.tables):  # the marker table last, as a chunk is removed
            d = self.parts_dir / name
            if not d.is_dir():
                continue
            for p in d.iterdir():
                if _PART_RE.match(p.name) and p.is_file() and not p.is_symlink():
                    with contextlib.suppress(FileNotFoundError):
                        p.unlink()

    def reopen(self) -> None:
        """Forget a merge whose files are gone: the chunks are computed again."""
        with contextlib.suppress(FileNotFoundError):
            (self.parts_dir / FINISHED_FILE).unlink()

    def claim(self, identity: Mapping[str, object]) -> None:
        """Record what the parts belong to (``.parts/identity.json``), once.

        Raises:
            ValueError: If the store already holds another identity.
        """
        stored = self.stored_identity(self.directory)
        if stored is not None and stored != dict(identity):
            raise ValueError(f"{self.parts_dir} belongs to other work: {stored}")
        if stored is None:
            text = json.dumps(dict(identity), indent=2, sort_keys=True) + "\n"
            atomic_write_text(self.parts_dir / IDENTITY_FILE, text)

    @staticmethod
    def completed_in(directory: str | os.PathLike[str], tables: Sequence[str]) -> set[int]:
        """The chunk ids whose parts a folder holds for every table (creating nothing)."""
        ids: set[int] | None = None
        for name in tables:
            d = Path(directory) / ".parts" / name
            found = (
                {int(m.group(1)) for p in d.iterdir() if (m := _PART_RE.match(p.name))}
                if d.is_dir()
                else set()
            )
            ids = found if ids is None else ids & found
        return ids or set()

    @staticmethod
    def part_in(directory: str | os.PathLike[str], table: str, chunk_id: int) -> Path:
        """The path of a chunk's part of ``table`` in a folder (creating nothing)."""
        return Path(directory) / ".parts" / table / f"{chunk_id:08d}.parquet"

    def completed(self) -> set[int]:
        """Return the chunk ids whose parts exist for every registered table."""
        return self.completed_in(self.directory, self.tables)

    def write(self, chunk_id: int, tables: Mapping[str, pa.Table]) -> None:
        """Durably store all tables of one chunk.

        Non-marker tables are written first (in registration order), the
        marker last.  Rewriting an existing chunk first removes its marker, so
        the chunk is never reported complete while it is a mix of old and new
        parts.

        Args:
            chunk_id: Non-negative chunk number.
            tables: Exactly one ``pyarrow.Table`` per registered table name.

        Raises:
            ValueError: If table names are missing or unknown, or a value is
                not a ``pyarrow.Table``.
        """
        missing = [t for t in self.tables if t not in tables]
        extra = [t for t in tables if t not in self.tables]
        if missing or extra:
            raise ValueError(
                f"chunk {chunk_id}: tables must be exactly {list(self.tables)} "
                f"(missing {missing}, unexpected {extra})"
            )
        for name in self.tables:
            if not isinstance(tables[name], pa.Table):
                raise ValueError(
                    f"chunk {chunk_id}: table {name!r} must be a pyarrow.Table, "
                    f"got {type(tables[name]).__name__}"
                )
        marker_path = self.part_path(self.marker, chunk_id)
        if marker_path.exists():
            marker_path.unlink()
            fsync_dir(marker_path.parent)
        for name in (*self.tables[1:], self.marker):
            _write_parquet_atomic(self.part_path(name, chunk_id), tables[name])

    def read_part(self, table: str, chunk_id: int) -> pa.Table:
        """Read one part back.

        Raises:
            FileNotFoundError: If the part does not exist.
        """
        return pq.ParquetFile(self.part_path(table, chunk_id)).read()

    def _unified_schema(self, paths: Iterable[Path]) -> pa.Schema:
        schemas = [pq.read_schema(p) for p in paths]
        try:
            unified = pa.unify_schemas(
                [s.remove_metadata() for s in schemas], promote_options="permissive"
            )
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise ValueError(f"parts have incompatible schemas: {exc}") from exc
        # Keep schema-level metadata (e.g. pandas) only if every part agrees.
        metas = {tuple(sorted((s.metadata or {}).items())) for s in schemas}
        if len(metas) == 1:
            (meta,) = metas
            if meta:
                unified = unified.with_metadata(dict(meta))
        return unified

    def finalize(self, sort_key: str | None = None) -> dict[str, Path]:
        """Merge the parts of all completed chunks into one file per table.

        Parts are streamed in ascending chunk-id order into
        ``<directory>/<table>.parquet`` with a ``pyarrow.parquet.ParquetWriter``
        (one row group per part, so memory is bounded by the largest part);
        the file is written to a temporary name and renamed into place.
        Partially written chunks (no marker) are skipped.  All parts of a
        table are conformed to one schema: the permissive union of the parts'
        schemas (columns in first-seen order, types promoted, missing columns
        filled with nulls; schema metadata kept only if identical across
        parts).  The result is byte-identical for identical part contents,
        whatever order the chunks were written in, and calling ``finalize``
        again simply rewrites the same bytes.

        Args:
            sort_key: Optional column; each part of every table that has this
                column is stably sorted by it before being appended (so, if
                chunks cover increasing key ranges, the output is globally
                sorted).

        Returns:
            Mapping from table name to the finalized file path.

        Raises:
            ValueError: If there is no completed chunk, ``sort_key`` is in no
                table, or parts have incompatible schemas.
        """
        chunk_ids = sorted(self.completed())
        if not chunk_ids:
            raise ValueError(
                f"nothing to finalize: no completed chunks in {self.parts_dir} "
                f"(tables {list(self.tables)})"
            )
        schemas = {
            name: self._unified_schema(self.part_path(name, c) for c in chunk_ids)
            for name in self.tables
        }
        if sort_key is not None and not any(sort_key in s.names for s in schemas.values()):
            raise ValueError(f"sort_key {sort_key!r} is not a column of any table")

        out: dict[str, Path] = {}
        for name in self.tables:
            schema = schemas[name]
            target = self.directory / f"{name}.parquet"
            with (
                atomic_target(target) as tmp,
                pq.ParquetWriter(tmp, schema, compression=PARQUET_COMPRESSION) as writer,
            ):
                for chunk_id in chunk_ids:
                    part = _conform(self.read_part(name, chunk_id), schema)
                    if sort_key is not None and sort_key in schema.names:
                        part = part.sort_by([(sort_key, "ascending")])
                    writer.write_table(part, row_group_size=max(part.num_rows, 1))
                    del part
            out[name] = target
        return out
