"""A calibration's own warnings reach the console, and report.md shows how ABC went."""

from __future__ import annotations

import json
from pathlib import Path

from sim.cli.main import main
from tests.cli.calibrations import TINY_TWO as TINY


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


def test_the_projection_after_the_fit_draws_the_pairs_fitted(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    """Fitted on Russia->USA alone, the continuation shows Russia->USA, not NATO<->Russia."""
    import sim.results.figures as figures

    drawn: list = []
    real = figures.out_of_sample_fan

    def spy(traj, path, **kw):
        drawn.append((sorted(set(zip(traj.observer, traj.target, strict=True))), kw["pairs"]))
        return real(traj, path, **kw)

    monkeypatch.setattr(figures, "out_of_sample_fan", spy)
    text = TINY + '[out_of_sample]\nend = 2024\nscenario = "historical_1991_2024"\n'
    (tmp_path / "tiny.toml").write_text(text)
    out = tmp_path / "out"
    args = ["calibrate", str(tmp_path / "tiny.toml"), "--out", str(out), "--workers", "1"]
    assert main([*args, "--scenario-out", str(out / "fitted.toml"), "--quiet"]) == 0
    assert drawn == [([("RUS", "USA")], [("RUS", "USA")])]
    assert (out / "out_of_sample.png").is_file() and (out / "out_of_sample.csv").is_file()
