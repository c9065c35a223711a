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
    "first_missing",
    "fsync_dir",
]

#: Suffix of the temporary files (never mistaken for results).
TMP_SUFFIX = ".tmp"


def first_missing(path: Path) -> Path | None:
    """The outermost folder of ``path`` that does not exist yet (None: ``path`` exists).

    What to remove, to leave nothing behind, if writing into ``path`` fails.
    """
    missing = None
    for p in (Path(path), *Path(path).parents):
        if p.exists() or p.is_symlink():
            break
        missing = p
    return missing


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


def _target_named(exc: OSError, path: Path) -> OSError:
    """The same error, naming the file the user asked for rather than our temporary."""
    if exc.filename is not None and Path(exc.filename).name.startswith(f".{path.name}."):
        return type(exc)(exc.errno, exc.strerror, str(path))
    return exc


def _mkstemp(path: Path) -> tuple[int, Path]:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            raise IsADirectoryError(21, "Is a directory", str(path))
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TMP_SUFFIX)
    except OSError as exc:
        raise _target_named(exc, path) from None
    _default_mode(fd)
    return fd, Path(tmp_name)


@contextlib.contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """Yield a temp path next to ``path``; on success fsync it and move it into place.

    An error of the file system (no space, no permission, a folder in the
    way) names ``path``, never the temporary file.
    """
    path = Path(path)
    fd, tmp = _mkstemp(path)
    os.close(fd)
    try:
        try:
            yield tmp
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            raise _target_named(exc, path) from None
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
            fd, tmp = _mkstemp(dest)
            staged.append((tmp, dest))
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
            except OSError as exc:
                raise _target_named(exc, dest) from None
        for i, (tmp, dest) in enumerate(staged):
            try:
                os.replace(tmp, dest)
            except OSError as exc:
                raise _target_named(exc, dest) from None
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
