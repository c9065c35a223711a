"""A sweep's --out folder: one experiment, one writer, nothing of anyone else's touched."""

from __future__ import annotations

import shutil
import socket
import threading
from pathlib import Path

import pytest

from sim.cli.main import main
from sim.files.lock import folder_lock
from tests.cli_process import natosim, one_error, snapshot

SMALL = """
name = "small"
scenario = "historical"
design = "lhs"
n = {n}
replicates = 2
seed = {seed}
chunk_size = 4
[[levers]]
name = "nrc_share"
low = 0.0
high = 1.0
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _exp(home: Path, n: int = 6, seed: int = 1, name: str = "small.toml") -> Path:
    path = home / name
    path.write_text(SMALL.format(n=n, seed=seed))
    return path


def _sweep(*args: str) -> int:
    return main(["sweep", *args, "--workers", "1", "--quiet"])


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = [x for x in err.splitlines() if not x.startswith("natosim: warning")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


# 11. Resume never mixes two experiments


def test_a_changed_experiment_is_refused_even_without_the_manifest(home: Path, capsys) -> None:
    out = home / "out"
    assert _sweep(str(_exp(home)), "--out", str(out)) == 0
    (out / "manifest.json").unlink()  # as after kill -9 and a clean-up by hand
    before = snapshot(out)
    assert _sweep(str(_exp(home, seed=2)), "--out", str(out)) == 2
    line = _one_line(capsys)
    assert line == (
        f"natosim: error: {out}: .parts/identity.json: this directory holds a finished sweep "
        "of a different experiment; choose another --out or remove it"
    )
    assert snapshot(out) == before
    assert _sweep(str(_exp(home)), "--out", str(out)) == 0  # the same one resumes


def test_parts_of_unknown_origin_are_refused(home: Path, capsys) -> None:
    out = home / "out"
    assert _sweep(str(_exp(home)), "--out", str(out)) == 0
    (out / "manifest.json").unlink()
    (out / ".parts" / "identity.json").unlink()
    before = snapshot(out)
    assert _sweep(str(_exp(home)), "--out", str(out)) == 2  # its merged files: whose?
    assert "holds a finished sweep of an unknown experiment" in _one_line(capsys)
    assert snapshot(out) == before
    (out / ".parts" / "finished.json").unlink()
    shutil.copy(out / "runs.parquet", out / ".parts" / "runs" / "00000000.parquet")
    assert _sweep(str(_exp(home)), "--out", str(out)) == 2
    assert "holds sweep parts of an unknown experiment" in _one_line(capsys)


def test_a_second_sweep_into_the_same_folder_is_refused_at_once(home: Path) -> None:
    out = home / "out"
    exp = _exp(home)
    (out / ".parts").mkdir(parents=True)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:  # what a running sweep does
        with folder_lock(out / ".parts" / "lock", out):
            held.set()
            release.wait(120)

    t = threading.Thread(target=hold)
    t.start()
    try:
        held.wait(30)
        before = snapshot(home)
        proc = natosim("sweep", exp, "--out", out, "--workers", "1", cwd=home, timeout=60)
        assert snapshot(home) == before
    finally:
        release.set()
        t.join()
    line = one_error(proc)
    assert line.startswith(f"natosim: error: --out {out}: another natosim is writing there")


def test_two_sweeps_at_once_one_finishes_one_is_refused(home: Path) -> None:
    exp = _exp(home, n=300)
    out = home / "out"
    procs = [
        natosim_async(exp, out, home),
        natosim_async(exp, out, home),
    ]
    results = [p.result() for p in procs]
    codes = sorted(r.returncode for r in results)
    assert codes == [0, 2], [r.stderr for r in results]
    refused = next(r for r in results if r.returncode == 2)
    assert "another natosim is writing there" in one_error(refused)
    assert (out / "runs.parquet").exists()


def natosim_async(exp: Path, out: Path, home: Path):
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(1)
    fut = pool.submit(natosim, "sweep", exp, "--out", out, "--workers", "1", "--quiet", cwd=home)
    pool.shutdown(wait=False)
    return fut


# 13. Only our own temporaries are deleted


def test_sweep_deletes_only_its_own_temporaries(home: Path) -> None:
    out = home / "out"
    runs = out / ".parts" / "runs"
    runs.mkdir(parents=True)
    mine = [out / "notes.tmp", out / ".draft.tmp", runs / ".notes.tmp", out / ".x.parquet.a.tmp"]
    for p in mine:
        p.write_text("the user's\n")
    ours = runs / ".00000003.parquet.k2j4x_9q.tmp"  # a part interrupted by kill -9
    ours.write_bytes(b"half a part")
    assert _sweep(str(_exp(home)), "--out", str(out)) == 0
    assert all(p.read_text() == "the user's\n" for p in mine)
    assert not ours.exists()


def test_an_error_names_the_target_not_a_temporary(home: Path, capsys) -> None:
    out = home / "out"
    assert main(["run", "historical", "--out", str(out), "--quiet", "--no-plot"]) == 0
    (out / "trust.png").mkdir()  # a folder where a file goes, in an earlier run's folder
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert main(["run", "historical", "--out", str(out), "--quiet"]) == 2
    line = _one_line(capsys)
    assert line == f"natosim: error: {out / 'trust.png'}: Is a directory"
    assert ".tmp" not in line
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


# 7. --scheduler


@pytest.mark.parametrize(
    ("address", "says"),
    [
        ("tcp://", "no host"),
        ("tcp://host:notaport", "the port must be a number within 1-65535"),
        ("foo://bar", "unknown protocol 'foo'"),
        ("localhost:8786", "expected an address like tcp://HOST:PORT"),
    ],
)
def test_a_malformed_scheduler_is_refused_at_once(address: str, says: str, home: Path) -> None:
    exp = _exp(home)
    before = snapshot(home)
    line = one_error(
        natosim("sweep", exp, "--out", "out", "--scheduler", address, cwd=home, timeout=30)
    )
    assert line.startswith(f"natosim: error: --scheduler {address!r}: ") and says in line
    assert snapshot(home) == before


def test_workers_with_a_scheduler_is_refused(home: Path) -> None:
    """The cluster's workers run a Dask sweep: a --workers beside it would be ignored."""
    exp = _exp(home)
    before = snapshot(home)
    proc = natosim(
        "sweep",
        exp,
        "--out",
        "out",
        "--scheduler",
        "tcp://127.0.0.1:1",
        "--workers",
        "2",
        cwd=home,
        timeout=30,
    )
    assert one_error(proc).startswith("natosim: error: --workers: goes with a sweep on this")
    assert snapshot(home) == before


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_nothing_listening_is_a_clean_error_and_leaves_nothing(home: Path) -> None:
    exp = _exp(home)
    before = snapshot(home)
    address = f"tcp://127.0.0.1:{_free_port()}"
    proc = natosim("sweep", exp, "--out", "out", "--scheduler", address, cwd=home, timeout=30)
    assert "cannot connect (Connection refused)" in one_error(proc)
    assert snapshot(home) == before


