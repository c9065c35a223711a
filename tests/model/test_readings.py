"""Figure 1 is the mechanism: readings follow from it, lenses act, entries matter.

Issue 10's checks on the historical (calibrated) scenario, on common random
numbers, and reading-level checks that fail when a reading stops following
from the figure.
"""

from __future__ import annotations

import pytest

from sim import load_scenario, run
from sim.data import perception, tables
from sim.experiments.evaluation.ablation import ablation, with_figure1
from sim.experiments.evaluation.baseline import Baseline
from sim.model import readings
from sim.model.compile import compile_scenario
from sim.model.params import DEFAULTS
from sim.model.readings import Figure1Spec
from sim.model.seeds import replicate_seeds

R = 120


@pytest.fixture(scope="module")
def history():
    return load_scenario("historical_calibrated")


def _median(sc, year: int, o: str = "RUS", t: str = "NATO", replicates: int = R) -> float:
    return float(run(sc, replicates=replicates).median(o, t)[year])


def test_dropping_enlargement_raises_russian_trust_in_2004(history) -> None:
    base = _median(history, 2004)
    dropped = _median(with_figure1(history, drop=("R.tension.enlargement",)), 2004)
    assert dropped - base >= 0.05


def test_swapping_lenses_removes_at_least_half_the_asymmetry(history) -> None:
    # the asymmetry over the whole record, 1991-2012 (a single year's gap is within
    # chance: the evaluation's robustness section reports how often 2012's holds)
    def gap(sc) -> float:
        r = run(sc, replicates=R)
        return float((r.median("RUS", "NATO") - r.median("NATO", "RUS")).mean())

    base = gap(history)
    swapped = gap(with_figure1(history, swap=True))
    assert base < 0  # Russia trusts NATO less than NATO trusts Russia
    # the swap moves the gap toward zero by at least half its size (it may overshoot:
    # with the lenses exchanged, NATO becomes the more distrustful side)
    assert swapped - base >= 0.5 * abs(base)


def test_no_entry_the_scenario_uses_is_without_effect(history) -> None:
    ab = ablation(Baseline.run(history, replicate_seeds(7, 40)))
    assert ab["entries"], "the scenario uses no Figure 1 entry"
    for row in ab["entries"]:
        assert row["largest"]["delta"] != 0.0, f"{row['entry']} is used but changes nothing"
    used = {row["entry"] for row in ab["entries"]}
    assert "R.tension.enlargement" in used and "N.tension.use_of_force_sphere" in used


def test_every_used_entry_changes_some_reading() -> None:
    """Dropping an entry leaves no reading unchanged that rested on it."""
    base = {(r.action, r.actor_side, r.reader, r.target): r for r in readings.derived_rules()}
    for entry in readings.used_entries():
        lens = {x.entry: x.mechanism for x in perception.lenses()}
        if lens.get(entry) in ("suspicion", "face_value", "declining"):
            continue  # lenses on discounts and choices are checked by the ablation test
        dropped = readings.derived_rules(spec=Figure1Spec(frozenset({entry})))
        after = {(r.action, r.actor_side, r.reader, r.target): r for r in dropped}
        changed = [k for k, r in base.items() if k not in after or after[k].valence != r.valence]
        assert changed, f"dropping {entry} changes no reading"
        for k in changed:
            assert entry in base[k].figure1, f"{k} changed without resting on {entry}"


def test_lenses_are_the_readers_own_rows() -> None:
    cat = perception.catalog()
    assert readings.discount_level("RUS", Figure1Spec(), cat) == 2  # Cold War mentality
    assert readings.discount_level("NATO", Figure1Spec(), cat) == 0  # non-zero-sum
    swapped = Figure1Spec(swap_lenses=True)
    assert readings.discount_level("RUS", swapped, cat) == 0
    assert readings.discount_level("NATO", swapped, cat) == 2
    assert readings.has_declining("NATO", Figure1Spec(), cat)
    assert readings.has_declining("RUS", swapped, cat)


def test_misreadings_fixed() -> None:
    w = readings.component_weights(DEFAULTS)
    cat = perception.catalog()

    def value(action, side, reader, targets=()):
        return readings.valence(readings.terms(action, side, targets, reader, cat), w)

    # a Chechen war engages none of NATO's rows; the war in Georgia does
    assert readings.terms("use_of_force", "russia", ("RU-CE",), "NATO", cat) == []
    assert value("use_of_force", "russia", "NATO", ("GEO",)) < 0
    # Russia values a bilateral deal with a key member above NATO's forum
    assert value("bilateral_deal", "west", "RUS") > value("nrc_engagement", "west", "RUS")
    assert value("reset", "west", "RUS") > value("nrc_rejuvenation", "west", "RUS")
    # the reset rests on Russia's way to cooperation, not on the SCO
    reset = {t.entry for t in readings.terms("reset", "west", (), "RUS", cat)}
    assert reset == {"R.increase.bilateral_key_members"}
    # ISAF engages Russia's (uncertain) Afghan cooperation as well as NATO's reach
    isaf = {
        t.component
        for t in readings.terms("out_of_area_intervention", "west", ("AFG",), "RUS", cat)
    }
    assert "q:R.coop.afghanistan" in isaf and "tension" in isaf


def test_r2p_is_libyas_reading_not_kosovos() -> None:
    """The article calls Libya 2011 the R2P mission; Kosovo 1999 starts NATO's globalisation."""
    cat = perception.catalog()

    def entries(action, targets):
        return {t.entry for t in readings.terms(action, "west", targets, "RUS", cat)}

    kosovo, libya = (
        entries("humanitarian_intervention", ("SRB",)),
        entries("humanitarian_intervention", ("LBY",)),
    )
    recognition = entries("recognition", ("XKX",))
    assert "R.tension.r2p" not in kosovo and "R.tension.globalisation" in kosovo
    assert "R.tension.r2p" in libya and "R.tension.globalisation" in libya
    assert "R.tension.r2p" not in recognition and "R.tension.globalisation" in recognition
    # a chosen mission beyond NATO's area is framed as Libya's was
    assert "R.tension.r2p" in entries("humanitarian_intervention", ("OOA",))


def test_timeline_has_no_act_the_article_does_not_support_as_energy_pressure() -> None:
    """Every scheduled energy pressure is the article's, or after its time (2013 on)."""
    rows = [e for e in tables.timeline() if e.action == "energy_pressure"]
    assert rows
    for e in rows:
        assert "KL2012" in e.source or e.year > 2012, e


def test_question_marked_weights_are_drawn_per_run(history) -> None:
    comp = compile_scenario(history)
    assert set(comp.question_entries) <= {e.id for e in tables.figure1() if e.question}
    assert comp.question_entries
    a = run(history, seed=1).arrays.trust
    b = run(history, seed=2).arrays.trust
    assert (a != b).any()
