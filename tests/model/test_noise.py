"""A run's random numbers: the same whether drawn alone, stacked or straight into a batch."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as stn

from sim.model.compile import compile_scenario
from sim.model.resolve import load_scenario
from sim.model.state import N_LEADERS, batch_noise, draw_noise, noise_from, stack_noise
from tests.paths import SCENARIOS


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_a_batch_draws_what_each_run_draws_alone(path) -> None:
    comp = compile_scenario(load_scenario(path))
    seeds = [0, 1, 7, 1991, 2**63 - 1]
    batch = batch_noise(seeds, comp)
    alone = stack_noise([draw_noise(s, comp) for s in seeds])
    assert _same(batch.u, alone.u)
    assert _same(batch.z, alone.z)
    assert _same(batch.q, alone.q)


@given(
    seed=stn.integers(min_value=0, max_value=2**63 - 1),
    years=stn.integers(min_value=1, max_value=4),
    slots=stn.integers(min_value=0, max_value=5),
    pairs=stn.integers(min_value=1, max_value=7),
    n_q=stn.integers(min_value=0, max_value=3),
)
def test_the_numbers_are_uniforms_then_box_muller_normals_in_order(
    seed: int, years: int, slots: int, pairs: int, n_q: int
) -> None:
    comp = SimpleNamespace(
        years=np.arange(years), slots=(None,) * slots, n_pairs=pairs, question_entries=("q",) * n_q
    )
    noise = noise_from(np.random.default_rng(seed), comp)  # type: ignore[arg-type]
    # the draws written out: question weights, then per year one block of uniforms
    rng = np.random.default_rng(seed)
    k, half = slots + N_LEADERS, (pairs + 1) // 2
    q = rng.random(n_q)
    block = rng.random((years, k + 2 * half))
    radius = np.sqrt(-2.0 * np.log1p(-block[:, k : k + half]))
    angle = 2.0 * np.pi * block[:, k + half :]
    z = np.concatenate([radius * np.cos(angle), radius * np.sin(angle)], axis=1)[:, :pairs]
    assert _same(noise.q, q)
    assert _same(noise.u, np.ascontiguousarray(block[:, :k]))
    assert _same(noise.z, z)
    batch = batch_noise([seed, seed], comp)  # type: ignore[arg-type]
    assert _same(batch.z, np.stack([z, z]))
