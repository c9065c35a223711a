"""Section 3 of ``evaluation.md``: the data comparison says which years it saw."""

from __future__ import annotations

from sim.results.data_report import data_markdown

NULLS = ("trend", "step", "persistence", "event_impulse")


def _window(train, test, rmse, skill):
    scores = {"r_levels": 0.5, "r_changes": 0.4, "rmse": rmse}
    return {
        "train": list(train),
        "test": list(test),
        "model": {**scores, "skill": dict(zip(NULLS, skill, strict=True))},
        "nulls": {n: dict(scores) for n in NULLS},
    }


def _ev(by_start):
    held = _window((1992, 2005), (2006, 2012), 0.08, (0.7, 0.6, 0.4, 0.9))
    entry = {
        "series": "mean_dist_rus_nato_members_all",
        "pair": "RUS->NATO",
        "label": "distance to the mean NATO member",
        "in_sample": _window((1992, 2012), (1992, 2012), 0.1, (0.1, 0.1, 0.2, 0.3)),
        "held_out": held,
    }
    if by_start:
        entry["held_out_by_start"] = [
            {
                "train": [1991, 2005],
                "rmse": 0.195,
                "skill": dict(zip(NULLS, (0.1, -0.6, -0.5, 0.6), strict=True)),
            },
            {"train": [1992, 2005], "rmse": 0.08, "skill": held["model"]["skill"]},
            {
                "train": [1993, 2005],
                "rmse": 0.115,
                "skill": dict(zip(NULLS, (0.5, 0.05, None, 0.7), strict=True)),
            },
        ]
    return {"data": {"mean_dist_rus_nato_members_all": entry}}


def test_the_years_seen_are_read_from_the_windows() -> None:
    md = data_markdown(_ev(by_start=False))
    assert "every null model see 1992–2005 only; the figures are for 2006–2012" in md
    assert "fitted 1992–2005, scored 2006–2012" in md
    assert "Does the held-out verdict hang" not in md


def test_the_verdict_by_first_training_year_names_the_weakest_null() -> None:
    md = data_markdown(_ev(by_start=True))
    line = next(x for x in md.split("\n\n") if x.startswith("Does the held-out verdict hang"))
    assert "1991: RMSE 0.195, smallest skill -0.600 (step)" in line
    assert "**1992**: RMSE 0.080, smallest skill 0.400 (persistence)" in line
    # a null model without error cannot be beaten: it is the weakest point, shown as –
    assert "1993: RMSE 0.115, smallest skill – (persistence)" in line
    assert line.endswith(
        "The verdict changes with the first training year: it rests on that choice."
    )


def test_the_verdict_over_the_posterior_is_reported() -> None:
    ev = _ev(by_start=False)
    held = ev["data"]["mean_dist_rus_nato_members_all"]["held_out"]
    held["posterior"] = {
        "particles": 120,
        "share_beats_every_null": 0.8333,
        "smallest_skill": {"q05": -0.2, "median": 0.3, "q95": 0.5},
    }
    md = data_markdown(ev)
    assert "Over the 120 particles of the training fit's posterior (weighted)" in md
    assert "beats every null model in 83 % of it" in md
    assert "median 0.300 (90 %: -0.200 to 0.500)" in md
