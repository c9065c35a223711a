"""The Mesa view runs the same model as ``run`` and works with Mesa's tools."""

from __future__ import annotations

import mesa
import numpy as np

from sim import DiplomacyModel, run


def _run_model(**kw) -> DiplomacyModel:
    m = DiplomacyModel(**kw)
    while m.running:
        m.step()
    return m


def test_mesa_model_equals_run():
    m = _run_model(scenario="historical", rng=42, nrc_share=0.6)
    df = m.datacollector.get_model_vars_dataframe()
    res = run("historical", seed=42, nrc_share=0.6)
    assert np.array_equal(df.trust_rus_nato.to_numpy(), res.series("RUS", "NATO")[0])
    assert np.array_equal(df.trust_nato_rus.to_numpy(), res.series("NATO", "RUS")[0])
    assert list(df.year) == list(res.years)
    chosen = [e for e in m.event_log if e["origin"] == "chosen"]
    ev = res.events.query("origin == 'chosen'")
    assert len(chosen) == len(ev)


def test_the_mesa_models_events_are_the_runs_shocks_included():
    for name in ("historical", "projection_2030"):
        m = _run_model(scenario=name, rng=5)
        events = run(name, seed=5).events
        assert (events.origin == "shock").any()  # what event_log leaves out
        assert m.events.equals(events), name
    part = DiplomacyModel(scenario="historical", rng=5)
    for _ in range(3):
        part.step()
    assert set(part.events.year) == {1991, 1992, 1993}  # the years stepped so far


def test_agents_are_views_on_the_arrays():
    m = _run_model(scenario="historical", rng=3)
    codes = {a.code for a in m.agents}
    assert {"NATO", "RUS", "USA", "POL", "UKR", "GEO"} <= codes
    pol = next(a for a in m.agents if a.code == "POL")
    assert pol.is_member
    assert pol.trust_in_russia == m.trust("POL", "RUS")
    agents = m.datacollector.get_agent_vars_dataframe()
    assert {"trust_in_russia", "russia_trust", "member"} <= set(agents.columns)


def test_batch_run_returns_results():
    results = mesa.batch_run(
        DiplomacyModel,
        parameters={"scenario": ["scenarios/historical.toml"], "nrc_share": [0.2, 0.8]},
        rng=[1, 2],
        display_progress=False,
    )
    assert results
    runs = {(r["nrc_share"], r["rng"]) for r in results}
    assert runs == {(0.2, 1), (0.2, 2), (0.8, 1), (0.8, 2)}
    assert all(0 <= r["trust_rus_nato"] <= 1 for r in results)
