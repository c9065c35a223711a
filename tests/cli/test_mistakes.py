"""The mistakes a new user made writing "no missile shield in 2007", one by one.

Each is written in the user's own folder (outside the checkout) and must give
one line naming the file and the field, exit status 2, and nothing written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cli.main import main

HEAD = 'name = "no_shield"\nextends = "historical.toml"\n'
SHIELD_2007 = '[[remove]]\naction = "missile_shield_deployment"\nyear = 2007\n'

CASES = {
    "counterfactual_goes_inconsistent": (
        HEAD + SHIELD_2007 + '[[forbid]]\naction = "missile_shield_deployment"\nto = 2010\n',
        "remove[0]: 2008 RUS counter_deployment NATO needs a missile shield in place "
        "(shield_on), but this entry takes out 2007 USA missile_shield_deployment POL/CZE; "
        'also remove it ([[remove]] action = "counter_deployment", year = 2008), or set '
        'on_inconsistent = "drop"',
    ),
    "remove_with_the_wrong_actor": (
        HEAD + SHIELD_2007.replace("year", 'actor = "NATO"\nyear'),
        "remove[0]: matches no scheduled event (action missile_shield_deployment, actor NATO, "
        "year 2007); nearest: 2007 USA missile_shield_deployment POL/CZE (actor USA), "
        "2011 NATO missile_shield_deployment ROU/TUR (year 2011), "
        "2012 NATO missile_shield_deployment TUR (year 2012)",
    ),
    "re_adding_what_the_file_removes": (
        HEAD
        + '[[remove]]\naction = "missile_shield_deployment"\n'
        + '[[events]]\nyear = 2011\nactor = "NATO"\naction = "missile_shield_deployment"\n'
        'target = "TUR"\n',
        "remove[0]: takes out events[0] (2011 NATO missile_shield_deployment TUR) of the same "
        "file; narrow it (year, actor or target) or delete the event",
    ),
    "remove_with_the_wrong_year": (
        HEAD + SHIELD_2007.replace("2007", "2006"),
        "remove[0]: matches no scheduled event (action missile_shield_deployment, year 2006); "
        "nearest: 2007 USA missile_shield_deployment POL/CZE (year 2007)",
    ),
    "misspelt_action": (
        HEAD + '[[events]]\nyear = 2007\nactor = "USA"\naction = "missle_shield_deployment"\n'
        'target = "POL"\n',
        "events[0].action: unknown action 'missle_shield_deployment' (did you mean "
        "'missile_shield_deployment'?; see natosim list actions)",
    ),
    "actor_US": (
        HEAD + '[[events]]\nyear = 2009\nactor = "US"\naction = "reset"\ntarget = "RUS"\n',
        "events[0].actor: unknown actor 'US' (did you mean 'USA' or 'RUS'?; "
        "see natosim list actors)",
    ),
    "target_RUSSIA": (
        HEAD + '[[events]]\nyear = 2009\nactor = "USA"\naction = "reset"\ntarget = "RUSSIA"\n',
        "events[0].target: unknown target 'RUSSIA' (did you mean 'RUS'?; see natosim list actors)",
    ),
    "year_outside_the_span": (
        HEAD + '[[remove]]\naction = "reset"\nyear = 2027\n',
        "remove[0].year: 2027 is outside the time span 1991-2012",
    ),
    "first_own_shock_is_shocks_0": (
        HEAD + '[[shocks]]\nyear = 2031\nkind = "threat"\ntheme = "terrorism"\n',
        "shocks[0].year: 2031 is outside the time span 1991-2012",
    ),
    "year_as_a_string": (
        HEAD + '[[events]]\nyear = "2000"\nactor = "USA"\naction = "reset"\ntarget = "RUS"\n',
        "events[0].year: must be a whole number, not the string '2000' (write it without quotes)",
    ),
    "year_true": (
        HEAD + '[[remove]]\naction = "reset"\nyear = true\n',
        "remove[0].year: must be a whole number, not true",
    ),
    "nato_uses_force": (
        HEAD + '[[events]]\nyear = 2005\nactor = "NATO"\naction = "use_of_force"\ntarget = "UKR"\n',
        "events[0].actor: NATO may not take use_of_force (who may: RUS only)",
    ),
    "forbid_nato_using_force": (
        HEAD + '[[forbid]]\nactor = "NATO"\naction = "use_of_force"\n',
        "forbid[0]: matches no choice any actor can make (action use_of_force, actor NATO); "
        "nearest: RUS use_of_force UKR (actor RUS), RUS use_of_force GEO (actor RUS)",
    ),
    "misspelt_theme": (
        HEAD + '[[shocks]]\nyear = 2005\nkind = "threat"\ntheme = "terror"\n',
        "shocks[0]: unknown theme 'terror' (did you mean 'terrorism'?; valid: terrorism, "
        "proliferation, piracy, narcotics)",
    ),
    "misspelt_parameter": (
        HEAD + "[parameters]\nnrc_shar = 0.5\n",
        "parameters: unknown parameter 'nrc_shar' (did you mean 'nrc_share'?; "
        "see natosim list parameters)",
    ),
    "misspelt_key": (
        HEAD + '[[events]]\nyear = 2009\nactor = "USA"\naction = "reset"\ntraget = "RUS"\n',
        "events[0].traget: unknown key 'traget' (did you mean 'target' or 'targets'?; "
        "valid: year, actor, action, targets, note, source, target)",
    ),
    "enlargement_aimed_at_russia": (
        HEAD + '[[events]]\nyear = 2002\nactor = "NATO"\naction = "enlargement_wave"\n'
        'target = "RUS"\n',
        "events[0].target: NATO enlargement_wave RUS: the act is aimed at a state (one that is "
        "not yet a member); RUS is Russia, an actor of its own, not one of the states",
    ),
    "remove_a_shock_that_is_not_there": (
        HEAD + '[[remove]]\naction = "threat_shock"\ntarget = "terrorism"\nyear = 2005\n',
        "remove[0]: matches no shock (action threat_shock, target terrorism, year 2005); "
        "nearest: 2004 WORLD threat_shock terrorism (year 2004)",
    ),
    "theme_on_a_leadership_shock": (
        HEAD + '[[shocks]]\nyear = 2005\nkind = "leadership"\nactor = "USA"\ntheme = "terrorism"\n',
        "shocks[0]: a leadership shock takes no theme (only a threat has one)",
    ),
    "no_name_of_its_own": (
        'extends = "historical.toml"\n[parameters]\nnrc_share = 0.4\n',
        "name: is required in a file that extends another (its runs go to runs/<name>; with "
        "the parent's name 'historical' they would replace the parent's)",
    ),
    "missing_parent": (
        'name = "x"\nextends = "historicl"\n',
        "extends: parent scenario 'historicl': file not found (did you mean 'historical' or "
        "'historical_1991_2024' or 'historical_calibrated'?; looked for ",
    ),
}


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _one_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    return err.strip()


@pytest.mark.parametrize("case", sorted(CASES))
def test_mistake_is_one_line_exit_2_nothing_written(case: str, home: Path, capsys):
    text, message = CASES[case]
    path = home / "no_shield.toml"
    path.write_text(text)
    out = home / "out"
    assert main(["run", "no_shield.toml", "--out", str(out)]) == 2
    err = _one_error(capsys)
    assert err.startswith(f"natosim: error: {path}: {message}"), err
    assert not out.exists() and not (home / "runs").exists()
    assert main(["validate", "no_shield.toml"]) == 2
    assert _one_error(capsys).startswith(f"natosim: error: {path}: {message}")
    assert main(["validate", "no_shield.toml", "--show"]) == 2
    assert capsys.readouterr().out == ""


def test_missing_parent_lists_the_bundled_names(home: Path, capsys):
    (home / "x.toml").write_text(CASES["missing_parent"][0])
    assert main(["validate", "x.toml"]) == 2
    err = _one_error(capsys)
    assert f"looked for {home / 'historicl'}[.toml|.yaml|.yml]" in err
    assert "then among the bundled scenarios: early_reset, hindcast, historical, " in err


def test_set_errors_are_named_as_set(home: Path, capsys):
    out = home / "out"
    assert main(["run", "historical", "--set", "nrc_shar=0.5", "--out", str(out)]) == 2
    assert _one_error(capsys) == (
        "natosim: error: --set nrc_shar: unknown parameter (did you mean 'nrc_share'?; "
        "see natosim list parameters)"
    )
    assert main(["run", "historical", "--set", "nrc_share=2", "--out", str(out)]) == 2
    assert (
        _one_error(capsys) == "natosim: error: --set nrc_share: must be within [0.0, 1.0], got 2.0"
    )
    assert not out.exists()


def test_yaml_errors_are_one_line(home: Path, capsys):
    p = home / "mine.yaml"
    p.write_text("name: mine\nextends: historical\nshocks:\n  - year: 2005\n   kind: threat\n")
    out = home / "out"
    assert main(["run", str(p), "--out", str(out)]) == 2
    err = _one_error(capsys)
    assert err.startswith(f"natosim: error: {p}: malformed YAML: ")
    assert err.endswith("(line 5, column 4)")
    assert not out.exists()


def test_a_yaml_files_fix_is_written_in_yaml(home: Path, capsys):
    """The fix a message suggests is in the file's own format, ready to paste."""
    p = home / "no_shield.yaml"
    p.write_text(
        "name: no_shield\nextends: historical\nremove:\n"
        "  - action: missile_shield_deployment\n    year: 2007\n"
        "forbid:\n  - action: missile_shield_deployment\n    to: 2010\n"
    )
    assert main(["validate", str(p)]) == 2
    assert _one_error(capsys).endswith(
        'also remove it (remove: [{action: "counter_deployment", year: 2008}]), or set '
        'on_inconsistent: "drop"'
    )


