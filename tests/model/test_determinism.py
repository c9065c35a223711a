"""Randomness: one seed per run, same seed same numbers, trust in [0, 1]."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import run
from sim.cli.main import main
from sim.model import params as P
from sim.model.compile import compile_scenario
from sim.model.resolve import load_scenario
from sim.model.runner import run_arrays
from sim.model.seeds import replicate_seeds

HIST = compile_scenario(load_scenario("historical"))
param_sets = st.fixed_dictionaries(
    {p.name: st.floats(p.low, p.high, allow_nan=False) for p in P.PARAMS}
)
seeds = st.integers(0, 2**63 - 1)


def test_same_seed_same_trajectory_file(tmp_path: Path):
    for d in ("a", "b"):
        assert (
            main(
                [
                    "run",
                    "historical",
                    "--seed",
                    "7",
                    "--replicates",
                    "3",
                    "--out",
                    str(tmp_path / d),
                    "--quiet",
                    "--no-plot",
                ]
            )
            == 0
        )
    a = (tmp_path / "a" / "trajectory.csv").read_bytes()
    b = (tmp_path / "b" / "trajectory.csv").read_bytes()
    assert a == b
    assert (tmp_path / "a" / "events.csv").read_bytes() == (
        tmp_path / "b" / "events.csv"
    ).read_bytes()


@settings(max_examples=25, deadline=None)
@given(seeds, seeds)
def test_different_seeds_differ(s1: int, s2: int):
    if s1 == s2:
        return
    a = run_arrays(HIST, [P.DEFAULTS], [s1]).trust
    b = run_arrays(HIST, [P.DEFAULTS], [s2]).trust
    assert not np.array_equal(a, b)


@settings(max_examples=40, deadline=None)
@given(param_sets, seeds)
def test_trust_stays_in_unit_interval(prm: dict, seed: int):
    t = run_arrays(HIST, [prm], [seed]).trust
    assert np.all(np.isfinite(t))
    assert np.all((t >= 0.0) & (t <= 1.0))


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(param_sets, seeds), min_size=2, max_size=6), st.data())
def test_replicate_equals_itself_in_any_batch(batch, data):
    """A run's numbers do not depend on the batch it is computed in."""
    prms = [b[0] for b in batch]
    sds = [b[1] for b in batch]
    together = run_arrays(HIST, prms, sds)
    i = data.draw(st.integers(0, len(batch) - 1))
    alone = run_arrays(HIST, [prms[i]], [sds[i]])
    assert np.array_equal(together.trust[i], alone.trust[0])
    assert np.array_equal(together.chosen[i], alone.chosen[0])


def test_replicate_seeds_rerun_alone():
    seeds_ = replicate_seeds(11, 4)
    assert seeds_[0] == 11 and len(set(seeds_)) == 4
    many = run("historical", seed=11, replicates=4)
    alone = run("historical", seed=seeds_[2])
    assert np.array_equal(many.arrays.trust[2], alone.arrays.trust[0])
