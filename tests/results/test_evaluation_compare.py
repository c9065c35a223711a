"""Two evaluations side by side: the figures, their changes, the verdicts, the resamples."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from sim.files.errors import InputError
from sim.results.evaluation_compare import compare_markdown, read_evaluation


def _target(tid: str, value: float | None, met: bool | None, interval=None) -> dict:
    return {"id": tid, "claim": f"{tid} holds", "bar": "< 0.8", "value": value, "met": met,
            "interval": interval, "firm": True}  # fmt: skip


def _doc(targets: list[dict], seed: int = 1991, scenario: str = "historical") -> dict:
    meta = {"scenario": scenario, "seed": seed, "replicates": 200, "scenario_sha256": "ab",
            "robustness_draws": 100, "robustness_replicates": 40, "resamples": 100}  # fmt: skip
    return {"meta": meta, "targets": targets}


BEFORE = _doc(
    [
        _target("lockstep", 0.864, False, [0.851, 0.867]),
        _target("split", -0.027, True, [-0.031, -0.021]),
        _target("gone", 0.5, True, [0.4, 0.6]),
    ]
)


def _row(md: str, tid: str) -> list[str]:
    (line,) = [x for x in md.splitlines() if x.startswith(f"| `{tid}` |")]
    return [c.strip() for c in line.strip("|").split("|")]


def test_each_target_before_and_after_with_its_change_and_verdicts() -> None:
    after = _doc(
        [
            _target("lockstep", 0.79, True, [0.78, 0.80]),
            _target("split", -0.025, True, [-0.030, -0.020]),
            _target("new", 1.0, False, None),
        ]
    )
    md = compare_markdown(BEFORE, after, ("old", "new"))
    assert md.startswith("# `new` against `old`")
    assert "Targets met: 2 of 3 before, 2 of 3 after." in md
    assert "Verdicts changed: `lockstep`. Only in `old`: `gone`. Only in `new`: `new`." in md
    assert _row(md, "lockstep") == [
        "`lockstep`", "0.864 (0.851 to 0.867)", "0.790 (0.780 to 0.800)", "-0.074",
        "**no → yes**", "**beyond**",
    ]  # fmt: skip
    # overlapping ranges: a change the draw of the seeds may make
    assert _row(md, "split")[3:] == ["+0.002", "yes", "within"]
    assert _row(md, "gone")[1:5] == ["0.500 (0.400 to 0.600)", "not measured", "–", "**yes → –**"]
    assert _row(md, "new")[1:] == ["not measured", "1", "–", "**– → no**", "–"]
    assert "Both on seed 1991 with 200 replicates (common random numbers), which makes a " in md
    assert "less a matter of chance but not free of it" in md
    assert "- `lockstep`: lockstep holds (< 0.8)" in md


def test_other_seeds_or_another_scenario_are_said() -> None:
    after = copy.deepcopy(BEFORE)
    after["meta"] |= {"seed": 7, "scenario": "hindcast"}
    md = compare_markdown(BEFORE, after, ("a", "b"))
    assert "The two differ in seed 1991 and 7: their runs are not the same draws" in md
    assert "Scenarios: `historical` and `hindcast`." in md
    assert "No verdict changed." in md
    fewer = copy.deepcopy(BEFORE)
    fewer["meta"] |= {"robustness_draws": 10, "calibration": "mine"}
    md = compare_markdown(BEFORE, fewer, ("a", "b"))
    assert "(common random numbers)" in md
    assert "they differ in robustness_draws 100 and 10, calibration None and mine." in md
    same = copy.deepcopy(BEFORE)
    same["meta"]["scenario_sha256"] = "cd"
    assert "is not the same file in the two" in compare_markdown(BEFORE, same, ("a", "b"))


def test_a_shifted_or_loose_figure_is_marked_and_a_count_changes_by_whole_numbers() -> None:
    after = copy.deepcopy(BEFORE)
    after["targets"][0] |= {"value": 0.814, "interval": [0.712, 0.807], "shifted": True}
    after["targets"][1] |= {"firm": False}
    before = copy.deepcopy(BEFORE)
    before["targets"].append(_target("checks", 11, True, [11, 11]))
    after["targets"].append(_target("checks", 7, False, [6, 9]))
    md = compare_markdown(before, after, ("a", "b"))
    assert _row(md, "lockstep")[2:] == [
        "0.814 (0.712 to 0.807), shifted", "-0.050", "no", "not judged (a range shifted)",
    ]  # fmt: skip
    assert _row(md, "split")[2] == "-0.027 (-0.031 to -0.021), within chance"
    assert _row(md, "checks")[1:] == ["11 (11 to 11)", "7 (6 to 9)", "-4", "**yes → no**",
                                      "**beyond**"]  # fmt: skip


def test_without_resamples_there_is_no_column_for_them() -> None:
    bare = _doc([_target("lockstep", 0.864, False)])
    md = compare_markdown(bare, bare, ("a", "b"))
    assert _row(md, "lockstep") == ["`lockstep`", "0.864", "0.864", "0", "no"]
    assert "change vs resamples" not in md and "bootstrap" not in md


def _write(tmp_path: Path, doc: object, name: str = "ev") -> Path:
    d = tmp_path / name
    d.mkdir()
    (d / "evaluation.json").write_text(json.dumps(doc), encoding="utf-8")
    return d


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda d: d.pop("meta"), "meta.scenario: missing"),
        (lambda d: d.pop("targets"), "targets: missing or not a list"),
        (lambda d: d["targets"][1].pop("id"), "targets[1].id: missing or not a name"),
        (lambda d: d["targets"][0].update(value="high"), "targets[0].value: not a number"),
        (lambda d: d["targets"][0].update(value=True), "targets[0].value: not a number"),
        (lambda d: d["targets"][2].update(met="yes"), "targets[2].met: not true, false or null"),
        (lambda d: d["targets"][2].update(shifted=1), "targets[2].shifted: not true, false"),
        (lambda d: d["targets"][0].update(interval=[1]), "targets[0].interval: not two numbers"),
        (lambda d: d["targets"][0].update(claim=3), "targets[0].claim: missing or not text"),
        (lambda d: d["targets"].append(d["targets"][0]), "targets: 'lockstep' is listed twice"),
        (lambda d: d["meta"].pop("seed"), "meta.seed: missing or not a whole number"),
        (lambda d: d["meta"].update(replicates=2.5), "meta.replicates: missing or not a whole"),
        (lambda d: d["meta"].update(versions="zzz"), "meta.versions: not a table"),
    ],
)
def test_a_damaged_evaluation_is_one_line_naming_the_file_and_key(
    tmp_path: Path, change, says: str
) -> None:
    doc = copy.deepcopy(BEFORE)
    change(doc)
    d = _write(tmp_path, doc)
    with pytest.raises(InputError) as e:
        read_evaluation(d)
    assert str(e.value).startswith(f"{d / 'evaluation.json'}: {says}")
    assert "\n" not in str(e.value)


def test_a_folder_without_an_evaluation_and_a_file_that_is_not_json(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"holds no evaluation.json \(a folder `natosim"):
        read_evaluation(tmp_path)
    with pytest.raises(InputError, match="not found"):
        read_evaluation(tmp_path / "nothing")
    (tmp_path / "evaluation.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_evaluation(tmp_path)
    assert str(e.value).startswith(str(tmp_path / "evaluation.json"))
    ok = _write(tmp_path, BEFORE, "ok")
    assert read_evaluation(ok / "evaluation.json") == BEFORE
    (ok / "evaluation.md").write_text("# report", encoding="utf-8")
    with pytest.raises(InputError) as e:  # named as itself, not as the .json beside it
        read_evaluation(ok / "evaluation.md")
    assert str(e.value).startswith(f"--compare: {ok / 'evaluation.md'}: is a file, not an")
