"""Time and peak memory of the Sobol experiment (8 parameters, N = 1024, 18,432 runs).

Runs ``natosim sweep experiments/sobol.toml`` in a child process with the
given number of workers and reports wall time, runs per second and peak
resident memory of the driver and of the largest worker.

Usage::

    uv run python benchmarks/bench_sobol.py [--workers 2]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--experiment", default=str(ROOT / "experiments" / "sobol.toml"))
    args = ap.parse_args()
    out = Path(tempfile.mkdtemp(prefix="natosim-sobol-"))
    try:
        code = (
            "import resource, sys, json\n"
            "from sim.cli import main\n"
            "rc = main(sys.argv[1:])\n"
            "print(json.dumps({'driver_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))\n"
            "sys.exit(rc)\n"
        )
        t0 = time.perf_counter()
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                code,
                "sweep",
                args.experiment,
                "--out",
                str(out / "s"),
                "--workers",
                str(args.workers),
                "--quiet",
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        dt = time.perf_counter() - t0
        import json

        mem = json.loads(proc.stdout.strip().splitlines()[-1])
        # Every process of the sweep (driver, fork server, workers) has been reaped
        # by now, so this is the largest resident set among them.
        mem["any_kb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        import pyarrow.parquet as pq

        n = pq.ParquetFile(out / "s" / "runs.parquet").metadata.num_rows
    finally:
        shutil.rmtree(out, ignore_errors=True)
    print(f"{Path(args.experiment).name}: {n} runs with {args.workers} workers")
    print(
        f"  wall time        : {dt:.1f} s ({n / dt:.0f} runs/s, incl. start-up and Sobol analysis)"
    )
    print(f"  peak RSS driver  : {mem['driver_kb'] / 1024:.0f} MiB")
    print(f"  peak RSS, largest process of the sweep: {mem['any_kb'] / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
