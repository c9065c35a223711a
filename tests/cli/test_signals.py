"""Signals: Ctrl-C and SIGTERM give one line and end every child; the app server dies with us."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest

from tests.paths import ROOT

EXPERIMENT = """
name = "long"
scenario = "historical"
design = "lhs"
n = 400
replicates = 3
seed = 5
chunk_size = 4
[[levers]]
name = "nrc_share"
low = 0.0
high = 1.0
"""

#: Starts ``natosim ARGS`` and says "ready" once the command line is imported.
READY = textwrap.dedent(
    """
    import sys
    from sim.cli.main import main
    print("ready", flush=True)
    sys.exit(main(sys.argv[1:]))
    """
)


def _start(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", READY, *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, like a terminal's job
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    return proc


def _wait_for_parts(parts: Path, n: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if parts.is_dir() and len(list(parts.glob("*.parquet"))) >= n:
            return
        time.sleep(0.05)
    raise AssertionError(f"no {n} parts in {parts} (exit {proc.poll()})")


def _answer(proc: subprocess.Popen[str], timeout: float = 60) -> tuple[int, str]:
    _, err = proc.communicate(timeout=timeout)
    return proc.returncode, err


def test_ctrl_c_during_run_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = _start(["run", "historical", "--replicates", "3000", "--out", str(out)], tmp_path)
    time.sleep(1.0)  # inside the run (3000 replicates take several seconds)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    code, err = _answer(proc)
    assert (code, err) == (130, "natosim: interrupted\n")
    assert not out.exists()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_during_sweep_is_one_line_and_resumes(tmp_path: Path, workers: str) -> None:
    exp = tmp_path / "long.toml"
    exp.write_text(EXPERIMENT)
    out = tmp_path / "out"
    args = ["sweep", str(exp), "--out", str(out), "--workers", workers, "--quiet"]
    proc = _start(args, tmp_path)
    _wait_for_parts(out / ".parts" / "runs", 5, proc)
    os.killpg(proc.pid, signal.SIGINT)
    code, err = _answer(proc)
    assert (code, err) == (130, "natosim: interrupted\n")
    assert not (out / "runs.parquet").exists()
    done = len(list((out / ".parts" / "runs").glob("*.parquet")))
    proc = _start(args, tmp_path)
    assert _answer(proc, 300) == (0, "")
    runs = pd.read_parquet(out / "runs.parquet")
    assert runs.run_id.tolist() == list(range(1200)) and done < 300


def test_sigterm_to_the_sweep_driver_ends_every_process(tmp_path: Path) -> None:
    exp = tmp_path / "long.toml"
    exp.write_text(EXPERIMENT)
    out = tmp_path / "out"
    proc = _start(["sweep", str(exp), "--out", str(out), "--workers", "2", "--quiet"], tmp_path)
    _wait_for_parts(out / ".parts" / "runs", 5, proc)
    family = psutil.Process(proc.pid).children(recursive=True)
    names = " ".join(" ".join(p.cmdline()) for p in family)
    assert "forkserver" in names and "resource_tracker" in names  # what must not stay behind
    proc.send_signal(signal.SIGTERM)  # to the driver only, as timeout(1) does
    code, err = _answer(proc)
    assert (code, err) == (143, "natosim: terminated\n")
    _, alive = psutil.wait_procs(family, timeout=30)
    assert not alive, [p.cmdline() for p in alive]


SERVER = textwrap.dedent(
    """
    import os, sys
    from sim.web.server import serve
    child = [sys.executable, "-c", "import time\\ntime.sleep(120)"]
    sys.exit(serve(child, dict(os.environ)))
    """
)


def test_the_app_server_does_not_outlive_a_kill_9_of_natosim_app() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        start_new_session=True,
    )
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 30
    while not parent.children() and time.monotonic() < deadline:
        time.sleep(0.05)
    (server,) = parent.children()
    assert server.status() != psutil.STATUS_ZOMBIE
    proc.kill()  # SIGKILL: natosim app cannot pass anything on
    proc.wait()
    assert _ends(server, 15)  # the kernel's SIGTERM (PR_SET_PDEATHSIG) ended it


def _ends(p: psutil.Process, within: float) -> bool:
    """Whether ``p`` exits (or is a zombie, dead but not yet reaped) within ``within`` s."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if p.status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.05)
    return False
