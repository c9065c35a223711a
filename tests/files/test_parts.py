import hashlib
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sim.files.atomic import atomic_write_bytes, atomic_write_text
from sim.files.parts import PartStore

TABLES = ("runs", "series")


def chunk_tables(chunk_id: int, rows: int = 50) -> dict[str, pa.Table]:
    rng = np.random.default_rng(np.random.SeedSequence(123, spawn_key=(chunk_id,)))
    run_ids = np.arange(chunk_id * rows, (chunk_id + 1) * rows, dtype=np.int64)
    runs = pa.table(
        {
            "run_id": run_ids,
            "trust": rng.random(rows),
            "label": [f"c{chunk_id}-{i}" for i in range(rows)],
        }
    )
    series = pa.table(
        {
            "run_id": np.repeat(run_ids, 3),
            "t": np.tile(np.arange(3, dtype=np.int32), rows),
            "value": rng.standard_normal(rows * 3),
        }
    )
    return {"runs": runs, "series": series}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_layout_and_completed(tmp_path):
    store = PartStore(tmp_path, TABLES)
    assert store.completed() == set()
    store.write(7, chunk_tables(7))
    assert store.completed() == {7}
    assert (tmp_path / ".parts" / "runs" / "00000007.parquet").is_file()
    assert (tmp_path / ".parts" / "series" / "00000007.parquet").is_file()
    assert store.read_part("runs", 7).equals(chunk_tables(7)["runs"])
    # A fresh store on the same directory resumes.
    assert PartStore(tmp_path, TABLES).completed() == {7}


def test_finalize_independent_of_write_order(tmp_path):
    digests = []
    for order in ([1, 2, 3], [3, 1, 2], [2, 3, 1]):
        d = tmp_path / "-".join(map(str, order))
        store = PartStore(d, TABLES)
        for c in order:
            store.write(c, chunk_tables(c))
        paths = store.finalize()
        assert set(paths) == set(TABLES)
        digests.append({t: digest(p) for t, p in paths.items()})
    assert digests[0] == digests[1] == digests[2]


def test_finalize_content_row_groups_and_idempotence(tmp_path):
    store = PartStore(tmp_path, TABLES)
    for c in (2, 0, 1):
        store.write(c, chunk_tables(c))
    paths = store.finalize()
    first = {t: digest(p) for t, p in paths.items()}
    assert {t: digest(p) for t, p in store.finalize().items()} == first

    pf = pq.ParquetFile(paths["runs"])
    assert pf.metadata.num_row_groups == 3
    assert pf.metadata.row_group(0).column(0).compression == "ZSTD"
    runs = pf.read()
    expected = pa.concat_tables([chunk_tables(c)["runs"] for c in (0, 1, 2)])
    assert runs.equals(expected)
    series = pq.read_table(paths["series"])
    assert series.num_rows == 3 * 150
    assert series.column("run_id").to_pylist() == sorted(series.column("run_id").to_pylist())
    # No temp files left behind.
    assert not list(tmp_path.rglob("*.tmp"))


def test_finalize_sort_key_sorts_within_parts(tmp_path):
    store = PartStore(tmp_path, TABLES)
    for c in (0, 1):
        t = chunk_tables(c)
        # Reverse row order inside each part.
        store.write(c, {k: v.take(np.arange(v.num_rows)[::-1]) for k, v in t.items()})
    paths = store.finalize(sort_key="run_id")
    ids = pq.read_table(paths["runs"]).column("run_id").to_pylist()
    assert ids == sorted(ids)
    with pytest.raises(ValueError, match="sort_key 'nope'"):
        store.finalize(sort_key="nope")


def test_stray_temp_files_are_ignored_and_cleaned(tmp_path):
    store = PartStore(tmp_path, TABLES)
    store.write(0, chunk_tables(0))
    stray_part = tmp_path / ".parts" / "runs" / ".00000001.parquet.abc123.tmp"
    stray_part.write_bytes(b"half a parquet file")
    stray_series = tmp_path / ".parts" / "series" / ".00000001.parquet.xyz.tmp"
    stray_series.write_bytes(b"garbage")
    stray_final = tmp_path / ".runs.parquet.q1w2.tmp"
    stray_final.write_bytes(b"garbage")
    # An unrelated file is never treated as a part.
    (tmp_path / ".parts" / "runs" / "notes.txt").write_text("hi")

    assert store.completed() == {0}  # ignored while present
    reopened = PartStore(tmp_path, TABLES)  # cleaned on start
    assert not stray_part.exists()
    assert not stray_series.exists()
    assert not stray_final.exists()
    assert (tmp_path / ".parts" / "runs" / "notes.txt").exists()
    assert reopened.completed() == {0}
    assert pq.read_table(reopened.finalize()["runs"]).num_rows == 50


