"""Atomic file writes: a reader sees the old file or the complete new one, never a part.

Every write goes to a temporary file (``.<name>.<random>.tmp``) in the
destination directory, is flushed and ``fsync``-ed, then ``os.replace``-d over
the target, after which the directory itself is ``fsync``-ed.
:func:`atomic_write_many` stages several files first and renames them only
when all are on disk, so a run's outputs appear together or not at all.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

__all__ = [
    "TMP_SUFFIX",
    "atomic_target",
    "atomic_write_bytes",
    "atomic_write_many",
    "atomic_write_text",
    "fsync_dir",
]

#: Suffix of the temporary files (never mistaken for results).
TMP_SUFFIX = ".tmp"


def fsync_dir(directory: Path) -> None:
    """Flush a directory entry to disk (no-op where unsupported, e.g. Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _default_mode(fd: int) -> None:
    """Give a temporary file the mode a plain ``open`` would (mkstemp uses 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    with contextlib.suppress(OSError):
        os.fchmod(fd, 0o666 & ~umask)


@contextlib.contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """Yield a temp path next to ``path``; on success fsync it and move it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TMP_SUFFIX)
    _default_mode(fd)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Atomically replace ``path`` with ``data``.

    The bytes go to a temporary file in the same directory, which is
    ``fsync``-ed and then renamed over ``path`` with ``os.replace``; the parent
    directory is created if needed and ``fsync``-ed afterwards.

    Args:
        path: Destination file.
        data: Complete new file contents.
    """
    with atomic_target(Path(path)) as tmp:
        tmp.write_bytes(data)


def atomic_write_many(files: Mapping[str | os.PathLike[str], bytes]) -> None:
    """Write several files all-or-nothing (as far as a file system allows).

    Every file is first written and ``fsync``-ed under a temporary name beside
    its destination; only when all of them are on disk are they renamed into
    place. If writing any of them fails, the temporary files are removed and
    no destination is touched.

    Args:
        files: Destination path to complete contents.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for dest, data in files.items():
            dest = Path(dest)
            if dest.is_dir():
                raise IsADirectoryError(21, "is a directory", str(dest))
            dest.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(
                dir=dest.parent, prefix=f".{dest.name}.", suffix=TMP_SUFFIX
            )
            staged.append((Path(tmp_name), dest))
            _default_mode(fd)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for i, (tmp, dest) in enumerate(staged):
            os.replace(tmp, dest)
            staged[i] = (dest, dest)  # renamed: nothing left to clean up
    except BaseException:
        for tmp, dest in staged:
            if tmp != dest:
                with contextlib.suppress(OSError):
                    tmp.unlink()
        raise
    for parent in {dest.parent for _, dest in staged}:
        fsync_dir(parent)


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Atomically replace ``path`` with ``text`` (see :func:`atomic_write_bytes`).

    Args:
        path: Destination file.
        text: Complete new file contents.
        encoding: Text encoding.
    """
    atomic_write_bytes(path, text.encode(encoding))
