"""The scorecard reads each target off the evaluation's own sections, and nothing else."""

from __future__ import annotations

import copy

import pytest

from sim.experiments.evaluation.targets import TARGETS, scorecard
from sim.results.scorecard_report import scorecard_markdown

YEARS = list(range(2002, 2013))


def _passing() -> dict:
    """An evaluation in which every target is met (each figure on the right side)."""
    zero = [0.0] * len(YEARS)
    enl = [0.06 if y == 2004 else 0.01 for y in YEARS]
    drift = {"rus_nato": {"change_2060_2100": 0.01}, "nato_rus": {"change_2060_2100": -0.02}}
    skill = {"trend": 0.2, "step": 0.1, "persistence": 0.05, "event_impulse": 0.3}
    return {
        "narrative": [{"median_holds": True}] * 11,
        "ablation": {
            "entries": [
                {
                    "entry": "R.tension.enlargement",
                    "by_year": {"years": YEARS, "rus_nato": enl, "nato_rus": zero},
                },
                {
                    "entry": "N.threat.iran",
                    "by_year": {"years": YEARS, "rus_nato": zero, "nato_rus": [0.001, *zero[1:]]},
                },
            ],
            "swap_lenses": {
                "gap": {
                    "scenario": {"mean": -0.08, "last": -0.02},
                    "swapped": {"mean": 0.03, "last": -0.009},
                    "year": 2012,
                }
            },
        },
        "alliance": {
            "lockstep": {"mean_correlation": 0.79},
            "split_2003": {"USA->DEU": -0.02, "DEU->USA": -0.08, "USA->FRA": -0.001},
            "levers_2012": {
                "two_tier": {"rus_nato": -0.001, "nato_rus": -0.031},
                "consensus": {"rus_nato": 0.04, "nato_rus": 0.0},
            },
        },
        "emergence": {
            "cycles_per_run": {
                "free": {"median": 2.0, "share_two_or_more": 0.5},
                "projection_2013_2030": {"mean": 1.0},
            },
            "stationarity": {"from_0.9": drift, "from_0.3": drift, "gap_2100": {"a": 0.05}},
            "chosen_share": {"rus_nato": {"share": 0.3}, "nato_rus": {"share": 0.9}},
            "free_narrative": {"median_holds": 5},
        },
        "data": {
            s: {"held_out": {"model": {"skill": dict(skill)}}}
            for s in ("mean_dist_rus_nato_members_all", "dist_rus_usa_all")
        },
    }


def _set(ev: dict, path: tuple, value) -> dict:
    out = copy.deepcopy(ev)
    cur = out
    for k in path[:-1]:
        cur = cur[k]
    cur[path[-1]] = value
    return out


