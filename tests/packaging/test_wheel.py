"""The built wheel runs anywhere: installed in a fresh venv, used from an empty folder.

Builds the wheel, installs it (with its dependencies, from uv's cache) into a
new virtual environment outside the checkout, and runs the commands a new user
runs first from an empty temporary folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import ROOT

pytestmark = pytest.mark.slow

SMALL_SWEEP = """
name = "tiny"
scenario = "historical"
design = "grid"
levels = 2
replicates = 2
seed = 5

[[levers]]
name = "nrc_share"
low = 0.0
high = 1.0
"""


def _uv() -> str:
    uv = os.environ.get("UV") or shutil.which("uv")
    if not uv:
        pytest.skip("uv is needed to build and install the wheel")
    return uv


def _base_python() -> str:
    """This interpreter's base installation (not the project's venv, and no download)."""
    ver = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    path = Path(sys.base_prefix) / "bin" / ver
    return str(path if path.exists() else sys.executable)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    uv = _uv()
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "UV_PROJECT"))}
    subprocess.run(
        [uv, "build", "--wheel", "-q", "-o", str(dist), str(ROOT)],
        check=True,
        env=env,
        cwd=base,
    )
    (wheel,) = dist.glob("natosim-*.whl")
    venv = base / "venv"
    subprocess.run(
        [uv, "venv", "-q", "--python", _base_python(), str(venv)],
        check=True,
        env=env,
        cwd=base,
    )
    py = venv / "bin" / "python"
    subprocess.run(
        [uv, "pip", "install", "-q", "--python", str(py), str(wheel)],
        check=True,
        env=env,
        cwd=base,
    )
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env.pop("PYTHONPATH", None)
    return venv, env


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def test_wheel_runs_from_an_empty_folder(installed, tmp_path) -> None:
    venv, env = installed
    natosim = str(venv / "bin" / "natosim")
    work = tmp_path / "empty"
    work.mkdir()

    r = _run([natosim, "run", "historical", "--replicates", "2", "--out", "X"], work, env)
    assert r.returncode == 0, r.stderr
    assert {p.name for p in (work / "X").iterdir()} >= {
        "trajectory.csv",
        "events.csv",
        "manifest.json",
        "trust.png",
    }

    r = _run([natosim, "validate", "no_kosovo"], work, env)
    assert r.returncode == 0, r.stderr
    assert "valid scenario 'no_kosovo'" in r.stdout

    (work / "tiny.toml").write_text(SMALL_SWEEP)
    r = _run([natosim, "sweep", "tiny.toml", "--out", "S", "--workers", "1", "--quiet"], work, env)
    assert r.returncode == 0, r.stderr
    assert (work / "S" / "runs.parquet").is_file()

    r = _run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "from sim import run; r = run('historical', seed=1); print(len(r.trajectory))",
        ],
        work,
        env,
    )
    assert r.returncode == 0, r.stderr
    assert int(r.stdout.strip()) > 0


def test_site_packages_holds_no_top_level_data(installed) -> None:
    venv, _ = installed
    (site,) = (venv / "lib").glob("python*/site-packages")
    assert not (site / "seeds").exists()
    assert not (site / "scenarios").exists()
    assert not (site / "experiments").exists()
    assert (site / "sim" / "_seeds" / "figure1.csv").is_file()
    assert (site / "sim" / "data" / "catalog" / "actions.csv").is_file()
    assert [p.name for p in site.glob("natosim-*.dist-info/licenses/*")] == ["LICENSE"]


def test_bundled_calibration_writes_into_out_not_into_the_package(installed, tmp_path) -> None:
    """The bundled experiment's ``scenario_out`` would point into site-packages."""
    venv, env = installed
    code = (
        "from pathlib import Path; from sim.experiments.schema import load_experiment; "
        "e = load_experiment('calibration', 'calibration'); "
        "print(e.scenario_out, e.scenario_target(Path('X')).as_posix())"
    )
    r = _run([str(venv / "bin" / "python"), "-c", code], tmp_path, env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["None", "X/historical_calibrated.toml"]
    r = _run([str(venv / "bin" / "natosim"), "schema", "experiment"], tmp_path, env)
    assert r.returncode == 0, r.stderr
    assert '"calibration"' in r.stdout
