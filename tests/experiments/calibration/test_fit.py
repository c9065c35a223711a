"""Calibration against UNGA ideal points: recovery, fitted scenarios, CLI, bad input."""

from __future__ import annotations

import dataclasses
import json
import math
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import load_scenario, run
from sim.cli.main import main
from sim.data.unga import load_idealpoint_summary
from sim.experiments.calibration.experiment import continued_scenario
from sim.experiments.calibration.mapping import monotone_fit, split_fit_check
from sim.experiments.calibration.simulator import TrustSimulator
from sim.experiments.calibration.tolerance import tolerance_floor
from sim.experiments.calibration.windows import fit_window
from sim.experiments.schema import load_experiment
from sim.model.compile import compile_scenario
from sim.model.runner import resolve_params, run_arrays
from sim.model.seeds import crn_seeds
from tests.paths import ROOT

HISTORICAL = (ROOT / "scenarios" / "historical.toml").as_posix()
REPLICATES = 40

TARGETS = """
[[targets]]
series = "mean_dist_rus_nato_members_all"
observer = "RUS"
target = "NATO"

[[targets]]
series = "dist_rus_usa_all"
observer = "RUS"
target = "USA"
"""


def prior(name: str, low: float, high: float) -> str:
    return f'\n[[parameters]]\nname = "{name}"\nlow = {low}\nhigh = {high}\n'


PRIORS_3 = prior("hostile_weight", 0.1, 1.5) + prior("friendly_weight", 0.05, 1.0)
PRIORS_3 += prior("memory", 0.0, 0.5)
PRIORS_4 = PRIORS_3 + prior("initial_trust", 0.3, 0.9)


def experiment_text(
    *,
    particles: int = 60,
    generations: int = 6,
    replicates: int = 10,
    extra: str = "",
    priors: str = PRIORS_3,
) -> str:
    return (
        f'name = "test_cal"\nscenario = "{HISTORICAL}"\nseed = 5\n'
        f"replicates = {replicates}\nreport_replicates = 10\nyears = [1991, 2012]\n"
        f"{extra}\n[abc]\nparticles = {particles}\ngenerations = {generations}\n" + TARGETS + priors
    )


