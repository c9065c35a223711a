"""An exclusive lock on an output folder, so that two processes never write one at once.

:func:`folder_lock` takes an advisory ``flock`` on a lock file in the folder
and holds it for the ``with`` block. The system releases it when the process
ends in any way (``kill -9`` included), so a stale lock never needs removing.
Where ``fcntl`` does not exist (Windows), no lock is taken.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from sim.files.errors import InputError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["folder_lock"]


@contextlib.contextmanager
def folder_lock(lock_file: Path, folder: Path, option: str = "--out") -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file`` (created if missing) for the block.

    Args:
        lock_file: The lock file (inside ``folder``).
        folder: The folder it protects, for the message.
        option: The command-line option that chose the folder, for the message.

    Raises:
        InputError: At once, if another process holds the lock.
    """
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
                who = f" (process {holder})" if holder.isdigit() else ""
                raise InputError(
                    f"{option} {folder}: another natosim is writing there{who}; wait for it "
                    f"to finish or choose another {option}"
                ) from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock
