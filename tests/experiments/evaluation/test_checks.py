"""Narrative checks on constructed panels, and their agreement with the model's runs."""

from __future__ import annotations

import numpy as np

from sim.experiments.evaluation.checks import AGGREGATE, NARRATIVE, evaluate_checks
from sim.experiments.evaluation.panel import Panel

YEARS = np.arange(1991, 2013)


def _panel(rn: np.ndarray, nr: np.ndarray) -> Panel:
    trust = np.stack([nr, rn], axis=-1)[None]  # pairs: (NATO, RUS), (RUS, NATO)
    return Panel(YEARS, trust, [("NATO", "RUS"), ("RUS", "NATO")])


def test_eleven_checks_with_unique_names() -> None:
    assert len(NARRATIVE) == 11
    assert len({c.name for c in NARRATIVE}) == 11
    assert len(AGGREGATE) == 9


def test_a_flat_history_fails_every_aggregate_check() -> None:
    flat = np.full(YEARS.size, 0.5)
    p = _panel(flat, flat)
    for c in AGGREGATE:
        assert c.applies(p)
        assert not c(p)[0], c.name


def test_a_scripted_history_passes_every_aggregate_check() -> None:
    # Falls in 1994, 1999, 2008, 2011-12; rises 2001-02 and 2009-10; start high.
    d = np.zeros(YEARS.size)
    for year, step in {
        1994: -0.1,
        1999: -0.1,
        2001: 0.05,
        2002: 0.05,
        2008: -0.1,
        2009: 0.05,
        2010: 0.05,
        2011: -0.05,
        2012: -0.05,
    }.items():
        d[year == YEARS] = step
    x = 0.8 + np.cumsum(d)
    p = _panel(x, x)
    assert all(c(p)[0] for c in AGGREGATE)


def test_member_checks_do_not_apply_without_members() -> None:
    flat = np.full(YEARS.size, 0.5)
    rows = evaluate_checks(
        Panel(
            YEARS,
            np.stack([_panel(flat, flat).trust[0]] * 3),
            {("NATO", "RUS"): 0, ("RUS", "NATO"): 1},
        )
    )
    by = {r["name"]: r for r in rows}
    assert by["iraq_2003_hits_washington"]["median_holds"] is None
    assert by["rus_nato_falls_1994"]["replicate_rate"] == 0.0
