"""The historical scenarios reproduce the article's narrative (medians of 40 replicates).

Checked for ``historical`` (default parameters) and ``historical_calibrated`` (the
parameters fitted to UNGA ideal points by ``natosim calibrate``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim import run
from sim.data.tables import states

REPLICATES = 40


@pytest.fixture(scope="module", params=["historical", "historical_calibrated"])
def hist(request):
    return run(request.param, replicates=REPLICATES)


def _med(res, o, t) -> pd.Series:
    return res.median(o, t)


def test_russia_trust_falls_in_1994_and_1999(hist):
    rn = _med(hist, "RUS", "NATO")
    assert rn[1994] < rn[1993]
    assert rn[1999] < rn[1998]


def test_post_9_11_rapprochement(hist):
    nr = _med(hist, "NATO", "RUS")
    assert nr[2002] > nr[2000]


def test_georgia_2008_and_reset(hist):
    rn, nr = _med(hist, "RUS", "NATO"), _med(hist, "NATO", "RUS")
    assert rn[2008] < rn[2007] and nr[2008] < nr[2007]
    assert rn[2010] > rn[2008] and nr[2010] > nr[2008]


def test_libya_and_shield_after_lisbon(hist):
    rn = _med(hist, "RUS", "NATO")
    assert rn[2012] < rn[2010]


def test_perpetual_new_beginning_ends_lower(hist):
    for o, t in (("RUS", "NATO"), ("NATO", "RUS")):
        m = _med(hist, o, t)
        assert m.loc[2010:2012].max() < m.loc[1991:1993].min()


def test_iraq_2003_hits_washington_not_berlin_or_paris(hist):
    usa = _med(hist, "RUS", "USA")
    d_usa = usa[2003] - usa[2002]
    assert d_usa < 0
    for code in ("DEU", "FRA"):
        m = _med(hist, "RUS", code)
        assert d_usa < m[2003] - m[2002]


def test_two_tiered_nato_from_2004(hist):
    st = {s.code: s for s in states()}
    new = [c for c, s in st.items() if s.accession in (1999, 2004)]
    old = [c for c, s in st.items() if s.tier == "old"]
    years = hist.years
    for y in years[years >= 2004]:
        i = int(np.flatnonzero(years == y)[0])
        new_mean = np.mean([np.median(hist.series(c, "RUS")[:, i]) for c in new])
        old_mean = np.mean([np.median(hist.series(c, "RUS")[:, i]) for c in old])
        assert new_mean < old_mean, y


@pytest.mark.parametrize("name", ["no_enlargement", "nrc_rejuvenated"])
def test_counterfactuals_end_with_more_russian_trust(hist, name):
    # The counterfactual with the same parameters as the history it is compared with.
    cf = run(name, replicates=REPLICATES, **hist.scenario.parameters)
    assert _med(cf, "RUS", "NATO")[2012] > _med(hist, "RUS", "NATO")[2012]
