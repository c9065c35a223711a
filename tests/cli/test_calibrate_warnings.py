"""A calibration's own warnings reach the console, and report.md shows how ABC went."""

from __future__ import annotations

import json
from pathlib import Path

from sim.cli.main import main

TINY = """kind = "calibration"
name = "tiny"
scenario = "historical"
seed = 5
replicates = 2
report_replicates = 2
years = [1992, 2012]
[abc]
particles = 10
generations = 1
[[targets]]
series = "dist_rus_usa_all"
observer = "RUS"
target = "USA"
[[parameters]]
name = "memory"
low = 0.0
high = 0.5
[[parameters]]
name = "hostile_weight"
low = 0.1
high = 1.5
"""


def test_a_fit_that_stopped_short_says_so_on_stderr(tmp_path: Path, capsys) -> None:
    (tmp_path / "tiny.toml").write_text(TINY)
    out = tmp_path / "out"
    args = ["calibrate", str(tmp_path / "tiny.toml"), "--out", str(out), "--workers", "1"]
    assert main([*args, "--scenario-out", str(out / "fitted.toml"), "--quiet"]) == 0
    err = capsys.readouterr().err
    warning = next(line for line in err.splitlines() if line.startswith("natosim: warning: tiny: "))
    note = warning.removeprefix("natosim: warning: tiny: ")
    assert "run more generations" in note or "above ε*" in note, note
    assert note in (out / "report.md").read_text()
    report = (out / "report.md").read_text()
    data = json.loads((out / "report.json").read_text())["abc"]
    assert "* Stopped: after the generations asked for." in report
    rows = [line for line in report.splitlines() if line.startswith("| 0 | ")]
    (g0,) = data["history"]
    assert rows == [
        f"| 0 | {g0['epsilon']:.4f} | {g0['n_simulations']} | {g0['acceptance_rate']:.3f} "
        f"| {g0['ess']:.0f} |"
    ]