def test_a_silent_listener_is_a_clean_error_within_the_connect_timeout(home: Path) -> None:
    exp = _exp(home)
    (home / "out").mkdir()
    (home / "out" / "mine.txt").write_text("kept\n")
    before = snapshot(home)
    with socket.socket() as server:  # accepts, never speaks Dask
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        address = f"tcp://127.0.0.1:{server.getsockname()[1]}"
        proc = natosim("sweep", exp, "--out", "out", "--scheduler", address, cwd=home, timeout=40)
    line = one_error(proc)
    assert line.startswith(f"natosim: error: --scheduler {address!r}: no Dask scheduler answers")
    assert snapshot(home) == before  # neither manifest.json nor .parts/ left in --out


# 10. Sizes checked up front


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        (
            'design = "grid"\nlevels = 101\n'
            + "".join(
                f'[[levers]]\nname = "{p}"\nlow = 0.4\nhigh = 0.5\n'
                for p in (
                    "nrc_share",
                    "sg_entrepreneurship",
                    "nato_globalism",
                    "two_tier",
                    "memory",
                    "baseline_drift",
                    "initial_trust",
                    "friendly_weight",
                )
            ),
            "levels",
            "the design has 1.08e+16 runs (1.08e+16 grid points × 1 replicates), more than the "
            "limit of 100,000,000; lower levels or replicates",
        ),
        (
            'design = "lhs"\nn = 1000000\nreplicates = 100000\n[[levers]]\nname = "memory"\n'
            "low = 0.0\nhigh = 0.5\n",
            "replicates",
            "the design has 100,000,000,000 runs",
        ),
    ],
)
def test_oversized_designs_are_refused_before_sampling(
    body: str, field: str, says: str, home: Path, capsys
) -> None:
    (home / "big.toml").write_text(f'name = "big"\nscenario = "historical"\n{body}')
    assert main(["sweep", "big.toml", "--quiet"]) == 2
    line = _one_line(capsys)
    assert line.startswith(f"natosim: error: {home / 'big.toml'}: {field}: {says}")
    assert "--replicates" not in line  # sweep has no such option
    assert not (home / "sweeps").exists()


def test_a_sweep_too_large_for_the_memory_names_the_figure(home: Path) -> None:
    (home / "sobol.toml").write_text(
        'name = "s"\nscenario = "historical"\ndesign = "sobol"\nn = 1000000\nreplicates = 20\n'
        '[[levers]]\nname = "nrc_share"\nlow = 0.0\nhigh = 1.0\n'
        '[[levers]]\nname = "memory"\nlow = 0.0\nhigh = 0.5\n'
    )
    line = one_error(natosim("sweep", "sobol.toml", cwd=home, timeout=60))
    assert f"{home / 'sobol.toml'}: n: the sweep needs about " in line
    assert "of memory (80,000,000 runs), more than the " in line and "available; lower n" in line
    assert not (home / "sweeps").exists()


def test_workers_far_beyond_the_cpus_are_capped_with_a_warning(home: Path, capsys) -> None:
    import os

    cpus = len(os.sched_getaffinity(0))
    assert main(["sweep", str(_exp(home)), "--out", "o", "--workers", "999", "--quiet"]) == 0
    err = capsys.readouterr().err
    assert err == f"natosim: warning: --workers 999: this machine has {cpus} CPU(s); using {cpus}\n"


def test_a_refused_sweep_leaves_the_folder_it_also_thought_it_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two sweeps started at once both find ``--out`` missing; the one refused the lock
    must not remove the folder the other now writes in."""
    from sim.experiments import outdir
    from sim.files.errors import InputError

    out = tmp_path / "out"
    (out / ".parts").mkdir(parents=True)
    (out / ".parts" / "runs").mkdir()  # the other sweep's first chunk is on its way
    monkeypatch.setattr(outdir, "first_missing", lambda _p: out)  # "made by us" too
    ident = {"experiment_sha256": "x", "scenario_sha256": "y"}
    with (
        folder_lock(out / ".parts" / "lock", out),
        pytest.raises(InputError, match="another natosim is writing there"),
        outdir.SweepFolder(out, ident),
    ):
        pass
    assert (out / ".parts" / "runs").is_dir()
