"""Reading an input file's bytes safely: regular files only, bounded, symlinks checked.

:func:`read_bytes` is the only way natosim reads a file it did not just write:
the path is resolved (a symbolic link loop or a dangling link is an error, not
a hang or a traceback), the file is opened without blocking (a FIFO never
hangs the reader) and must be a regular file (never ``/dev/zero``, a device or
a socket) no larger than the given limit; at most ``limit + 1`` bytes are ever
read, so a file that grows while it is read is refused too.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from sim.files.errors import InputError

__all__ = ["read_bytes", "regular_file", "resolve_path"]

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def resolve_path(path: str | os.PathLike[str]) -> Path:
    """The absolute path a file name stands for, symbolic links followed.

    Args:
        path: A file name.

    Returns:
        The resolved, existing path.

    Raises:
        InputError: For a symbolic link loop, a link to nothing, a missing file
            or a name the system refuses (too long, not a folder on the way).
    """
    try:
        return Path(os.path.realpath(path, strict=True))
    except OSError as exc:
        raise InputError(path, None, _why(exc, Path(path))) from None
    except ValueError:  # an embedded NUL character
        raise InputError(path, None, "a file name cannot contain a NUL character") from None


def _why(exc: OSError, path: Path) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop (a link that leads back to itself)"
    if exc.errno == errno.ENOENT and path.is_symlink():
        return f"symbolic link to a missing file ({os.readlink(path)})"
    if exc.errno == errno.ENOENT:
        return "file not found"
    return f"cannot read: {exc.strerror or exc}"


def read_bytes(path: str | os.PathLike[str], limit: int, what: str = "input") -> bytes:
    """Read a whole regular file of at most ``limit`` bytes.

    Args:
        path: The file.
        limit: Largest size accepted, in bytes.
        what: What the file should be, for messages (``"scenario"``).

    Returns:
        Its contents.

    Raises:
        InputError: If it is missing, a loop of links, a folder, a FIFO, a
            device or a socket, unreadable, or larger than ``limit``.
    """
    real = resolve_path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(real, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.EISDIR:
            msg = f"is a directory, not {_article(what)} {what} file"
            raise InputError(path, None, msg) from None
        raise InputError(path, None, _why(exc, Path(path))) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(path, None, f"is a directory, not {_article(what)} {what} file")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(path, None, f"{_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise InputError(path, None, _too_large(info.st_size, limit))
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            block = os.read(fd, min(1 << 16, limit + 1 - size))
            if not block:
                break
            chunks.append(block)
            size += len(block)
        if size > limit:
            raise InputError(path, None, _too_large(size, limit, grew=True))
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(path, None, _why(exc, Path(path))) from None
    finally:
        os.close(fd)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _too_large(size: int, limit: int, grew: bool = False) -> str:
    if grew:
        return f"file grew beyond the limit of {limit:,} bytes while it was read"
    return f"file is {size:,} bytes, more than the limit of {limit:,} bytes"


def regular_file(path: str | os.PathLike[str], what: str = "input") -> tuple[Path, int]:
    """Check that ``path`` is a regular file (links followed) without reading it.

    For files handed to another reader (a CSV or Parquet table): a FIFO or a
    device is refused here, before that reader could block on it.

    Returns:
        The resolved path and its size in bytes.

    Raises:
        InputError: As :func:`read_bytes` does, except for the size.
    """
    real = resolve_path(path)
    try:
        info = os.stat(real)
    except OSError as exc:
        raise InputError(path, None, _why(exc, Path(path))) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, None, f"is a directory, not {_article(what)} {what} file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, None, f"{_kind(info.st_mode)}, not a regular file")
    return real, info.st_size
