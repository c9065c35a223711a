"""Benchmark: our ABC-SMC engine against pyabc on the calibration experiment.

Both fit the five parameters of ``experiments/calibration.toml`` over its window
(1991-2012) with the same simulator (:class:`TrustSimulator`: 20 common-random-number
replicates per particle, per-year median trust), the same loss
(:func:`monotone_loss`, a map per series), the same uniform priors, the same
particle budget (population size and number of generations from the file's
``[abc]``) and the same tolerance rule (each generation's tolerance is the
weighted median of the previous one's distances: pyabc's ``QuantileEpsilon``
with ``alpha = quantile``). It reports, for each engine:

* wall time and the number of simulated particles;
* the final population's weighted median and 5-95 % interval per parameter;
* whether two runs from one seed give bit-identical final populations;
* whether a run with 2 worker processes gives the same population as one with 1
  (ours: its batches are simulated in one process whatever the window workers;
  pyabc: ``SingleCoreSampler`` against ``MulticoreEvalParallelSampler(n_procs=2)``).

pyabc is not a dependency of the project. Install it in a throwaway environment
that also has natosim, then run this file with that interpreter::

    uv venv /tmp/pyabc-venv --python 3.12
    uv pip install --python /tmp/pyabc-venv/bin/python pyabc==0.13.0 -e .
    /tmp/pyabc-venv/bin/python benchmarks/bench_abc.py [--particles 150] [--json out.json]

Without pyabc it runs our engine only and says so.
"""

from __future__ import annotations

import argparse
import json
import logging
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
EXPERIMENT = ROOT / "experiments" / "calibration.toml"


def setup(particles: int | None, generations: int | None):
    """The experiment, its simulator over the fit window, the data and the loss."""
    from sim.experiments.calibration.mapping import monotone_loss
    from sim.experiments.calibration.simulator import TrustSimulator
    from sim.experiments.schema import load_experiment
    from sim.model.compile import compile_scenario
    from sim.model.runner import resolve_params
    from sim.model.seeds import crn_seeds

    exp = load_experiment(
        EXPERIMENT, "calibration", scenario_out=Path(tempfile.gettempdir()) / "x.toml"
    )
    spec = exp.spec
    years = spec.years

    def make_sim() -> TrustSimulator:
        return TrustSimulator(
            compile_scenario(exp.scenario),
            resolve_params(exp.scenario),
            exp.names,
            exp.pairs,
            years,
            crn_seeds(spec.seed, spec.replicates),
        )

    observed = exp.observed(years)
    segs = make_sim().segments()

    def loss(simulated: np.ndarray, obs: np.ndarray) -> np.ndarray:
        return monotone_loss(simulated, obs, segments=segs)

    budget = {
        "particles": particles or spec.abc.particles,
        "generations": generations or spec.abc.generations,
        "quantile": spec.abc.quantile,
    }
    return exp, make_sim, observed, loss, budget


def summarise(names, particles: np.ndarray, weights: np.ndarray) -> dict[str, list[float]]:
    """Weighted median and 5-95 % interval per parameter (the same code for both)."""
    from sim.experiments.calibration.population import weighted_quantile

    return {
        n: [float(x) for x in weighted_quantile(particles[:, j], weights, [0.5, 0.05, 0.95])]
        for j, n in enumerate(names)
    }


def run_ours(exp, make_sim, observed, loss, budget, seed: int) -> dict:
    from sim.experiments.calibration.abc_smc import abc_smc

    sim = make_sim()
    t0 = time.perf_counter()
    res = abc_smc(
        sim,
        observed,
        loss,
        exp.ranges,
        n_particles=budget["particles"],
        n_generations=budget["generations"],
        quantile=budget["quantile"],
        seed=seed,
    )
    seconds = time.perf_counter() - t0
    pop = np.column_stack([res.particles, res.weights, res.distances])
    return {
        "seconds": seconds,
        "simulations": res.n_simulations,
        "epsilon": float(res.tolerances[-1]),
        "min_distance": float(res.distances.min()),
        "posterior": summarise(exp.names, res.particles, res.weights),
        "_population": pop,
    }


