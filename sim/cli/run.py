"""``natosim run`` and ``natosim validate``."""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

from sim.files.errors import InputError


def _parse_sets(items: Sequence[str]) -> dict[str, float]:
    from sim.model.runner import check_override

    out: dict[str, float] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InputError(f"--set {item!r}: expected NAME=VALUE")
        try:
            number = float(value)
        except ValueError:
            raise InputError(f"--set {key}: {value!r} is not a number") from None
        out[key] = check_override(key, number, "--set")
    return out


def _out_dir(arg: str | None, default: Path) -> Path:
    out = Path(arg) if arg else default
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: exists and is not a directory")
    return out


def cmd_run(args: argparse.Namespace) -> int:
    """``natosim run``: run a scenario and write its results."""
    from sim.model.param_changes import changed_from, held_back
    from sim.model.resolve import load_scenario
    from sim.model.runner import run
    from sim.model.size import check_run_size
    from sim.results.rundir import check_run_folder, stale_figures, write_run

    if args.replicates < 1:
        raise InputError(f"--replicates: must be at least 1, got {args.replicates}")
    if args.seed is not None and not 0 <= args.seed < 2**63:
        raise InputError(f"--seed: must be within [0, 2**63), got {args.seed}")
    overrides = _parse_sets(args.set or [])
    t0 = time.perf_counter()
    scenario = load_scenario(args.scenario)
    changed = changed_from(scenario.parameter_changes, scenario.time.start, scenario.time.end)
    for key in overrides:
        if key in changed:
            raise InputError(f"--set {key}: {held_back(key, changed[key], scenario.name)}")
    out = _out_dir(args.out, Path("runs") / scenario.name)
    check_run_size(scenario, args.replicates, out)
    earlier = check_run_folder(out, plot=not args.no_plot)
    result = run(scenario, seed=args.seed, replicates=args.replicates, **overrides)
    paths = write_run(result, out, plot=not args.no_plot)
    if not args.quiet:
        rn = result.median("RUS", "NATO")
        nr = result.median("NATO", "RUS")
        print(
            f"{result.scenario.name}: {len(result.seeds)} replicate(s), "
            f"{int(result.years[0])}-{int(result.years[-1])}, "
            f"{time.perf_counter() - t0:.2f} s"
        )
        print(
            f"  median trust at {int(rn.index[-1])}: RUS→NATO {rn.iloc[-1]:.3f}, "
            f"NATO→RUS {nr.iloc[-1]:.3f} (start {rn.iloc[0]:.3f} / {nr.iloc[0]:.3f})"
        )
        for p in paths:
            print(f"  wrote {p}")
        if earlier is not None:
            print(f"  replaced the earlier run there ({_described(earlier)})")
            stale = stale_figures(out, paths)
            if stale:
                print(
                    f"  drawn from the earlier run, now out of date: {', '.join(stale)} "
                    "(natosim plot draws them again)"
                )
    return 0


def _described(manifest: dict) -> str:
    """An earlier run in a few words, from its manifest."""
    sc = manifest.get("scenario")
    name = sc.get("name") if isinstance(sc, dict) else None
    seeds = manifest.get("seeds")
    seed = seeds[0] if isinstance(seeds, list) and seeds else None
    return f"{name or 'a scenario'}, {manifest.get('replicates')} replicate(s), seed {seed}"


def cmd_validate(args: argparse.Namespace) -> int:
    """``natosim validate``: check a scenario or experiment file without running it."""
    from sim.cli.show import show
    from sim.cli.validate_experiment import experiment_file, validate_experiment
    from sim.model.compile import compile_scenario
    from sim.model.consistency import scheduled_events
    from sim.model.describe import describe
    from sim.model.shock_list import scheduled_shocks

    exp = experiment_file(args.scenario)
    if exp is not None:
        if args.show:
            raise InputError("--show: lists a scenario's timeline; an experiment has none")
        print(validate_experiment(exp))
        return 0
    d = describe(args.scenario)
    sc = d.scenario
    comp = compile_scenario(sc)
    print(
        f"{args.scenario}: valid scenario {sc.name!r}, {sc.time.start}-{sc.time.end}, "
        f"{len(scheduled_events(sc))} scheduled events, {len(scheduled_shocks(sc))} shocks, "
        f"{len(comp.slots)} choice slots, {len(comp.actors)} actors"
    )
    if args.show:
        print("\n".join(["", *show(d)]))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``run`` and ``validate`` to the ``natosim`` parser."""
    p = sub.add_parser("run", help="run a scenario and write results and a plot")
    p.add_argument("scenario", help="scenario file (TOML or YAML) or a name in scenarios/")
    p.add_argument(
        "--seed", type=int, default=None, help="seed of replicate 0 (default: the scenario's seed)"
    )
    p.add_argument("--replicates", type=int, default=1, help="Monte Carlo replicates (default 1)")
    p.add_argument("--out", default=None, help="output directory (default runs/<name>/)")
    p.add_argument(
        "--set", action="append", metavar="NAME=VALUE", help="override a parameter (repeatable)"
    )
    p.add_argument("--no-plot", action="store_true", help="skip trust.png")
    p.add_argument("--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser(
        "validate", help="check a scenario or experiment file without running it (and its size)"
    )
    p.add_argument("scenario", help="scenario or experiment file (TOML or YAML), or a bundled name")
    p.add_argument(
        "--show",
        action="store_true",
        help="print the resolved scenario: timeline, parameters, changes from its parent",
    )
    p.set_defaults(func=cmd_validate)
