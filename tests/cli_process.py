"""Running ``natosim`` in a child process with bounded memory and time, and reading its answer."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

from tests.paths import ROOT

#: Address space of the child (``ulimit -v``): enough for numpy, pandas and a small
#: run (about 700 MB), far too little for anything that grows with a hostile input.
MEMORY_LIMIT = 1200 << 20


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def natosim(
    *args: str | Path, cwd: Path, timeout: float = 60, memory: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m sim.cli ARGS`` in ``cwd``, killed after ``timeout`` seconds.

    Args:
        args: Command-line arguments.
        cwd: Working directory.
        timeout: Seconds before the child is killed (the test then fails).
        memory: Limit the child's address space to :data:`MEMORY_LIMIT`.
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "sim.cli", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limit_memory if memory else None,
        check=False,
    )


def one_error(proc: subprocess.CompletedProcess[str], code: int = 2) -> str:
    """The one line a failed command printed (asserting the exit status and no traceback)."""
    assert proc.returncode == code, (proc.returncode, proc.stderr[-3000:])
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    lines = [line for line in proc.stderr.splitlines() if not line.startswith("natosim: warning")]
    assert len(lines) == 1, proc.stderr[-3000:]
    assert len(lines[0]) < 1200
    return lines[0]


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder`` with its size and modification time (to see changes)."""
    out: dict[str, tuple[int, int]] = {}
    for p in sorted(folder.rglob("*")):
        st = p.lstat()
        out[str(p.relative_to(folder))] = (st.st_size, st.st_mtime_ns if p.is_file() else 0)
    return out