def test_chunk_without_marker_is_not_completed(tmp_path):
    store = PartStore(tmp_path, TABLES)
    store.write(0, chunk_tables(0))
    store.write(1, chunk_tables(1))
    # Simulate a crash after the non-marker table of chunk 1 was written.
    os.remove(store.part_path("runs", 1))
    assert store.marker == "runs"
    assert store.completed() == {0}
    # Finalize only includes completed chunks.
    assert pq.read_table(store.finalize()["series"]).num_rows == 150
    # Re-running the chunk completes it.
    store.write(1, chunk_tables(1))
    assert store.completed() == {0, 1}


def test_marker_written_last(tmp_path, monkeypatch):
    import sim.files.parts as mod

    order: list[str] = []
    real = mod._write_parquet_atomic

    def spy(path, table):
        order.append(path.parent.name)
        real(path, table)

    monkeypatch.setattr(mod, "_write_parquet_atomic", spy)
    store = PartStore(tmp_path, ("marker", "a", "b"))
    store.write(0, {"a": pa.table({"x": [1]}), "marker": pa.table({"x": [1]}), "b": pa.table({})})
    assert order == ["a", "b", "marker"]


def test_rewrite_removes_marker_first(tmp_path, monkeypatch):
    import sim.files.parts as mod

    store = PartStore(tmp_path, TABLES)
    store.write(0, chunk_tables(0))

    def boom(path, table):
        raise OSError("disk full")

    monkeypatch.setattr(mod, "_write_parquet_atomic", boom)
    with pytest.raises(OSError, match="disk full"):
        store.write(0, chunk_tables(0))
    assert store.completed() == set()


def test_finalize_without_parts_raises(tmp_path):
    store = PartStore(tmp_path, TABLES)
    with pytest.raises(ValueError, match="no completed chunks"):
        store.finalize()


def test_write_validates_tables(tmp_path):
    store = PartStore(tmp_path, TABLES)
    with pytest.raises(ValueError, match="missing \\['series'\\]"):
        store.write(0, {"runs": pa.table({"x": [1]})})
    with pytest.raises(ValueError, match="unexpected \\['extra'\\]"):
        store.write(0, {**chunk_tables(0), "extra": pa.table({"x": [1]})})
    with pytest.raises(ValueError, match=r"must be a pyarrow\.Table"):
        store.write(0, {"runs": pd.DataFrame({"x": [1]}), "series": pa.table({"x": [1]})})
    with pytest.raises(ValueError, match="non-negative"):
        store.write(-1, chunk_tables(0))
    with pytest.raises(ValueError, match="at least one"):
        PartStore(tmp_path, [])
    with pytest.raises(ValueError, match="invalid table name"):
        PartStore(tmp_path, ["../evil"])


def test_schema_is_unified_across_parts(tmp_path):
    store = PartStore(tmp_path, ["runs"])
    # Chunk 0: an all-null column (null type) and int32; chunk 1: real values, int64,
    # and an extra column; both from pandas with differing index metadata.
    t0 = pa.Table.from_pandas(
        pd.DataFrame({"a": np.array([1, 2], dtype=np.int32), "n": [None] * 2})
    )
    t1 = pa.Table.from_pandas(
        pd.DataFrame({"a": np.array([3], dtype=np.int64), "n": ["x"], "extra": [1.5]}, index=[5])
    )
    store.write(1, {"runs": t1})
    store.write(0, {"runs": t0})
    out = pq.read_table(store.finalize()["runs"])
    assert out.schema.field("a").type == pa.int64()
    n_type = out.schema.field("n").type
    assert pa.types.is_string(n_type) or pa.types.is_large_string(n_type)
    assert out.column("a").to_pylist() == [1, 2, 3]
    assert out.column("n").to_pylist() == [None, None, "x"]
    assert out.column("extra").to_pylist() == [None, None, 1.5]


def test_incompatible_schemas_raise(tmp_path):
    store = PartStore(tmp_path, ["runs"])
    store.write(0, {"runs": pa.table({"a": [1]})})
    store.write(1, {"runs": pa.table({"a": pa.array([[1]], type=pa.list_(pa.int64()))})})
    with pytest.raises(ValueError, match="incompatible schemas"):
        store.finalize()


def test_atomic_write_helpers(tmp_path):
    target = tmp_path / "sub" / "manifest.json"
    atomic_write_text(target, '{"a": 1}')
    assert target.read_text() == '{"a": 1}'
    atomic_write_bytes(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in target.parent.iterdir()) == ["manifest.json"]


def test_atomic_write_failure_keeps_old_file(tmp_path, monkeypatch):
    target = tmp_path / "manifest.json"
    atomic_write_text(target, "old")

    def fail(src, dst):
        raise OSError("rename failed")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="rename failed"):
        atomic_write_text(target, "new")
    monkeypatch.undo()
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]
