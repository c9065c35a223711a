"""Hostile input files: one line naming file and field, exit 2, no traceback, nothing written.

Each command runs in a child process whose address space is limited
(:data:`tests.cli_process.MEMORY_LIMIT`) and which is killed after a timeout, so
a file that makes natosim read forever, recurse or expand without bound fails
the test instead of the machine.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sim.cli.main import main
from tests.cli_process import natosim, one_error, snapshot

HEAD = 'name = "mine"\nextends = "historical"\n'
BOMB = "name: mine\nextends: historical\nparameters:\n  nrc_share:\n" + "".join(
    f"    - &{c} [{','.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
).replace(
    "    - &b", '    - &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n    - &b', 1
)
SWEEP = 'name = "mine"\nscenario = "{scenario}"\ndesign = "grid"\nreplicates = 1\n'
CALIBRATION = """kind = "calibration"
name = "cal"
scenario = "{scenario}"
years = [1991, 2000]
[[targets]]
series = "mean_dist_rus_nato_members_all"
observer = "RUS"
target = "NATO"
[[parameters]]
name = "memory"
low = 0.0
high = 0.5
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "keep.txt").write_text("the user's own file\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _refused(home: Path, *args: str, timeout: float = 60) -> str:
    before = snapshot(home)
    line = one_error(natosim(*args, cwd=home, timeout=timeout))
    assert snapshot(home) == before  # nothing written, nothing deleted
    return line


def _run(home: Path, name: str, text: str) -> str:
    (home / name).write_text(text)
    return _refused(home, "run", name, "--quiet")


def _main(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """The same in this process (for files that cannot make it grow or hang)."""
    os.chdir(home)
    before = snapshot(home)
    assert main(list(args)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert snapshot(home) == before
    return err.strip()


def _run_here(home: Path, capsys: pytest.CaptureFixture[str], name: str, text: str) -> str:
    (home / name).write_text(text)
    return _main(home, capsys, "run", name, "--quiet")


# 1. Deep nesting


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep.toml", HEAD + "[parameters]\nnrc_share = " + "[" * 5000 + "]" * 5000 + "\n"),
        ("deep.yaml", "name: mine\nparameters:\n  nrc_share: " + "[" * 5000 + "]" * 5000),
        ("tables.toml", HEAD + "description = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n"),
    ],
)
def test_deep_nesting_in_a_scenario(name: str, text: str, home: Path) -> None:
    line = _run(home, name, text)
    assert line.startswith(f"natosim: error: {home / name}: nested deeper than 16 levels")


def test_deep_nesting_in_experiments(home: Path) -> None:
    deep = "[" * 5000 + "]" * 5000
    (home / "sweep.toml").write_text(SWEEP.format(scenario="historical") + f"outcomes = {deep}\n")
    line = _refused(home, "sweep", "sweep.toml")
    assert f"{home / 'sweep.toml'}: nested deeper than 16 levels" in line
    cal = CALIBRATION.format(scenario="historical").replace("years = ", f"years = {deep}\nx = ")
    (home / "cal.toml").write_text(cal)
    line = _refused(home, "calibrate", "cal.toml")
    assert f"{home / 'cal.toml'}: nested deeper than 16 levels" in line


# 2. A YAML alias bomb


def test_a_yaml_alias_bomb_under_parameters_is_not_expanded(home: Path) -> None:
    line = _run(home, "bomb.yaml", BOMB)
    assert line == (
        f"natosim: error: {home / 'bomb.yaml'}: more than 100,000 values (counting every use of "
        "an alias) (line 10, column 11)"
    )
    _refused(home, "validate", "bomb.yaml")


# 5. Special files


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("validate", "/dev/zero"), "/dev/zero: a character device, not a regular file"),
        (("run", "zero.toml"), "zero.toml: extends: parent scenario '/dev/zero': a character "),
        (("sweep", "exp.toml"), "/dev/zero: a character device, not a regular file"),
    ],
)
def test_dev_zero_is_refused_at_once(args: tuple[str, ...], says: str, home: Path) -> None:
    (home / "zero.toml").write_text('name = "mine"\nextends = "/dev/zero"\n')
    (home / "exp.toml").write_text(SWEEP.format(scenario="/dev/zero"))
    assert says in _refused(home, *args, timeout=30)


