"""The baseline every section shares is the run each section would otherwise redo."""

from __future__ import annotations

import numpy as np
import pytest

from sim import load_scenario, run
from sim.experiments.evaluation.baseline import Baseline
from sim.experiments.evaluation.panel import Panel
from sim.experiments.evaluation.variants import compiled_with_params, simulate
from sim.model.outcomes import TrustView
from sim.model.seeds import replicate_seeds

SEEDS = replicate_seeds(11, 6)


@pytest.fixture(scope="module")
def base() -> Baseline:
    return Baseline.run(load_scenario("historical"), SEEDS)


def test_the_shared_baseline_is_a_fresh_simulation(base) -> None:
    comp, params = compiled_with_params(load_scenario("historical"))
    fresh = simulate(comp, SEEDS, params)
    assert np.array_equal(base.trust, fresh)
    assert base.params == params
    # and the model's own entry point gives the same runs
    assert np.array_equal(base.trust, run("historical", seed=11, replicates=6).arrays.trust)
    assert np.array_equal(base.panel.trust, Panel.of(comp, fresh).trust)
    assert np.array_equal(base.median.trust, Panel.of(comp, fresh).median().trust)


def test_the_shared_runs_cannot_be_changed_by_a_section(base) -> None:
    with pytest.raises(ValueError, match="read-only"):
        base.trust[0, 0, 0] = 0.0


def test_other_parameters_on_the_same_compiled_scenario_and_seeds(base) -> None:
    got = base.simulate(memory=0.4)
    comp, params = compiled_with_params(load_scenario("historical"))
    want = Panel.of(comp, simulate(comp, SEEDS, {**params, "memory": 0.4}))
    assert np.array_equal(got.trust, want.trust)
    assert not np.array_equal(got.trust, base.panel.trust)
    assert np.array_equal(base.simulate().trust, base.panel.trust)


def test_a_panel_is_the_models_trust_view(base) -> None:
    view = TrustView.of(base.comp, base.trust)
    assert isinstance(base.panel, TrustView)
    assert base.panel.pairs == view.pairs and base.panel.n == view.n_runs == len(SEEDS)
    for pair in (("RUS", "NATO"), ("NATO", "RUS"), ("POL", "RUS")):
        assert np.array_equal(base.panel.series(*pair), view.series(*pair))
    # group means come with it
    assert np.array_equal(base.panel.series("members", "RUS"), view.series("members", "RUS"))
    med = base.median
    assert med.n == 1 and med.has(1991, 2012) and not med.has(1990)
    assert med.at("RUS", "NATO", 2003)[0] == np.median(view.series("RUS", "NATO")[:, 12])
    late = base.panel.since(2008)
    assert late.years[0] == 2008 and np.array_equal(
        late.series("RUS", "NATO"), base.panel.span("RUS", "NATO", 2008, 2012)
    )