def write_experiment(tmp_path: Path, text: str, name: str = "exp.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# ------------------------------------------------------------------ parameter recovery

TRUTH = {"hostile_weight": 0.8, "friendly_weight": 0.15, "memory": 0.06}


@pytest.fixture(scope="module")
def recovery(tmp_path_factory: pytest.TempPathFactory):
    """Calibrate 3 parameters against data simulated by the model itself at TRUTH."""
    tmp = tmp_path_factory.mktemp("recovery")
    exp = load_experiment(write_experiment(tmp, experiment_text()), scenario_out=tmp / "out.toml")
    # "Data": medians of 40 replicates on the scenario's own seeds (not the
    # calibration's common random numbers), through a decreasing affine map.
    truth_run = run("historical", replicates=REPLICATES, **TRUTH)
    data = pd.DataFrame(
        {
            "mean_dist_rus_nato_members_all": 1.6 - 1.2 * truth_run.median("RUS", "NATO"),
            "dist_rus_usa_all": 3.2 - 1.5 * truth_run.median("RUS", "USA"),
        }
    )
    exp = dataclasses.replace(exp, data=data)
    return fit_window(exp, (1991, 2012), seed=0)


def test_recovery_truth_inside_the_90_percent_intervals(recovery) -> None:
    summ = recovery.summary.set_index("parameter")
    for name, true in TRUTH.items():
        row = summ.loc[name]
        assert row.q05 <= true <= row.q95, (name, true, row.q05, row.q95)
    # and the data are informative: intervals far narrower than the priors
    assert (summ.ci_frac_of_prior < 0.5).all(), summ.ci_frac_of_prior.to_dict()
    assert recovery.point_loss <= recovery.tolerance
    assert recovery.posterior["weight"].sum() == pytest.approx(1.0)
    assert (recovery.posterior["distance"] <= recovery.tolerance).all()


# ------------------------------------------------------------------ pieces of the method


def test_simulator_uses_the_batch_api_and_common_random_numbers() -> None:
    sc = load_scenario("historical")
    comp = compile_scenario(sc)
    base = resolve_params(sc)
    seeds = crn_seeds(3, 4)
    sim = TrustSimulator(comp, base, ["memory"], [("RUS", "NATO")], (1995, 2000), seeds)
    theta = np.array([[0.02], [0.3]])
    med = sim.medians(theta)
    assert med.shape == (2, 1, 6)
    pair = comp.pair_index[("RUS", "NATO")]
    years = comp.years
    for k, m in enumerate(theta[:, 0]):
        alone = run_arrays(comp, [{**base, "memory": m}] * 4, seeds).trust
        want = np.median(alone[:, (years >= 1995) & (years <= 2000), pair], axis=0)
        np.testing.assert_array_equal(med[k, 0], want)
    # The seed sequence ABC passes is ignored: same theta, same summary.
    a = sim(theta, np.random.SeedSequence(1))
    b = sim(theta, np.random.SeedSequence(2))
    np.testing.assert_array_equal(a, b)


def test_tolerance_floor_is_beales_criterion() -> None:
    from scipy.stats import f as f_dist

    rng = np.random.default_rng(0)
    white = [rng.normal(size=22), rng.normal(size=22)]
    eps, n_eff, _ = tolerance_floor(white, 0.5, 4, 0.9)
    assert n_eff <= 44
    dof = n_eff - 8
    assert eps == pytest.approx(0.5 * math.sqrt(1 + 4 / dof * f_dist.ppf(0.9, 4, dof)))
    # Persistent residuals carry less information: fewer effective points, wider region.
    walk = [np.cumsum(rng.normal(size=22)), np.cumsum(rng.normal(size=22))]
    eps_w, n_eff_w, rho_w = tolerance_floor(walk, 0.5, 4, 0.9)
    assert rho_w > 0.5 and n_eff_w < n_eff and eps_w > eps
    assert math.isinf(tolerance_floor(walk, 0.5, 40, 0.9)[0])


def test_posterior_is_the_population_restricted_to_the_final_tolerance() -> None:
    from sim.experiments.calibration.population import AbcResult, Generation
    from sim.experiments.calibration.windows import posterior_population
    from sim.experiments.ranges import ParamRange

    rng = np.random.default_rng(1)

    def gen(eps: float) -> Generation:
        d = np.sort(rng.uniform(0.2, eps, 40))
        w = rng.uniform(0.5, 1.5, 40)
        return Generation(eps, rng.uniform(size=(40, 1)), w / w.sum(), d, 80)

    res = AbcResult((ParamRange.prior("x", 0, 1),), (gen(1.0), gen(0.6), gen(0.4)))
    pop, g, note = posterior_population(res, 0.5, min_size=5)
    assert g == 1 and note == "" and pop.epsilon == 0.5
    assert (pop.distances <= 0.5).all() and pop.weights.sum() == pytest.approx(1.0)
    assert len(pop.distances) == int((res.generations[1].distances <= 0.5).sum())
    pop, g, note = posterior_population(res, 0.3, min_size=5)
    assert g == 2 and "more generations" in note and (pop.distances <= 0.3).all()
    pop, g, note = posterior_population(res, 0.21, min_size=5)
    assert g == 2 and "only" in note and pop.epsilon == 0.4 and len(pop.distances) == 40
    pop, g, note = posterior_population(res, 2.0, min_size=5)
    assert g == 0 and "truncated" in note and pop.epsilon == 1.0
    assert posterior_population(res, math.inf, min_size=5)[2].startswith("too few")


# ------------------------------------------------------------------ the shipped scenarios


@pytest.fixture(scope="module")
def calibrated():
    return run("historical_calibrated", replicates=REPLICATES)


@pytest.fixture(scope="module")
def idealpoints() -> pd.DataFrame:
    return load_idealpoint_summary()


def test_calibrated_scenario_extends_history_and_sets_fitted_parameters() -> None:
    raw = tomllib.loads((ROOT / "scenarios" / "historical_calibrated.toml").read_text())
    assert raw["extends"] == "historical.toml"
    exp = load_experiment(ROOT / "experiments" / "calibration.toml")
    assert exp.scenario_out == (ROOT / "scenarios" / "historical_calibrated.toml").resolve()
    assert set(raw["parameters"]) == set(exp.names)
    hist, cal = load_scenario("historical"), load_scenario("historical_calibrated")
    assert cal.time == hist.time and cal.shocks == hist.shocks
    assert cal.scheduled_only == hist.scheduled_only


@pytest.mark.parametrize(
    ("observer", "target", "series"),
    [("RUS", "NATO", "mean_dist_rus_nato_members_all"), ("RUS", "USA", "dist_rus_usa_all")],
)
def test_calibrated_trust_tracks_negative_distance(
    calibrated, idealpoints, observer, target, series
) -> None:
    med = calibrated.median(observer, target).loc[1991:2012]
    fit = monotone_fit(med.to_numpy(), idealpoints.loc[1991:2012, series].to_numpy())
    # Measured (seed 1991, 40 replicates, 1991 included): r = 0.76 (NATO mean), 0.89 (USA).
    assert fit.pearson_r >= 0.6, fit
    assert fit.spearman_rho >= 0.6, fit
    assert not fit.clamped


def test_fit_on_1991_2005_holds_on_2006_2012(tmp_path: Path, idealpoints) -> None:
    """Refit on 1991-2005 only (small budget) and check the map on 2006-2012.

    The shipped experiment (training years 1992-2005, `natosim calibrate`) gives
    test r = 0.635 (NATO mean) and 0.813 (USA), skill 0.58 and 0.84 against the
    training-mean forecast; the NATO-mean floor was re-based when the decision
    model landed, and ``natosim evaluate`` judges the forecast against the null
    models. The floors leave room for the smaller budget and the 1991 start used here.
    """
    exp = load_experiment(
        write_experiment(tmp_path, experiment_text(generations=5, priors=PRIORS_4)),
        scenario_out=tmp_path / "out.toml",
    )
    train = fit_window(exp, (1991, 2005), seed=1)
    res = run("historical", replicates=REPLICATES, **train.point)
    floors = {"mean_dist_rus_nato_members_all": (0.2, 0.2), "dist_rus_usa_all": (0.55, 0.4)}
    for t in exp.spec.targets:
        chk = split_fit_check(res.median(t.observer, t.target), idealpoints[t.series])
        r_floor, skill_floor = floors[t.series]
        assert chk.test_pearson_r >= r_floor, (t.series, chk)
        assert chk.skill >= skill_floor, (t.series, chk)


@pytest.fixture(scope="module")
def to_2024():
    return run("historical_1991_2024", replicates=REPLICATES)


def test_1991_2024_uses_the_calibrated_parameters_and_inputs() -> None:
    sc = load_scenario("historical_1991_2024")
    cal = load_scenario("historical_calibrated")
    assert sc.time.start == 1991 and sc.time.end == 2024
    assert sc.resolved_parameters() == cal.resolved_parameters()
    assert sc.scheduled_only == cal.scheduled_only and sc.scheduled_only_until is None
    assert sc.timeline
    # The record continued: the timeline's later events, and after 2012 the shocks
    # the model's rules call for (D5: new presidents in Washington; D6: Ukraine's
    # turn west of 2014), nothing else.
    cont = continued_scenario(cal, 2024, "x")
    assert cont.time == sc.time and cont.events == sc.events
    assert sc.shocks[: len(cal.shocks)] == cal.shocks
    later = [(s.year, s.kind, s.actor, s.magnitude) for s in sc.shocks[len(cal.shocks) :]]
    assert later == [
        (2014, "domestic", "UKR", 1.5),
        (2017, "leadership", "USA", 0.0),
        (2021, "leadership", "USA", 0.0),
    ]
    # and it is the continuation the calibration reports
    exp = load_experiment(ROOT / "experiments" / "calibration.toml")
    assert exp.continuation is not None and exp.continuation.name == sc.name
    assert exp.continuation.shocks == sc.shocks


@pytest.mark.parametrize(("observer", "target"), [("RUS", "NATO"), ("NATO", "RUS")])
def test_1991_2024_trust_falls_in_2014(to_2024, observer, target) -> None:
    m = to_2024.median(observer, target)
    assert m[2014] < m[2013]


@pytest.mark.parametrize(("observer", "target"), [("RUS", "NATO"), ("NATO", "RUS")])
def test_1991_2024_trust_falls_again_in_2022(to_2024, observer, target) -> None:
    # Measured over seeds 1991-2010 (40 replicates each): NATO->RUS falls in 20/20,
    # RUS->NATO (hit by the Madrid Strategic Concept) in 15/20.
    m = to_2024.median(observer, target)
    assert m[2022] < m[2021]


@pytest.mark.parametrize(("observer", "target"), [("RUS", "NATO"), ("NATO", "RUS")])
def test_1991_2024_trust_ends_far_below_its_2012_level(to_2024, observer, target) -> None:
    m = to_2024.median(observer, target)
    assert m[2024] < m[2012] - 0.03, m.loc[2012:].round(3).to_dict()


@pytest.mark.xfail(
    strict=True,
    reason=(
        "not met: rule D5 makes each new president in Washington a new beginning; "
        "Russia->NATO rises above its 2012 level in 2017 and 2021 (medians of 40 "
        "replicates: 0.149 and 0.174 against 0.140), NATO->Russia in 2017 (0.145 "
        "against 0.131), where the record has no such recovery after 2014"
    ),
)
@pytest.mark.parametrize(("observer", "target"), [("RUS", "NATO"), ("NATO", "RUS")])
def test_1991_2024_trust_stays_below_its_2012_level_after_2014(to_2024, observer, target) -> None:
    m = to_2024.median(observer, target)
    assert (m.loc[2014:2024] < m[2012]).all(), m.loc[2012:].round(3).to_dict()


def test_the_out_of_sample_run_is_the_continuation_scenario(tmp_path: Path) -> None:
    # [out_of_sample] scenario: the record continued is that file, with its own
    # shocks after the fit window, run with the fitted parameters
    from sim.experiments.calibration.calibrate import calibrate

    extra = '[out_of_sample]\nend = 2024\nscenario = "historical_1991_2024"\n'
    path = write_experiment(
        tmp_path, experiment_text(particles=12, generations=1, replicates=3, extra=extra)
    )
    exp = load_experiment(path)
    assert exp.continuation is not None and exp.continuation.name == "historical_1991_2024"
    cal = calibrate(exp, workers=1)
    again = run("historical_1991_2024", replicates=exp.spec.report_replicates, **cal.full.point)
    for o, t in (("RUS", "NATO"), ("NATO", "RUS")):
        assert np.array_equal(cal.out_of_sample[f"{o}->{t}"], again.median(o, t))
    ev = cal.out_of_sample_run.events
    later = ev[(ev.year > 2012) & (ev.origin == "shock")][["year", "actor"]].drop_duplicates()
    assert sorted(map(tuple, later.to_numpy().tolist())) == [
        (2014, "UKR"),
        (2017, "USA"),
        (2021, "USA"),
    ]


def test_more_windows_leave_the_first_fits_as_they_are(tmp_path: Path) -> None:
    # window i has the i-th child of the ABC seed: the evaluation's extra training
    # windows change neither the whole-window fit nor the training fit
    from sim.experiments.calibration.windows import fit_windows

    exp = load_experiment(
        write_experiment(tmp_path, experiment_text(particles=12, generations=1, replicates=3))
    )
    two = fit_windows(exp, [(1991, 2012), (1991, 2005)], 1)
    four = fit_windows(exp, [(1991, 2012), (1991, 2005), (1993, 2005), (1994, 2005)], 1)
    for a, b in zip(two, four[:2], strict=True):
        assert a.point == b.point
        pd.testing.assert_frame_equal(a.posterior, b.posterior)
    assert four[2].point != four[1].point


# ------------------------------------------------------------------ the command


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("cli")
    extra = "[split]\ntrain = [1991, 2005]\ntest = [2006, 2012]\n[out_of_sample]\nend = 2016\n"
    exp = write_experiment(
        tmp, experiment_text(particles=30, generations=3, replicates=6, extra=extra)
    )
    out, scen = tmp / "out", tmp / "scen" / "cal.toml"
    scen.parent.mkdir()
    args = ["calibrate", str(exp), "--out", str(out), "--scenario-out", str(scen)]
    assert main([*args, "--workers", "1", "--quiet"]) == 0
    return exp, out, scen, args


def test_cli_writes_every_output(cli_run) -> None:
    _, out, _, _ = cli_run
    for name in (
        "posterior.csv",
        "summary.csv",
        "fit.csv",
        "report.json",
        "report.md",
        "fit.png",
        "out_of_sample.csv",
        "out_of_sample.png",
    ):
        assert (out / name).stat().st_size > 0, name
    summ = pd.read_csv(out / "summary.csv")
    assert list(summ.columns[:4]) == ["parameter", "median", "q05", "q95"]
    assert (summ.q05 <= summ["median"]).all() and (summ["median"] <= summ.q95).all()
    post = pd.read_csv(out / "posterior.csv")
    assert {"hostile_weight", "friendly_weight", "memory", "weight", "distance"} <= set(post)
    rep = json.loads((out / "report.json").read_text())
    assert {f["series"] for f in rep["fit"]} == {
        "mean_dist_rus_nato_members_all",
        "dist_rus_usa_all",
    }
    for f in rep["fit"]:
        assert {"pearson_r", "spearman_rho", "rmse"} <= set(f)
    assert len(rep["split"]["checks"]) == 2
    assert rep["member_level"]["fitted"] is False
    assert set(rep["out_of_sample"]["medians"]) == {str(y) for y in range(2012, 2017)}
    assert (out / "report.md").read_text().startswith("# Calibration")


def test_cli_scenario_is_a_valid_child_of_the_base(cli_run) -> None:
    _, out, scen, _ = cli_run
    raw = tomllib.loads(scen.read_text())
    assert raw["extends"] == "historical"  # a bundled base outside its folder, by name
    sc = load_scenario(scen)
    summ = pd.read_csv(out / "summary.csv").set_index("parameter")
    for name, value in raw["parameters"].items():
        assert sc.resolved_parameters()[name] == value
        assert summ.loc[name, "q05"] - 1e-3 <= value <= summ.loc[name, "q95"] + 1e-3
    assert run(sc).years[-1] == 2012


@pytest.mark.slow
def test_cli_is_deterministic_across_worker_counts(cli_run, tmp_path: Path) -> None:
    _, out, scen, args = cli_run
    out2, scen2 = tmp_path / "out2", tmp_path / "scen" / "cal.toml"
    args2 = [*args[:2], "--out", str(out2), "--scenario-out", str(scen2)]
    assert main([*args2, "--workers", "2", "--quiet"]) == 0
    for name in ("posterior.csv", "summary.csv", "fit.csv", "out_of_sample.csv"):
        assert (out / name).read_bytes() == (out2 / name).read_bytes(), name
    assert scen.read_text() == scen2.read_text()


BAD = {
    "malformed": ('name = "x\n', None),
    "unknown key": ("colour = 1\n" + experiment_text(), "colour"),
    "wrong type": (
        experiment_text().replace("\nreplicates = 10", '\nreplicates = "many"'),
        "replicates",
    ),
    "unknown parameter": (experiment_text(priors=prior("warp", 0, 1)), "parameters[0].name"),
    "prior outside range": (
        experiment_text(priors=prior("memory", 0.0, 0.9)),
        "parameters[0]",
    ),
    "empty prior": (experiment_text(priors=prior("memory", 0.3, 0.3)), "parameters[0]"),
    "duplicate parameter": (
        experiment_text(priors=prior("memory", 0, 0.5) + prior("memory", 0, 0.4)),
        "parameters[1].name",
    ),
    "no parameters": (experiment_text(priors=""), "parameters"),
    "unknown series": (
        experiment_text().replace("dist_rus_usa_all", "dist_rus_mars"),
        "targets[1].series",
    ),
    "unknown actor": (
        experiment_text().replace('target = "USA"', 'target = "CHN"'),
        "targets[1].target",
    ),
    "years outside data": (
        experiment_text().replace("years = [1991, 2012]", "years = [1991, 2014]"),
        "years",
    ),
    "split outside years": (
        experiment_text(extra="[split]\ntrain = [1985, 2005]\ntest = [2006, 2012]\n"),
        "split.train",
    ),
    "out of sample inside window": (
        experiment_text(extra="[out_of_sample]\nend = 2010\n"),
        "out_of_sample.end",
    ),
    "missing scenario": (
        experiment_text().replace(HISTORICAL, "nowhere.toml"),
        "scenario",
    ),
    "missing continuation": (
        experiment_text(extra='[out_of_sample]\nend = 2024\nscenario = "nowhere.toml"\n'),
        "out_of_sample.scenario",
    ),
    "continuation that does not reach the end": (
        experiment_text(extra=f'[out_of_sample]\nend = 2024\nscenario = "{HISTORICAL}"\n'),
        "out_of_sample.scenario",
    ),
    "zero particles": (experiment_text(particles=0), "abc.particles"),
}


@pytest.mark.parametrize("case", list(BAD), ids=lambda c: c.replace(" ", "_"))
def test_bad_experiment_is_one_clear_line_exit_2_nothing_written(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, field = BAD[case]
    path = write_experiment(tmp_path, text, name="bad.toml")
    out, scen = tmp_path / "out", tmp_path / "cal.toml"
    code = main(["calibrate", str(path), "--out", str(out), "--scenario-out", str(scen)])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1, err
    assert "bad.toml" in err
    if field is not None:
        assert f": {field}:" in err, err
    assert not out.exists() and not scen.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml"]


def test_a_continuation_that_rewrites_the_record_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the base's history continued to 2024, but with a shock the base does not have
    cont = tmp_path / "rewritten.toml"
    cont.write_text(
        f'name = "rewritten"\nextends = "{HISTORICAL}"\n[time]\nstart = 1991\nend = 2024\n'
        '[[shocks]]\nyear = 2005\nkind = "leadership"\nactor = "USA"\nmagnitude = 0.0\n'
    )
    extra = '[out_of_sample]\nend = 2024\nscenario = "rewritten.toml"\n'
    path = write_experiment(tmp_path, experiment_text(extra=extra), name="bad.toml")
    out = tmp_path / "out"
    args = ["calibrate", str(path), "--out", str(out), "--scenario-out", str(tmp_path / "c.toml")]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and ": out_of_sample.scenario: " in err, err
    assert "is not the base's history continued: its shocks up to 2012 differ" in err
    assert not out.exists() and not (tmp_path / "c.toml").exists()
    # the same file without the rewritten year is a valid continuation
    cont.write_text(cont.read_text().split("[[shocks]]")[0])
    assert load_experiment(path).continuation.name == "rewritten"


def test_bad_command_line_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_experiment(tmp_path, experiment_text())
    assert main(["calibrate", str(path), "--workers", "0"]) == 2
    assert "--workers" in capsys.readouterr().err
    (tmp_path / "file").write_text("x")
    out_args = ["--out", str(tmp_path / "file"), "--scenario-out", str(tmp_path / "c.toml")]
    assert main(["calibrate", str(path), *out_args]) == 2
    assert main(["calibrate", str(path), "--scenario-out", str(tmp_path / "c.yaml")]) == 2
    assert main(["calibrate", str(tmp_path / "missing.toml")]) == 2
    assert "missing.toml: file not found" in capsys.readouterr().err
    assert not (tmp_path / "c.toml").exists()
