"""Near misses in experiment files, scenario files and command lines, one by one.

A mistyped name gets a "did you mean" wherever a close match exists (the one
helper of :mod:`sim.files.hints`), a value outside a field's choices or bounds
is said in the project's words, and a bundled name of the other kind is named
as such. Each gives one line naming the file and the field, exit status 2, and
nothing written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cli.main import main
from tests.cli_process import snapshot

SWEEP = (
    'name = "mine"\nscenario = "historical"\ndesign = "grid"\nlevels = 2\nreplicates = 1\n'
    '{extra}[[levers]]\nname = "{lever}"\nlow = 0.0\nhigh = 1.0\n'
)
CALIBRATION = """kind = "calibration"
name = "cal"
scenario = "historical"
years = [1992, 2000]
[abc]
particles = {particles}
[[targets]]
series = "mean_dist_rus_nato_members_all"
observer = "RUS"
target = "NATO"
[[targets]]
series = "{series}"
observer = "RUS"
target = "{target}"
[[parameters]]
name = "{parameter}"
low = 0.0
high = 0.5
"""
GOOD = {
    "particles": 20,
    "series": "dist_rus_usa_all",
    "target": "USA",
    "parameter": "memory",
}
HEAD = 'name = "mine"\nextends = "historical"\n'
PARAMETER_HINT = (
    "unknown parameter 'nrc_shar' (did you mean 'nrc_share'?; see natosim list parameters)"
)


def _calibration(**changes: object) -> str:
    return CALIBRATION.format(**{**GOOD, **changes})


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "keep.txt").write_text("the user's own file\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _refused(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """The one line of a command that must fail with status 2 and write nothing."""
    before = snapshot(home)
    assert main([*args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    assert snapshot(home) == before  # nothing written, nothing deleted
    return err.strip()


def _file(home: Path, capsys, name: str, text: str, *command: str) -> str:
    """The message (after ``natosim: error: FILE: ``) of ``natosim COMMAND FILE``."""
    (home / name).write_text(text)
    line = _refused(
        home, capsys, *command, name, *(["--out", "out"] if command != ("validate",) else [])
    )
    prefix = f"natosim: error: {home / name}: "
    assert line.startswith(prefix), line
    return line.removeprefix(prefix)


# 1. a parameter typo in an experiment, said as in a scenario


def test_a_lever_typo_gets_the_scenario_s_did_you_mean(home: Path, capsys) -> None:
    said = _file(home, capsys, "exp.toml", SWEEP.format(extra="", lever="nrc_shar"), "sweep")
    assert said == f"levers[0].name: {PARAMETER_HINT}"
    scenario = _file(home, capsys, "sc.toml", HEAD + "[parameters]\nnrc_shar = 0.5\n", "validate")
    assert scenario == f"parameters: {PARAMETER_HINT}"


def test_a_calibration_parameter_typo_gets_a_did_you_mean(home: Path, capsys) -> None:
    text = _calibration(parameter="hostile_weigt")
    assert _file(home, capsys, "cal.toml", text, "calibrate") == (
        "parameters[0].name: unknown parameter 'hostile_weigt' (did you mean 'hostile_weight'?; "
        "see natosim list parameters)"
    )


# 2. outcome, target and bundled-name typos


def test_an_outcome_typo_in_an_experiment_gets_a_did_you_mean(home: Path, capsys) -> None:
    text = SWEEP.format(extra='outcomes = ["crisis"]\n', lever="nrc_share")
    assert _file(home, capsys, "exp.toml", text, "sweep").startswith(
        "outcomes[0]: unknown outcome 'crisis' (did you mean 'crises'"
    )
    text = SWEEP.format(extra='outcomes = ["crises", "zzz"]\n', lever="nrc_share")
    assert _file(home, capsys, "exp.toml", text, "sweep").startswith(
        "outcomes[1]: unknown outcome 'zzz' (built in: final_trust_rus_nato, "
    )


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        (
            {"target": "US"},
            "targets[1].target: unknown actor 'US' (did you mean 'USA' or 'RUS'?; "
            "see natosim list actors)",
        ),
        (
            {"series": "dist_rus_usa"},
            "targets[1].series: unknown series 'dist_rus_usa' (did you mean 'dist_rus_usa_fp' "
            "or 'dist_rus_usa_all'?; distance columns: dist_rus_usa_all, ",
        ),
        ({"series": "US"}, "targets[1].series: unknown series 'US' (distance columns: "),
    ],
)
def test_a_calibration_target_typo_gets_a_did_you_mean(
    home: Path, capsys, changes: dict[str, str], said: str
) -> None:
    assert _file(home, capsys, "cal.toml", _calibration(**changes), "calibrate").startswith(said)


@pytest.mark.parametrize(
    ("command", "name", "said"),
    [
        ("validate", "no_enlargment", "(did you mean 'no_enlargement'?; looked for "),
        ("run", "historcal", "(did you mean 'historical' or "),
        ("sweep", "levers_gird", "(did you mean 'levers_grid'?; looked for "),
    ],
)
def test_a_bundled_name_typo_gets_a_did_you_mean(
    home: Path, capsys, command: str, name: str, said: str
) -> None:
    line = _refused(
        home, capsys, command, name, *(["--out", "out"] if command != "validate" else [])
    )
    assert line.startswith(f"natosim: error: {name}: file not found {said}"), line
    assert "then among the bundled " in line


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("near_misses")
    (base / "tiny.toml").write_text(SWEEP.format(extra="", lever="nrc_share"))
    sweep, run = base / "sweep", base / "run"
    assert main(["sweep", str(base / "tiny.toml"), "--out", str(sweep), "--quiet"]) == 0
    assert main(["run", "historical", "--out", str(run), "--quiet", "--no-plot"]) == 0
    return {"sweep": sweep, "run": run}


def test_a_plot_outcome_typo_gets_a_did_you_mean(folders: dict[str, Path], capsys) -> None:
    sweep, run = folders["sweep"], folders["run"]
    base = sweep.parent
    line = _refused(base, capsys, "plot", str(sweep), "--outcome", "crisis", "--quiet")
    assert line.startswith(
        f"natosim: error: --outcome 'crisis': not an outcome of {sweep} (did you mean 'crises'"
    ), line
    assert "recorded: final_trust_rus_nato, " in line
    line = _refused(base, capsys, "plot", str(run), str(sweep), "--outcome", "crisis")
    assert line.startswith("natosim: error: --outcome 'crisis': "), line
    assert "(did you mean 'crises'" in line
    line = _refused(base, capsys, "plot", str(run), "--outcome", "crisis", "--quiet")
    assert line.startswith(
        f"natosim: error: --outcome 'crisis': a run folder ({run}) gives the built-in outcomes "
        "only (did you mean 'crises'"
    ), line


# 3. a value outside a field's choices or bounds, in the project's words


@pytest.mark.parametrize(
    ("name", "text", "command", "said"),
    [
        (
            "exp.toml",
            SWEEP.format(extra="", lever="nrc_share").replace('"grid"', '"gird"'),
            "sweep",
            "design: must be one of grid, lhs, sobol, morris; got 'gird' (did you mean 'grid'?)",
        ),
        (
            "exp.toml",
            SWEEP.format(extra="", lever="nrc_share").replace('"grid"', '"factorial"'),
            "sweep",
            "design: must be one of grid, lhs, sobol, morris; got 'factorial'",
        ),
        (
            "exp.toml",
            SWEEP.format(extra="", lever="nrc_share").replace("levels = 2", "levels = 1"),
            "sweep",
            "levels: must be at least 2, got 1",
        ),
        (
            "sc.toml",
            HEAD + '[[shocks]]\nyear = 2005\nkind = "leadershp"\nactor = "USA"\n',
            "validate",
            "shocks[0].kind: must be one of threat, leadership, course, domestic; got "
            "'leadershp' (did you mean 'leadership'?)",
        ),
        (
            "sc.toml",
            HEAD + '[[shocks]]\nyear = 2005\nkind = "course"\nactor = "RUS"\nmagnitude = 9.0\n',
            "validate",
            "shocks[0].magnitude: must be at most 5.0, got 9.0",
        ),
        (
            "cal.toml",
            _calibration(particles=1),
            "calibrate",
            "abc.particles: must be at least 10, got 1",
        ),
    ],
)
def test_a_value_outside_the_choices_or_bounds_is_said_plainly(
    home: Path, capsys, name: str, text: str, command: str, said: str
) -> None:
    assert _file(home, capsys, name, text, command) == said


# 4. an event's target as the user wrote it


@pytest.mark.parametrize("value", ["5", "[]", "[5]", '{ code = "RUS" }'])
def test_an_event_target_that_is_not_a_code_names_target(home: Path, capsys, value: str) -> None:
    text = HEAD + f'[[events]]\nyear = 2005\nactor = "USA"\naction = "reset"\ntarget = {value}\n'
    said = _file(home, capsys, "sc.toml", text, "validate")
    assert said.startswith(
        'events[0].target: must be a code (target = "RUS") or a list of codes '
        '(target = ["POL", "CZE"]), got '
    ), said


def test_a_later_check_of_an_event_target_names_target_too(home: Path, capsys) -> None:
    text = HEAD + '[[events]]\nyear = 2005\nactor = "USA"\naction = "reset"\ntarget = ["RUSSIA"]\n'
    assert _file(home, capsys, "sc.toml", text, "validate") == (
        "events[0].target: unknown target 'RUSSIA' (did you mean 'RUS'?; see natosim list actors)"
    )
    text = text.replace("target =", "targets =")
    assert _file(home, capsys, "sc.toml", text, "validate").startswith("events[0].targets: ")


# 5. a bundled name of the other kind


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["run", "levers_grid"],
            "levers_grid: this is a bundled experiment, not a scenario: run it with natosim sweep "
            "or natosim calibrate",
        ),
        (
            ["run", "calibration"],
            "calibration: this is a bundled experiment, not a scenario: run it with natosim sweep "
            "or natosim calibrate",
        ),
        (
            ["sweep", "historical"],
            "historical: this is a bundled scenario, not an experiment: run it with natosim run, "
            'or name it in an experiment (scenario = "historical")',
        ),
        (
            ["calibrate", "no_kosovo"],
            "no_kosovo: this is a bundled scenario, not an experiment: run it with natosim run, "
            'or name it in an experiment (scenario = "no_kosovo")',
        ),
    ],
)
def test_a_bundled_name_of_the_other_kind_is_named_as_such(
    home: Path, capsys, argv: list[str], line: str
) -> None:
    out = ["--out", "out"] if argv[0] != "validate" else []
    assert _refused(home, capsys, *argv, *out) == f"natosim: error: {line}"


def test_a_local_file_comes_before_a_bundled_name_of_the_other_kind(home: Path, capsys) -> None:
    (home / "levers_grid.toml").write_text(HEAD.replace("mine", "levers_grid"))
    assert main(["validate", "levers_grid"]) == 0
    assert "valid scenario 'levers_grid'" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("key", "meant"),
    [
        ("samples", "n"),
        ("n_samples", "n"),
        ("iterations", "replicates"),
        ("factors", "uncertainties"),
    ],
)
def test_another_tools_word_for_a_sweep_key_names_ours(
    home: Path, capsys, key: str, meant: str
) -> None:
    """SALib's samples, Mesa's iterations, a factors table: the hint is the key meant here."""
    text = SWEEP.format(extra=f"{key} = 3\n", lever="nrc_share")
    said = _file(home, capsys, "exp.toml", text, "sweep")
    assert said == f"{key}: unknown key {key!r} (did you mean {meant!r}?)"


def test_a_calibration_key_hint_names_a_calibration_key(home: Path, capsys) -> None:
    """A sweep's word is no hint in a calibration, which has no n; its own keys are."""
    text = _calibration().replace('name = "cal"\n', 'name = "cal"\nsamples = 3\n')
    said = _file(home, capsys, "cal.toml", text, "calibrate")
    assert said.startswith("samples: unknown key 'samples'") and "'n'" not in said, said
    text = _calibration().replace('name = "cal"\n', 'name = "cal"\nlevelss = 2\n')
    said = _file(home, capsys, "cal.toml", text, "calibrate")
    assert said.startswith("levelss: unknown key 'levelss'") and "'levels'" not in said, said
