"""Benchmark: the historical Monte Carlo ensemble, mesa.batch_run against natosim sweep.

Runs the same work both ways in one process, side by side:

* ``mesa.batch_run(DiplomacyModel, parameters={"scenario": [...]}, rng=seeds,
  number_processes=2)`` — what a Mesa user would write;
* ``natosim sweep`` on an ensemble experiment of the same scenario with the same
  number of runs and 2 workers (process pool), timed end to end including
  worker start-up, Parquet writing and finalisation.

It prints runs per second for each and their ratio, and checks that one run
of each path gives the same numbers (they share one implementation).

Usage::

    uv run python benchmarks/bench_sweep.py [--runs 2000] [--workers 2]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "historical.toml"


def bench_mesa(runs: int, workers: int) -> tuple[float, list[dict]]:
    import mesa

    from sim import DiplomacyModel

    seeds = list(range(runs))
    t0 = time.perf_counter()
    results = mesa.batch_run(
        DiplomacyModel,
        parameters={"scenario": [str(SCENARIO)]},
        rng=seeds,
        number_processes=workers,
        data_collection_period=1,
        display_progress=False,
    )
    return time.perf_counter() - t0, results


def bench_sweep(runs: int, workers: int, out: Path) -> float:
    from sim.experiments.schema import load_experiment
    from sim.experiments.sweep import plan, sweep

    exp_path = out / "ensemble.toml"
    exp_path.write_text(
        f'name = "bench_ensemble"\nscenario = "{SCENARIO}"\ndesign = "grid"\n'
        f"replicates = {runs}\nseed = 1\nchunk_size = {max(1, runs // (4 * workers))}\n"
    )
    loaded = load_experiment(exp_path, "sweep")
    exp, sc = loaded.spec, loaded.scenario
    t0 = time.perf_counter()
    sweep(plan(exp, sc), out / "sweep", workers=workers, progress=False)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="natosim-bench-"))
    try:
        t_sweep = bench_sweep(args.runs, args.workers, tmp)
        t_mesa, results = bench_mesa(args.runs, args.workers)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    # Same numbers: Mesa run with seed 0 against natosim run with seed 0.
    from sim import run

    mesa0 = [r["trust_rus_nato"] for r in results if r["rng"] == 0 and r["AgentID"] == 1]
    ref = run(SCENARIO, seed=0).series("RUS", "NATO")[0]
    same = np.array_equal(np.array(mesa0), ref)

    r_mesa = args.runs / t_mesa
    r_sweep = args.runs / t_sweep
    print(f"historical ensemble, {args.runs} runs of 1991-2012, {args.workers} processes each")
    print(f"  mesa.batch_run : {t_mesa:8.2f} s  {r_mesa:10.1f} runs/s")
    print(f"  natosim sweep  : {t_sweep:8.2f} s  {r_sweep:10.1f} runs/s")
    print(f"  ratio          : {r_sweep / r_mesa:8.1f} x")
    print(f"  same numbers for seed 0: {same}")


if __name__ == "__main__":
    main()