#: One change per target that puts just that figure on the wrong side of its bar.
FAILS = {
    "enlargement_entry_2004": (
        ("ablation", "entries", 0, "by_year", "rus_nato"),
        [0.049 if y == 2004 else 0.5 for y in YEARS],
    ),
    "lenses_asymmetry_2012": (
        ("ablation", "swap_lenses", "gap", "swapped", "last"),
        -0.0101,
    ),
    "lenses_asymmetry_mean": (("ablation", "swap_lenses", "gap", "swapped", "mean"), -0.041),
    "every_entry_acts": (
        ("ablation", "entries", 1, "by_year", "nato_rus"),
        [0.0] * len(YEARS),
    ),
    "members_not_in_lockstep": (("alliance", "lockstep", "mean_correlation"), 0.8),
    "iraq_split_2003": (("alliance", "split_2003", "USA->FRA"), 0.0),
    "two_tier_reaches_dialogue": (("alliance", "levers_2012", "two_tier", "nato_rus"), 0.029),
    "consensus_reaches_dialogue": (("alliance", "levers_2012", "consensus", "rus_nato"), -0.02),
    "narrative_checks": (("narrative", 3), {"median_holds": False}),
    "cycles_shocks_only_median": (("emergence", "cycles_per_run", "free", "median"), 1.5),
    "cycles_shocks_only_share": (
        ("emergence", "cycles_per_run", "free", "share_two_or_more"),
        0.495,
    ),
    "cycles_after_the_record": (
        ("emergence", "cycles_per_run", "projection_2013_2030", "mean"),
        0.99,
    ),
    "long_run_settles": (
        ("emergence", "stationarity", "from_0.3", "nato_rus", "change_2060_2100"),
        -0.03,
    ),
    "long_run_forgets_start": (("emergence", "stationarity", "gap_2100", "a"), 0.051),
    "chosen_share_rus_nato": (("emergence", "chosen_share", "rus_nato", "share"), 0.29),
    "chosen_share_nato_rus": (("emergence", "chosen_share", "nato_rus", "share"), 0.1),
    "history_from_shocks": (("emergence", "free_narrative", "median_holds"), 4),
    "beats_nulls_mean_dist_rus_nato_members_all": (
        ("data", "mean_dist_rus_nato_members_all", "held_out", "model", "skill", "step"),
        0.0,
    ),
    "beats_nulls_dist_rus_usa_all": (
        ("data", "dist_rus_usa_all", "held_out", "model", "skill", "persistence"),
        -0.01,
    ),
}


def _met(ev: dict) -> dict[str, bool | None]:
    return {r["id"]: r["met"] for r in scorecard(ev)}


def test_every_target_has_a_failing_case() -> None:
    assert set(FAILS) == {t.id for t in TARGETS}


def test_a_passing_evaluation_meets_every_target() -> None:
    assert all(_met(_passing()).values())


@pytest.mark.parametrize("target", sorted(FAILS))
def test_each_target_fails_alone_on_its_own_figure(target: str) -> None:
    path, value = FAILS[target]
    met = _met(_set(_passing(), path, value))
    assert met.pop(target) is False
    assert all(met.values())


def test_the_values_are_the_sections_figures() -> None:
    rows = {r["id"]: r for r in scorecard(_passing())}
    assert rows["enlargement_entry_2004"]["value"] == 0.06
    assert rows["lenses_asymmetry_mean"]["value"] == pytest.approx((-0.08 - 0.03) / -0.08)
    assert rows["members_not_in_lockstep"]["value"] == 0.79
    assert rows["iraq_split_2003"]["value"] == -0.001
    assert rows["long_run_settles"]["value"] == 0.02  # the largest absolute change
    assert rows["beats_nulls_dist_rus_usa_all"]["value"] == 0.05  # the smallest skill
    assert rows["narrative_checks"]["value"] == 11


def test_missing_sections_are_not_measured() -> None:
    ev = _passing()
    del ev["data"], ev["alliance"]
    rows = {r["id"]: r for r in scorecard(ev)}
    for t in ("members_not_in_lockstep", "iraq_split_2003", "beats_nulls_dist_rus_usa_all"):
        assert rows[t]["value"] is None and rows[t]["met"] is None
    assert rows["narrative_checks"]["met"] is True


def test_the_markdown_shows_each_target_and_the_count() -> None:
    ev = _set(_passing(), FAILS["members_not_in_lockstep"][0], 0.85)
    del ev["data"]
    ev["targets"] = scorecard(ev)
    md = scorecard_markdown(ev)
    assert md.startswith("## Targets")
    assert "16 of the 17 targets measured here are met (2 not measured" in md
    assert "| `members_not_in_lockstep` |" in md and "| 0.850 | < 0.8 | **no** |" in md
    assert md.count("not measured |") == 2