def test_a_fifo_never_blocks(home: Path) -> None:
    os.mkfifo(home / "pipe.toml")  # nobody writes: a plain read would block forever
    (home / "child.toml").write_text('name = "mine"\nextends = "pipe.toml"\n')
    line = _refused(home, "validate", "pipe.toml", timeout=30)
    assert line.endswith("pipe.toml: a FIFO (named pipe), not a regular file")
    line = _refused(home, "run", "child.toml", timeout=30)
    assert "child.toml: extends: parent scenario 'pipe.toml': a FIFO" in line


def test_symlink_loops_are_one_line(home: Path) -> None:
    (home / "a.toml").symlink_to(home / "b.toml")
    (home / "b.toml").symlink_to(home / "a.toml")
    (home / "child.toml").write_text('name = "mine"\nextends = "a.toml"\n')
    line = _refused(home, "validate", "a.toml")
    assert line.endswith("a.toml: symbolic link loop (a link that leads back to itself)")
    line = _refused(home, "run", "child.toml")
    assert "child.toml: extends: parent scenario 'a.toml': symbolic link loop" in line


def test_a_file_of_a_gigabyte_is_not_read(home: Path) -> None:
    with (home / "huge.toml").open("wb") as fh:
        fh.truncate(1 << 30)  # sparse
    line = _refused(home, "validate", "huge.toml")
    assert "huge.toml: file is 1,073,741,824 bytes, more than the limit of 1,048,576" in line


# 6. Numbers that do not fit


@pytest.mark.parametrize(
    ("value", "says"),
    [
        (str(10**400), "parameters.nrc_share: number too large: <an integer of about 400 digits>"),
        ("9" * 5000, "a number has more than 4300 digits"),
        ("1e400", "parameters: nrc_share must be within [0.0, 1.0], got inf"),
    ],
)
def test_numbers_too_large_for_a_float(value: str, says: str, home: Path, capsys) -> None:
    line = _run_here(home, capsys, "big.toml", HEAD + f"[parameters]\nnrc_share = {value}\n")
    assert says in line


# 12. Loose types and YAML


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('seed = "42"\n', "seed: must be a whole number, not the string '42'"),
        ("seed = true\n", "seed: must be a whole number, not true"),
        ('timeline = "yes"\n', "timeline: must be true or false, not the string 'yes'"),
        ('[time]\nstart = "1991"\nend = 2000\n', "time.start: must be a whole number, not the"),
        (
            '[[events]]\nyear = "1993"\nactor = "USA"\naction = "reset"\ntarget = "RUS"\n',
            "events[0].year: must be a whole number, not the string '1993'",
        ),
        (
            '[[shocks]]\nyear = 2001\nkind = "threat"\ntheme = "terrorism"\nmagnitude = "1.5"\n',
            "shocks[0].magnitude: must be a number, not the string '1.5'",
        ),
        (
            "[parameters]\nnrc_share = [1, 2]\n",
            "parameters: nrc_share must be a number, got [1, 2]",
        ),
    ],
)
def test_wrong_types_are_refused_not_converted(text: str, says: str, home: Path, capsys) -> None:
    assert says in _run_here(home, capsys, "typed.toml", HEAD + text)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("name: a\nextends: historical\nname: b\n", "key 'name' is given twice (line 3, column 1)"),
        ("name: !!python/object/apply:os.system ['true']\n", "python tags are not allowed"),
        ("name: a\nextends: historical\n---\nname: b\n", "a second document (line 3, column 1)"),
        ("? [a, b]\n: 1\nname: a\n", "malformed YAML: found unhashable key (line 1, column 3)"),
    ],
)
def test_yaml_mistakes_are_one_line(text: str, says: str, home: Path, capsys) -> None:
    assert says in _run_here(home, capsys, "mine.yaml", text)


def test_experiment_files_have_strict_types_too(home: Path, capsys) -> None:
    (home / "sweep.toml").write_text(SWEEP.format(scenario="historical") + 'seed = "42"\n')
    line = _main(home, capsys, "sweep", "sweep.toml")
    assert line.endswith(
        "sweep.toml: seed: must be a whole number, not the string '42' (write it without quotes)"
    )
    cal = CALIBRATION.format(scenario="historical").replace("[1991, 2000]", '["1991", 2000]')
    (home / "cal.toml").write_text(cal)
    line = _main(home, capsys, "calibrate", "cal.toml")
    assert "cal.toml: years[0]: must be a whole number, not the string '1991'" in line


# 13. A long name


def test_a_256_character_name_creates_nothing(home: Path, capsys) -> None:
    line = _run_here(home, capsys, "long.toml", f'name = "{"a" * 256}"\nextends = "historical"\n')
    assert "long.toml: name: must have at most 128 characters, got 'aaa" in line
    assert not (home / "runs").exists()