def test_drop_warns_in_one_line_and_runs(home: Path, capsys):
    (home / "no_shield.toml").write_text(HEAD + 'on_inconsistent = "drop"\n' + SHIELD_2007)
    out = home / "out"
    assert main(["run", "no_shield.toml", "--out", str(out), "--quiet", "--no-plot"]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(
        f'natosim: warning: {home / "no_shield.toml"}: on_inconsistent = "drop": dropped 2 '
        "scheduled act(s) that cannot happen: 2008 RUS counter_deployment NATO needs a missile "
        "shield in place (shield_on), but remove[0] takes out 2007 USA "
        "missile_shield_deployment POL/CZE; 2009 USA shield_cancellation RUS needs"
    )
    events = (out / "events.csv").read_text()
    assert ",2008,RUS,counter_deployment,NATO,scheduled" not in events
    assert ",2009,USA,shield_cancellation,RUS,scheduled" not in events
    assert ",2011,NATO,missile_shield_deployment,ROU;TUR,scheduled" in events


def test_a_scenario_given_to_sweep_or_calibrate_is_named_as_a_scenario(home: Path, capsys):
    path = home / "no_shield.toml"
    path.write_text(HEAD + "[parameters]\nmemory = 0.2\n")
    for cmd in ("sweep", "calibrate"):
        assert main([cmd, "no_shield.toml", "--out", str(home / "out")]) == 2
        assert _one_error(capsys) == (
            f"natosim: error: {path}: this is a scenario, not an experiment (it has "
            "'extends'): run it with natosim run, or name it in an experiment "
            '(scenario = "no_shield.toml")'
        )
    assert not (home / "out").exists()


def test_an_experiment_given_as_a_scenario_is_named_as_an_experiment(home: Path, capsys):
    exp = home / "grid.toml"
    exp.write_text('name = "grid"\nscenario = "historical"\ndesign = "grid"\nreplicates = 2\n')
    assert main(["run", "grid.toml", "--out", str(home / "out")]) == 2
    assert _one_error(capsys) == (
        f"natosim: error: {exp}: this is an experiment, not a scenario (it has 'design', "
        "'replicates', 'scenario'): run it with natosim sweep or natosim calibrate"
    )
    child = home / "child.toml"
    child.write_text('name = "child"\nextends = "grid.toml"\n')
    assert main(["validate", "child.toml"]) == 2
    assert _one_error(capsys) == (
        f"natosim: error: {child}: extends: parent grid.toml: this is an experiment, not a "
        "scenario (it has 'design', 'replicates', 'scenario')"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'name = "my scenario"\nextends = "historical"\n',
            "name: 'my scenario' is not a name: use letters, digits, _ . and - (not first . "
            "or -), since it names a folder (runs/<name>, sweeps/<name>)",
        ),
        (
            HEAD + '[[events]]\nyear = 2005\nactor = "USA"\naction = "reset"\n',
            'events[0]: needs a target: target = "RUS" (or a list, target = [...])',
        ),
    ],
)
def test_names_and_missing_targets_are_said_plainly(home: Path, capsys, text: str, message: str):
    path = home / "mine.toml"
    path.write_text(text)
    assert main(["validate", "mine.toml"]) == 2
    assert _one_error(capsys) == f"natosim: error: {path}: {message}"


