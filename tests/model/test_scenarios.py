"""Every scenario file validates and runs; bad input fails cleanly."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

from sim import load_scenario, run
from sim.cli.main import main
from sim.files.errors import InputError as ScenarioError
from tests.paths import ROOT, SCENARIOS


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_validates_and_runs(path: Path, tmp_path: Path):
    assert main(["validate", str(path)]) == 0
    assert main(["run", str(path), "--replicates", "2", "--out", str(tmp_path), "--quiet"]) == 0
    for name in ("trajectory.csv", "events.csv", "manifest.json", "trust.png"):
        assert (tmp_path / name).stat().st_size > 0
    res = run(path, replicates=2)
    t = res.arrays.trust
    assert np.all((t >= 0) & (t <= 1))


def test_required_scenarios_exist(root: Path):
    names = {p.stem for p in SCENARIOS}
    assert {
        "historical",
        "no_enlargement",
        "no_kosovo",
        "early_reset",
        "joint_shield",
        "nrc_rejuvenated",
        "projection_2030",
    } <= names


def test_projection_reports_2012_to_2030():
    res = run("projection_2030")
    assert res.years[0] == 2012 and res.years[-1] == 2030


def test_counterfactual_inherits_and_changes_only_what_differs():
    hist = load_scenario("historical")
    cf = load_scenario("no_enlargement")
    assert cf.time == hist.time and cf.shocks == hist.shocks
    own = tomllib.loads((ROOT / "scenarios" / "no_enlargement.toml").read_text())
    assert len(cf.remove) == len(hist.remove) + len(own["remove"])


def test_yaml_is_accepted(tmp_path: Path):
    p = tmp_path / "s.yaml"
    p.write_text(
        "name: y\ntime: {start: 1991, end: 1995}\nevents:\n"
        "  - {year: 1994, actor: NATO, action: enlargement_wave, targets: [POL]}\n"
    )
    res = run(p)
    assert list(res.years) == [1991, 1992, 1993, 1994, 1995]
    assert "enlargement_wave" in set(res.events.action)


BAD = {
    "malformed.toml": ('name = "x\n', None),
    "empty.toml": ("", None),
    "unknown_key.toml": ('name = "x"\ncolour = 1\n[time]\nstart = 1991\nend = 1995\n', "colour"),
    "wrong_type.toml": ('name = "x"\n[time]\nstart = "soon"\nend = 1995\n', "time.start"),
    "out_of_range.toml": (
        'name = "x"\n[time]\nstart = 1991\nend = 1995\n[parameters]\nnrc_share = 3\n',
        "parameters",
    ),
    "unknown_param.toml": (
        'name = "x"\n[time]\nstart = 1991\nend = 1995\n[parameters]\nwarp = 1\n',
        "parameters",
    ),
    "unknown_actor.toml": (
        'name = "x"\n[time]\nstart = 1991\nend = 1995\n'
        '[[events]]\nyear = 1992\nactor = "ATL"\naction = "reset"\ntarget = "RUS"\n',
        "events[0].actor",
    ),
    "outside_span.toml": (
        'name = "x"\n[time]\nstart = 1991\nend = 1995\n'
        '[[events]]\nyear = 2001\nactor = "USA"\naction = "reset"\ntarget = "RUS"\n',
        "events[0].year",
    ),
    "contradiction.toml": (
        'name = "x"\n[time]\nstart = 1991\nend = 1995\n'
        '[[events]]\nyear = 1992\nactor = "USA"\naction = "reset"\ntarget = "RUS"\n'
        '[[forbid]]\naction = "reset"\n',
        "forbid[0]",
    ),
    "reversed_span.toml": ('name = "x"\n[time]\nstart = 2000\nend = 1995\n', "time"),
    "unknown_action.toml": (
        'name = "x"\n[time]\nstart = 1991\nend = 1995\n'
        '[[events]]\nyear = 1992\nactor = "USA"\naction = "invade_mars"\ntarget = "RUS"\n',
        "events[0].action",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_scenario_is_rejected_cleanly(name: str, tmp_path: Path, capsys):
    text, field = BAD[name]
    path = tmp_path / name
    path.write_text(text)
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert str(path) in err
    if field:
        assert field in err
    assert not out.exists()
    assert main(["validate", str(path)]) == 2


def test_missing_file_and_extends_cycle(tmp_path: Path, capsys):
    assert main(["validate", str(tmp_path / "nope.toml")]) == 2
    assert "file not found" in capsys.readouterr().err
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text('extends = "b.toml"\nname = "a"\n')
    b.write_text('extends = "a.toml"\nname = "b"\n')
    with pytest.raises(ScenarioError, match="circular"):
        load_scenario(a)


def test_bad_overrides_are_rejected(tmp_path: Path, capsys):
    out = tmp_path / "o"
    assert main(["run", "historical", "--set", "nrc_share=2", "--out", str(out)]) == 2
    assert "nrc_share" in capsys.readouterr().err
    assert main(["run", "historical", "--set", "bogus=1", "--out", str(out)]) == 2
    assert main(["run", "historical", "--replicates", "0", "--out", str(out)]) == 2
    assert not out.exists()


def test_cli_subprocess_has_no_traceback(tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\n[time]\nstart = 1991\nend = 1995\n[parameters]\nmemory = -1\n')
    proc = subprocess.run(
        [sys.executable, "-m", "sim.cli", "run", str(bad), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "parameters" in proc.stderr and str(bad) in proc.stderr
    assert not (tmp_path / "o").exists()


def test_unwritable_output_is_a_clean_error(capsys):
    assert main(["run", "historical", "--out", "/proc/natosim-cannot-write", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "/proc/natosim-cannot-write" in err


def test_failed_write_leaves_nothing(tmp_path: Path, monkeypatch):
    """If one file cannot be written, none is (all-or-nothing output)."""
    import os as _os

    real = _os.fsync
    calls = {"n": 0}

    def flaky(fd):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        return real(fd)

    monkeypatch.setattr("sim.files.atomic.os.fsync", flaky)
    out = tmp_path / "out"
    assert main(["run", "historical", "--out", str(out), "--quiet"]) == 2
    assert not out.exists()
    existing = tmp_path / "existing"
    existing.mkdir()
    (existing / "trajectory.csv").write_text("old")
    calls["n"] = 0
    assert main(["run", "historical", "--out", str(existing), "--quiet"]) == 2
    assert sorted(p.name for p in existing.iterdir()) == ["trajectory.csv"]
    assert (existing / "trajectory.csv").read_text() == "old"


def test_more_bad_inputs(tmp_path: Path, capsys):
    dotted = tmp_path / "dots.toml"
    dotted.write_text('name = ".."\n[time]\nstart = 1991\nend = 1995\n')
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes(b'name = "x"\ndescription = "caf\xe9"\n[time]\nstart = 1991\nend = 1995\n')
    for path, field in ((dotted, "name"), (latin1, "UTF-8")):
        assert main(["validate", str(path)]) == 2
        err = capsys.readouterr().err
        assert field in err and str(path) in err


def test_every_state_excluded_still_runs(tmp_path: Path):
    from sim.data import tables

    codes = ", ".join(f'"{s.code}"' for s in tables.states())
    p = tmp_path / "alone.toml"
    p.write_text(
        f'name = "alone"\n[time]\nstart = 1991\nend = 1994\n[actors]\nexclude = [{codes}]\n'
    )
    res = run(p, replicates=2)
    assert set(res.trajectory.observer) == {"NATO", "RUS"}


def test_outputs_are_readable_by_others(tmp_path: Path):
    import os
    import stat

    old = os.umask(0o022)
    try:
        assert (
            main(["run", "historical", "--out", str(tmp_path / "o"), "--quiet", "--no-plot"]) == 0
        )
    finally:
        os.umask(old)
    mode = stat.S_IMODE((tmp_path / "o" / "trajectory.csv").stat().st_mode)
    assert mode == 0o644


def test_no_plot_removes_a_stale_plot(tmp_path: Path):
    out = tmp_path / "o"
    assert main(["run", "historical", "--out", str(out), "--quiet"]) == 0
    assert (out / "trust.png").exists()
    assert main(["run", "no_kosovo", "--out", str(out), "--quiet", "--no-plot"]) == 0
    assert not (out / "trust.png").exists()
