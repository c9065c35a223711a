"""The historical scenarios reproduce the article's narrative (medians of 40 replicates).

Checked for ``historical`` (default parameters) and ``historical_calibrated`` (the
parameters fitted to UNGA ideal points by ``natosim calibrate``). Each check is
one of :data:`sim.experiments.evaluation.checks.NARRATIVE` — the same checks
``natosim evaluate`` reports, by name.
"""

from __future__ import annotations

import pytest

from sim import run
from sim.experiments.evaluation.checks import NARRATIVE
from sim.experiments.evaluation.panel import Panel

REPLICATES = 40


@pytest.fixture(scope="module", params=["historical", "historical_calibrated"])
def hist(request):
    return run(request.param, replicates=REPLICATES)


@pytest.mark.parametrize("check", NARRATIVE, ids=lambda c: c.name)
def test_narrative_check_holds_on_the_median(hist, check):
    panel = Panel.of(hist.compiled, hist.arrays.trust)
    assert check.applies(panel)
    assert check(panel.median())[0], check.claim


@pytest.mark.parametrize("name", ["no_enlargement", "nrc_rejuvenated"])
def test_counterfactuals_end_with_more_russian_trust(hist, name):
    # The counterfactual with the same parameters as the history it is compared with.
    cf = run(name, replicates=REPLICATES, **hist.scenario.parameters)
    assert cf.median("RUS", "NATO")[2012] > hist.median("RUS", "NATO")[2012]
