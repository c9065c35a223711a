"""The alliance's own politics: are members in lockstep, does the Iraq split show?

- ``lockstep``: mean pairwise correlation of the members' yearly changes of trust
  in Russia (on the median of the replicates), over the members of 2009, with the
  scenario's parameters and with every member reading Russia's threats alike
  (``proximity = 0``, same seeds);
- ``split_2003``: change of the median trust between the USA and Germany and
  France, both ways, from 2002 to 2003;
- ``levers_2012``: change of the 2012 median of each headline direction when
  ``two_tier``, ``consensus`` and ``member_voice`` go from 0 to 1 (same seeds).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.data import tables
from sim.data.tables import NATO, RUS
from sim.experiments.evaluation.baseline import Baseline
from sim.experiments.evaluation.panel import Panel

__all__ = ["alliance", "lockstep"]

SPLIT_PAIRS = (("USA", "DEU"), ("DEU", "USA"), ("USA", "FRA"), ("FRA", "USA"))
LEVERS = ("two_tier", "consensus", "member_voice")


def lockstep(med: Panel) -> tuple[int, float]:
    """Members of 2009 and the mean pairwise correlation of their yearly changes.

    ``med`` is a median view (one series per pair); the changes are those of each
    member's trust in Russia over the view's years.
    """
    members = [
        s.code
        for s in tables.states()
        if s.accession and s.accession <= 2009 and med.has_pair(s.code, RUS)
    ]
    d = np.diff(np.array([med.series(c, RUS)[0] for c in members]), axis=1)
    corr = np.corrcoef(d)
    iu = np.triu_indices(len(members), 1)
    return len(members), float(corr[iu].mean())


def alliance(base: Baseline) -> dict[str, Any] | None:
    """The alliance section, or None when the scenario does not cover 2002-2012."""
    if not base.panel.has(2002, 2003, 2009, 2012):
        return None
    med = base.median
    n_members, mean_corr = lockstep(med)
    split = {
        f"{a}->{b}": float(med.at(a, b, 2003)[0] - med.at(a, b, 2002)[0])
        for a, b in SPLIT_PAIRS
        if med.has_pair(a, b)
    }
    levers = {}
    for name in LEVERS:
        out = []
        for v in (0.0, 1.0):
            m = base.simulate(**{name: v}).median()
            out.append((float(m.at(RUS, NATO, 2012)[0]), float(m.at(NATO, RUS, 2012)[0])))
        levers[name] = {"rus_nato": out[1][0] - out[0][0], "nato_rus": out[1][1] - out[0][1]}
    return {
        "lockstep": {
            "members": n_members,
            "mean_correlation": mean_corr,
            "without_proximity": lockstep(base.simulate(proximity=0.0).median())[1],
        },
        "split_2003": split,
        "levers_2012": levers,
    }
