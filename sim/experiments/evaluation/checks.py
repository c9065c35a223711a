"""The article's narrative as checks on trust trajectories (Kanet & Larivé 2012).

Eleven checks, from the model-core issue: nine on the NATO–Russia pair in
both directions and two at member level. Each is a function of a
:class:`~sim.experiments.evaluation.panel.Panel` returning one bool per row, so
the same check runs on the median of the replicates (what the tests assert) and
on every single replicate (how often it holds by chance). The tests in
``tests/model/test_narrative.py`` are these checks, by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sim.data.tables import NATO, RUS, states
from sim.experiments.evaluation.panel import Panel

__all__ = ["AGGREGATE", "NARRATIVE", "Check", "evaluate_checks"]


@dataclass(frozen=True)
class Check:
    """One narrative claim, testable on a panel of trust trajectories.

    Attributes:
        name: Identifier (the test of the same name asserts it).
        claim: What the article says, in the project's words.
        years: Years the check needs reported.
        pairs: Directed pairs the check needs.
        test: Panel to one bool per row.
    """

    name: str
    claim: str
    years: tuple[int, ...]
    pairs: tuple[tuple[str, str], ...]
    test: Callable[[Panel], np.ndarray]

    def applies(self, panel: Panel) -> bool:
        """Whether the panel covers the years and pairs this check needs."""
        return panel.has(*self.years) and all(panel.has_pair(*p) for p in self.pairs)

    def __call__(self, panel: Panel) -> np.ndarray:
        """One bool per row of the panel."""
        return np.asarray(self.test(panel), dtype=bool).reshape(panel.n)


RN, NR = (RUS, NATO), (NATO, RUS)


def _falls(pair: tuple[str, str], before: int, after: int) -> Callable[[Panel], np.ndarray]:
    return lambda p: p.at(*pair, after) < p.at(*pair, before)


def _rises(pair: tuple[str, str], before: int, after: int) -> Callable[[Panel], np.ndarray]:
    return lambda p: p.at(*pair, after) > p.at(*pair, before)


def _ends_lower(p: Panel) -> np.ndarray:
    ok = np.ones(p.n, bool)
    for pair in (RN, NR):
        ok &= p.span(*pair, 2010, 2012).max(axis=1) < p.span(*pair, 1991, 1993).min(axis=1)
    return ok


def _iraq(p: Panel) -> np.ndarray:
    d_usa = p.at(RUS, "USA", 2003) - p.at(RUS, "USA", 2002)
    ok = d_usa < 0
    for code in ("DEU", "FRA"):
        ok &= d_usa < p.at(RUS, code, 2003) - p.at(RUS, code, 2002)
    return ok


def _tiers() -> tuple[list[str], list[str]]:
    new = [s.code for s in states() if s.accession in (1999, 2004)]
    old = [s.code for s in states() if s.tier == "old"]
    return new, old


def _two_tier(p: Panel) -> np.ndarray:
    new, old = _tiers()
    new = [c for c in new if p.has_pair(c, RUS)]
    old = [c for c in old if p.has_pair(c, RUS)]
    m = p.years >= 2004
    new_mean = np.mean([p.series(c, RUS)[:, m] for c in new], axis=0)
    old_mean = np.mean([p.series(c, RUS)[:, m] for c in old], axis=0)
    return (new_mean < old_mean).all(axis=1)


AGGREGATE: tuple[Check, ...] = (
    Check(
        "rus_nato_falls_1994",
        "Russia→NATO falls in 1994 (PfP, Bosnia, the decision to widen)",
        (1993, 1994),
        (RN,),
        _falls(RN, 1993, 1994),
    ),
    Check(
        "rus_nato_falls_1999",
        "Russia→NATO falls in 1999 (Kosovo, first eastern enlargement)",
        (1998, 1999),
        (RN,),
        _falls(RN, 1998, 1999),
    ),
    Check(
        "nato_rus_rises_2000_2002",
        "NATO→Russia is higher in 2002 than in 2000 (9/11, Rome)",
        (2000, 2002),
        (NR,),
        _rises(NR, 2000, 2002),
    ),
    Check(
        "rus_nato_falls_2008",
        "Russia→NATO falls in 2008 (Georgia war, Bucharest promise)",
        (2007, 2008),
        (RN,),
        _falls(RN, 2007, 2008),
    ),
    Check(
        "nato_rus_falls_2008",
        "NATO→Russia falls in 2008 (Georgia war)",
        (2007, 2008),
        (NR,),
        _falls(NR, 2007, 2008),
    ),
    Check(
        "rus_nato_recovers_2010",
        "Russia→NATO is higher in 2010 than in 2008 (reset)",
        (2008, 2010),
        (RN,),
        _rises(RN, 2008, 2010),
    ),
    Check(
        "nato_rus_recovers_2010",
        "NATO→Russia is higher in 2010 than in 2008 (reset, Lisbon)",
        (2008, 2010),
        (NR,),
        _rises(NR, 2008, 2010),
    ),
    Check(
        "rus_nato_falls_2010_2012",
        "Russia→NATO is lower in 2012 than in 2010 (Libya)",
        (2010, 2012),
        (RN,),
        _falls(RN, 2010, 2012),
    ),
    Check(
        "ends_lower",
        "both directions are lower in 2010–12 than in 1991–93",
        (1991, 1992, 1993, 2010, 2011, 2012),
        (RN, NR),
        _ends_lower,
    ),
)

MEMBERS: tuple[Check, ...] = (
    Check(
        "iraq_2003_hits_washington",
        "in 2003 Russia's trust in the USA falls, by more than "
        "in Germany and France (the Iraq split)",
        (2002, 2003),
        ((RUS, "USA"), (RUS, "DEU"), (RUS, "FRA")),
        _iraq,
    ),
    Check(
        "two_tier_from_2004",
        "from 2004 the new eastern members trust Russia less than "
        "the old western members do (a two-tiered NATO)",
        (2004,),
        (("POL", RUS), ("DEU", RUS)),
        _two_tier,
    ),
)

#: The eleven narrative checks, in order.
NARRATIVE: tuple[Check, ...] = AGGREGATE + MEMBERS


def evaluate_checks(panel: Panel, checks: tuple[Check, ...] = NARRATIVE) -> list[dict]:
    """Each check on the median and on every replicate of a panel.

    Args:
        panel: Trust of the replicates (not a median).
        checks: Which checks.

    Returns:
        One dict per check: ``name``, ``claim``, ``median_holds`` (bool, or None when
        the panel does not cover the check) and ``replicate_rate`` (share of single
        replicates in which it holds, or None).
    """
    med = panel.median()
    out = []
    for c in checks:
        if not c.applies(panel):
            out.append(
                {"name": c.name, "claim": c.claim, "median_holds": None, "replicate_rate": None}
            )
            continue
        out.append(
            {
                "name": c.name,
                "claim": c.claim,
                "median_holds": bool(c(med)[0]),
                "replicate_rate": float(c(panel).mean()),
            }
        )
    return out
