"""How much memory and disk this process may use: the figures size checks compare with.

:func:`available_memory` is the least of the memory the system has available
(``MemAvailable``), what the process's container (cgroup ``memory.max``)
still allows and what its address-space limit (``ulimit -v``,
``RLIMIT_AS``) leaves; :func:`free_disk` is the space free where a folder
would be written. Both are estimates made once, before a long job starts.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

__all__ = ["available_memory", "free_disk", "human_bytes"]


def _meminfo_available() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def _cgroup_available() -> int | None:
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if limit == "max":
            return None
        used = int(Path("/sys/fs/cgroup/memory.current").read_text())
        return max(int(limit) - used, 0)
    except (OSError, ValueError):
        return None


def _address_space_available() -> int | None:
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, ValueError, OSError):
        return None
    if soft == resource.RLIM_INFINITY:
        return None
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            size = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        size = 0
    return max(soft - size, 0)


def available_memory() -> int | None:
    """Bytes of memory this process can still use (None if unknown)."""
    figures = (_meminfo_available(), _cgroup_available(), _address_space_available())
    known = [f for f in figures if f is not None]
    return min(known) if known else None


def free_disk(path: Path) -> int | None:
    """Bytes free on the file system where ``path`` is or would be created (None if unknown)."""
    probe = Path(os.path.abspath(path))
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        return shutil.disk_usage(probe).free
    except OSError:
        return None


def human_bytes(n: float) -> str:
    """``n`` bytes as a short figure: ``512 B``, ``3.2 MB``, ``1.5 TB``, ``2.0e+06 TB``."""
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1000:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB" if n < 1e5 else f"{n:.1e} TB"