def test_a_byte_order_mark_is_read_as_utf8(home: Path, capsys):
    (home / "bom.toml").write_bytes(b"\xef\xbb\xbf" + HEAD.encode())
    assert main(["validate", "bom.toml"]) == 0
    assert "valid scenario 'no_shield'" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            'design = "lhs"\nn = 4\n[[levers]]\nname = "nrc_share"\nlow = 0.0\nhihg = 1.0\n',
            "levers[0].hihg: unknown key 'hihg' (did you mean 'high'?; valid: name, low, high, "
            "values, integer)",
        ),
        (
            'design = "grid"\nreplicate = 3\n',
            # a sweep's own keys only (report_replicates is a calibration's)
            "replicate: unknown key 'replicate' (did you mean 'replicates'?)",
        ),
        (
            'design = "lhs"\nn = 4\n[[levers]]\nname = "nrc_share"\nlow = 0.0\nhigh = 1.0\n'
            '[[uncertainties]]\nname = "nrc_share"\nlow = 0.0\nhigh = 1.0\n',
            "(top level): parameter 'nrc_share' is listed twice (levers and uncertainties vary "
            "each parameter once)",
        ),
        (
            'design = "lhs"\nn = 4\n[[levers]]\nname = "nrc_share"\nlow = 1.0\nhigh = 0.0\n',
            "levers[0]: nrc_share: low must be below high, got low = 1, high = 0",
        ),
    ],
)
def test_experiment_mistakes_name_the_key(home: Path, capsys, body: str, message: str):
    path = home / "exp.toml"
    path.write_text(f'name = "exp"\nscenario = "historical"\n{body}')
    assert main(["sweep", "exp.toml", "--out", str(home / "out")]) == 2
    assert _one_error(capsys) == f"natosim: error: {path}: {message}"
    assert not (home / "out").exists()


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["run", "historical", "--replicates", "2.5"],
            "natosim run: error: argument --replicates: invalid int value: '2.5' "
            "(see natosim run --help)",
        ),
        (
            ["list", "actor"],
            "natosim list: error: argument kind: invalid choice: 'actor' (choose from 'actors', "
            "'actions', 'parameters', 'themes', 'scenarios', 'experiments') "
            "(see natosim list --help)",
        ),
        ([], "natosim: error: the following arguments are required: COMMAND (see natosim --help)"),
    ],
)
def test_a_mistyped_command_line_is_one_line_too(home: Path, capsys, argv: list[str], line: str):
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 2
    assert _one_error(capsys) == line
    assert not (home / "runs").exists()