def test_the_details_say_what_lies_behind_a_figure() -> None:
    ev = _passing()
    held = ev["data"]["dist_rus_usa_all"]["held_out"]
    held["model"]["rmse"] = 0.09
    held["nulls"] = {k: {"rmse": 0.1} for k in held["model"]["skill"]}
    ev["alliance"]["lockstep"]["within_run"] = {"mean": 0.78}
    rows = {r["id"]: r for r in scorecard(ev)}
    assert rows["beats_nulls_dist_rus_usa_all"]["detail"] == (
        "RMSE 0.090 against persistence 0.100"
    )
    assert rows["lenses_asymmetry_mean"]["detail"] == "gap mean -0.080, swapped +0.030"
    assert rows["members_not_in_lockstep"]["detail"] == "within a run 0.780"
    assert rows["beats_nulls_mean_dist_rus_nato_members_all"]["detail"] == ""


def test_a_null_model_without_error_cannot_be_beaten() -> None:
    ev = _passing()
    ev["data"]["dist_rus_usa_all"]["held_out"]["model"]["skill"]["persistence"] = None
    assert _met(ev)["beats_nulls_dist_rus_usa_all"] is False


def test_the_markdown_gives_each_verdict_its_monte_carlo_error() -> None:
    ev = _set(_passing(), FAILS["members_not_in_lockstep"][0], 0.85)
    del ev["data"]
    errors = {t.id: {"interval": [0.1, 0.2], "share_met": 1.0, "firm": True} for t in TARGETS}
    errors["members_not_in_lockstep"] = {"interval": [0.78, 0.9], "share_met": 0.3, "firm": False}
    for t in ("beats_nulls_dist_rus_usa_all", "beats_nulls_mean_dist_rus_nato_members_all"):
        errors[t] = {"interval": None, "share_met": None, "firm": None}
    ev["uncertainty"] = {"resamples": 50, "replicates": 200, "firm_at": 0.975, "targets": errors}
    ev["targets"] = scorecard(ev)
    rows = {r["id"]: r for r in ev["targets"]}
    assert rows["members_not_in_lockstep"]["share_met"] == 0.3
    assert rows["members_not_in_lockstep"]["firm"] is False
    md = scorecard_markdown(ev)
    assert "| target | what must hold | value | bar | met | resamples | behind the figure |" in md
    assert "| **no** | 30 % (0.780 to 0.900), **within chance** |" in md
    assert "| yes | 100 % (0.100 to 0.200), firm |" in md
    # a largest absolute value is marked: resampling pushes it away from zero
    assert rows["long_run_settles"]["folded"] is True
    assert rows["members_not_in_lockstep"]["folded"] is False
    assert "| < 0.03 | yes | 100 % (0.100 to 0.200) †, firm |" in md
    assert "50 bootstrap resamples of the 200 replicates" in md
    assert "16 of the 17 verdicts judged are firm" in md
    assert "at 200 replicates: `members_not_in_lockstep`." in md
    # a figure the resampling shifts is not judged
    errors["iraq_split_2003"] = {
        "interval": [-0.01, -0.005],
        "share_met": 1.0,
        "firm": None,
        "shifted": True,
    }
    ev["targets"] = scorecard(ev)
    md = scorecard_markdown(ev)
    assert "| 100 % (-0.010 to -0.005), **shifted**, not judged |" in md
    assert "15 of the 16 verdicts judged are firm" in md
    assert "(the range excludes the point): `iraq_split_2003`." in md
    # without the section, the table has no such column
    del ev["uncertainty"]
    ev["targets"] = scorecard(ev)
    assert "| resamples |" not in scorecard_markdown(ev)


def test_the_chosen_share_detail_gives_the_run_by_run_share_when_it_is_defined() -> None:
    from sim.experiments.evaluation.target_details import chosen_detail

    def ev(median: float) -> dict:
        w = {"median": median, "q25": 0.1, "q75": 0.5}
        return {"emergence": {"chosen_share": {"nato_rus": {"share": 0.2, "within_run": w}}}}

    assert chosen_detail("nato_rus")(ev(0.25)) == "within a run 0.250 (quartiles 0.100–0.500)"
    assert chosen_detail("nato_rus")(ev(float("nan"))) == ""
    assert chosen_detail("rus_nato")(ev(0.25)) == ""  # no such direction in it