def run_pyabc(exp, make_sim, observed, loss, budget, seed: int, n_procs: int) -> dict:
    import pyabc

    logging.getLogger("ABC").setLevel(logging.WARNING)
    logging.getLogger("pyabc").setLevel(logging.WARNING)
    names = exp.names
    sim = make_sim()
    prior = pyabc.Distribution(
        **{r.name: pyabc.RV("uniform", r.low, r.high - r.low) for r in exp.ranges}
    )

    def model(p) -> dict:
        theta = np.array([[p[n] for n in names]])
        return {"y": sim(theta, np.random.SeedSequence(0))[0]}

    def distance(x: dict, x0: dict) -> float:
        return float(loss(x["y"][None, :], x0["y"])[0])

    if n_procs == 1:
        sampler = pyabc.sampler.SingleCoreSampler()
    else:
        sampler = pyabc.sampler.MulticoreEvalParallelSampler(n_procs=n_procs)
    abc = pyabc.ABCSMC(
        model,
        prior,
        distance,
        population_size=budget["particles"],
        eps=pyabc.QuantileEpsilon(alpha=budget["quantile"]),
        sampler=sampler,
    )
    with tempfile.TemporaryDirectory() as tmp:
        np.random.seed(seed)  # noqa: NPY002 - pyabc draws from the global state
        t0 = time.perf_counter()
        abc.new(f"sqlite:///{tmp}/abc.db", {"y": observed})
        history = abc.run(max_nr_populations=budget["generations"])
        seconds = time.perf_counter() - t0
        df, w = history.get_distribution(m=0, t=history.max_t)
        parts = df[names].to_numpy()
        pops = history.get_all_populations()
        sims = int(history.total_nr_simulations)
        eps = float(pops["epsilon"].iloc[-1])
        dists = history.get_weighted_distances(t=history.max_t)["distance"].to_numpy()
    pop = np.column_stack([parts, w])
    return {
        "seconds": seconds,
        "simulations": sims,
        "epsilon": eps,
        "min_distance": float(dists.min()),
        "posterior": summarise(names, parts, np.asarray(w)),
        "_population": pop,
    }


def same(a: dict, b: dict) -> bool:
    pa, pb = a["_population"], b["_population"]
    return pa.shape == pb.shape and bool(np.array_equal(pa, pb))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--particles", type=int, default=None, help="population size (file's)")
    ap.add_argument("--generations", type=int, default=None, help="generations (file's)")
    ap.add_argument("--seed", type=int, default=2012)
    ap.add_argument("--json", default=None, help="write the numbers to this file")
    args = ap.parse_args()
    exp, make_sim, observed, loss, budget = setup(args.particles, args.generations)
    print(f"budget: {budget}")
    out: dict = {"budget": budget}

    ours = run_ours(exp, make_sim, observed, loss, budget, args.seed)
    again = run_ours(exp, make_sim, observed, loss, budget, args.seed)
    ours["reproducible_from_seed"] = same(ours, again)
    out["ours"] = ours
    print(f"ours:  {ours['seconds']:.1f} s, {ours['simulations']} simulations")

    try:
        import pyabc  # noqa: F401
    except ImportError as exc:
        out["pyabc"] = {"error": f"{type(exc).__name__}: {exc}"}
        print(f"pyabc: not run ({out['pyabc']['error']})")
    else:
        one = run_pyabc(exp, make_sim, observed, loss, budget, args.seed, 1)
        print(f"pyabc: {one['seconds']:.1f} s, {one['simulations']} simulations (1 process)")
        two = run_pyabc(exp, make_sim, observed, loss, budget, args.seed, 1)
        one["reproducible_from_seed"] = same(one, two)
        par = run_pyabc(exp, make_sim, observed, loss, budget, args.seed, 2)
        print(f"pyabc: {par['seconds']:.1f} s, {par['simulations']} simulations (2 processes)")
        par2 = run_pyabc(exp, make_sim, observed, loss, budget, args.seed, 2)
        one["same_with_2_processes"] = same(one, par)
        one["reproducible_with_2_processes"] = same(par, par2)
        one["seconds_2_processes"] = par["seconds"]
        out["pyabc"] = one

    for key in ("ours", "pyabc"):
        res = out[key]
        if "posterior" not in res:
            continue
        print(f"\n{key}: final population, weighted median [5 %, 95 %]")
        for name, (med, lo, hi) in res["posterior"].items():
            print(f"  {name:16s} {med:.4f} [{lo:.4f}, {hi:.4f}]")
        flags = {k: v for k, v in res.items() if isinstance(v, bool)}
        print(f"  eps {res['epsilon']:.4f}, best loss {res['min_distance']:.4f}, {flags}")
    if args.json:
        clean = {
            k: {kk: vv for kk, vv in v.items() if not kk.startswith("_")} for k, v in out.items()
        }
        Path(args.json).write_text(json.dumps(clean, indent=2) + "\n")


if __name__ == "__main__":
    main()
