"""ABC-SMC: approximate Bayesian computation by sequential Monte Carlo (own engine).

Toni et al. 2009, *J. R. Soc. Interface* 6:187–202; Beaumont, Cornuet, Marin &
Robert 2009, *Biometrika* 96(4):983–90 (population Monte Carlo). It needs only
forward simulation, so it copes with a stochastic model, and it returns a
weighted sample from the approximate posterior (:class:`AbcResult`), from which
medians and credible intervals are read. Uniform priors on box bounds; the first
population is the best ``quantile`` fraction of ``n_particles / quantile`` prior
draws; each later tolerance is the weighted ``quantile`` of the previous
population's distances; proposals are drawn from the previous weighted
population and perturbed by a Gaussian kernel with twice the weighted
covariance; importance weights are ``prior / Σ_j w_j K(θ | θ_j)``.

Plugging in a model: ``simulate(theta, seed_seq)`` receives an ``(n, d)`` array of
parameter vectors (columns in the order of ``ranges``) and a
:class:`numpy.random.SeedSequence`, and returns an ``(n, k)`` array of summaries,
e.g. the median trust over Monte Carlo replicates for each of the k = 21 years
1992–2012. All replicate randomness must come from ``seed_seq`` (spawn children
from it); then the whole calibration is reproducible from ``seed``. A
per-particle model function can be wrapped with :func:`vectorize_simulator`.
Example::

    obs = load_idealpoint_summary()["mean_dist_rus_nato_members_all"].to_numpy()
    res = abc_smc(simulate, obs, monotone_loss, [ParamRange.prior("alpha", 0, 1)], seed=1)
    res.summary()  # parameter, median, mean, q05, q95

**Why our own engine and not pyabc** (measured by ``benchmarks/bench_abc.py`` on
``experiments/calibration.toml`` when it still fitted 1991-2012: its simulator, 20
common-random-number replicates per particle, 150 particles, 6 generations, quantile 0.5, seed 2012;
pyabc 0.13.0 in a throwaway venv, both on this 2-core machine, shared with other jobs):

=========================  ==============================  ==============================
measure                    this engine                     pyabc 0.13.0
=========================  ==============================  ==============================
wall time                  16.7 s                          52.7 s (1 process),
                                                           73.9 s (2 processes)
particles simulated        3,356 (5.0 ms each)             2,129 (24.8 ms each)
final tolerance            0.489                           0.494
hostile_weight             0.738 [0.391, 1.059]            0.740 [0.392, 1.034]
friendly_weight            0.121 [0.058, 0.219]            0.130 [0.060, 0.202]
memory                     0.061 [0.004, 0.256]            0.070 [0.005, 0.272]
baseline_drift             0.317 [0.018, 0.487]            0.287 [0.046, 0.486]
initial_trust              0.518 [0.311, 0.870]            0.493 [0.328, 0.826]
same result from one seed  yes (bit for bit)               yes with ``SingleCoreSampler``
same with 2 workers        yes (bit for bit; the windows   no: ``MulticoreEvalParallel-
                           fit in parallel, each batch     Sampler`` reseeds each worker
                           in one process; tested)         from the OS, so two runs differ
=========================  ==============================  ==============================

(Final population, weighted median [5 %, 95 %].) The posteriors agree. pyabc's
adaptive kernel needs a third fewer simulations, but it evaluates one particle per
model call, so every particle is its own 20-run batch; this engine simulates a whole
generation as one vectorised batch (:class:`~.simulator.TrustSimulator` through
``run_arrays``), five times cheaper per particle, and is three times faster overall.
Its result depends only on the seed, whatever the number of worker processes of
:func:`~.windows.fit_windows` (tested), which the project requires of every run and
which pyabc's parallel samplers do not give. So the engine stays.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import logsumexp

from sim.experiments.calibration.population import AbcResult, Generation, weighted_quantile
from sim.experiments.ranges import ParamRange, bounds_arrays

__all__ = ["DistanceFn", "SimulateFn", "abc_smc", "vectorize_simulator"]

#: ``simulate(theta (n, d), seed_seq) -> summaries (n, k)``.
SimulateFn = Callable[[np.ndarray, np.random.SeedSequence], np.ndarray]
#: ``distance(simulated (n, k), observed (k,)) -> (n,)``.
DistanceFn = Callable[[np.ndarray, np.ndarray], np.ndarray]


def vectorize_simulator(
    simulate_one: Callable[[np.ndarray, np.random.SeedSequence], ArrayLike],
) -> SimulateFn:
    """Wrap a one-parameter-vector simulator into the vectorised form :func:`abc_smc` needs.

    Each row of ``theta`` is passed to ``simulate_one`` with its own child SeedSequence
    spawned, in row order, from the batch's SeedSequence, so results stay reproducible.

    Args:
        simulate_one: ``simulate_one(theta_row (d,), seed_seq) -> summaries (k,)``, e.g.
            run R model replicates from ``seed_seq.spawn(R)`` and return the per-year
            median trust.

    Returns:
        A function ``simulate(theta (n, d), seed_seq) -> (n, k)``.
    """

    def simulate(theta: np.ndarray, seed_seq: np.random.SeedSequence) -> np.ndarray:
        children = seed_seq.spawn(theta.shape[0])
        rows = [
            np.asarray(simulate_one(th, ss), dtype=float)
            for th, ss in zip(theta, children, strict=True)
        ]
        return np.stack(rows)

    return simulate


def _run_batch(
    simulate: SimulateFn,
    distance: DistanceFn,
    theta: np.ndarray,
    observed: np.ndarray,
    seed_seq: np.random.SeedSequence,
) -> np.ndarray:
    sims = np.asarray(simulate(theta, seed_seq), dtype=float)
    if sims.ndim != 2 or sims.shape[0] != theta.shape[0]:
        raise ValueError(
            f"simulate must return shape (n_particles, k); got {sims.shape} for n={theta.shape[0]}"
        )
    dist = np.asarray(distance(sims, observed), dtype=float).ravel()
    if dist.shape != (theta.shape[0],):
        raise ValueError(f"distance must return shape (n,); got {dist.shape}")
    dist[np.isnan(dist)] = np.inf
    return dist


def _kernel_cholesky(particles: np.ndarray, weights: np.ndarray, width: np.ndarray) -> np.ndarray:
    """Cholesky factor of twice the weighted covariance (Beaumont et al. 2009), regularised."""
    cov = np.atleast_2d(np.cov(particles, rowvar=False, aweights=weights, ddof=0))
    cov = 2.0 * cov + np.diag((1e-9 * width) ** 2)
    return np.linalg.cholesky(cov)


def abc_smc(
    simulate: SimulateFn,
    observed: ArrayLike,
    distance: DistanceFn,
    ranges: Sequence[ParamRange],
    *,
    n_particles: int = 200,
    n_generations: int = 6,
    quantile: float = 0.5,
    seed: int | np.random.SeedSequence = 0,
    min_epsilon: float = 0.0,
    max_simulations_per_generation: int | None = None,
) -> AbcResult:
    """Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC / ABC-PMC).

    Algorithm (Toni et al. 2009; Beaumont et al. 2009), with uniform priors on ``ranges``:

    * Generation 0: draw ``ceil(n_particles / quantile)`` parameter vectors from the prior,
      simulate, keep the ``n_particles`` closest; ``epsilon_0`` is the largest kept
      distance; weights are equal.
    * Generation t ≥ 1: ``epsilon_t`` = weighted ``quantile`` of generation t−1's
      distances. Propose by resampling a particle from generation t−1 by weight and adding
      Gaussian noise with covariance 2·Cov_w(generation t−1); proposals outside the
      bounds (zero prior density) are redrawn before simulation. Accept when
      ``distance ≤ epsilon_t`` until ``n_particles`` are accepted (simulated in
      vectorised batches, accepted in proposal order). Weight
      ``w_i ∝ 1 / Σ_j w_j^{t−1} K(θ_i | θ_j)`` (the uniform prior density cancels).

    Randomness: one root ``SeedSequence(seed)``; each generation spawns a child, from
    which the proposal Generator and, in order, one SeedSequence per simulation batch are
    spawned. The result is therefore identical for the same seed and inputs.

    Args:
        simulate: Vectorised simulator, ``(n, d)`` parameters and a SeedSequence →
            ``(n, k)`` summaries. It must draw all its randomness from the SeedSequence.
        observed: Observed summaries, shape ``(k,)``.
        distance: ``distance(simulated (n, k), observed (k,)) -> (n,)``, e.g.
            :func:`monotone_loss` or :func:`rmse_distance`. NaN counts as ``inf``.
        ranges: One continuous :class:`ParamRange` per parameter (column order of
            ``theta``); its ``low``/``high`` bound the uniform prior.
        n_particles: Population size.
        n_generations: Maximum number of populations (including generation 0).
        quantile: Tolerance quantile in (0, 1); also sets the generation-0 oversampling.
        seed: Integer seed or SeedSequence.
        min_epsilon: Stop after the first population whose tolerance is ≤ this.
        max_simulations_per_generation: Simulation budget per generation (default
            ``100 · n_particles``). If a generation cannot be filled within it, the run
            stops and returns the previous complete population.

    Returns:
        An :class:`AbcResult`; its last generation is the posterior sample.

    Raises:
        ValueError: On invalid arguments, or if the simulator/distance return bad shapes.
    """
    bnds = tuple(ranges)
    if not bnds:
        raise ValueError("at least one parameter is required")
    if len({b.name for b in bnds}) != len(bnds):
        raise ValueError("parameter names must be unique")
    if not 0.0 < quantile < 1.0:
        raise ValueError("quantile must be in (0, 1)")
    if n_particles < 2 or n_generations < 1:
        raise ValueError("need n_particles >= 2 and n_generations >= 1")
    budget = (
        100 * n_particles
        if max_simulations_per_generation is None
        else max_simulations_per_generation
    )
    obs = np.asarray(observed, dtype=float).ravel()
    low, high = bounds_arrays(bnds)
    width = high - low
    dim = len(bnds)
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    gen_seqs = root.spawn(n_generations)

    # Generation 0: prior sample, keep the best fraction `quantile`.
    ss0 = gen_seqs[0]
    rng = np.random.Generator(np.random.PCG64(ss0.spawn(1)[0]))
    n0 = math.ceil(n_particles / quantile)
    theta0 = low + width * rng.random((n0, dim))
    d0 = _run_batch(simulate, distance, theta0, obs, ss0.spawn(1)[0])
    keep = np.argsort(d0, kind="stable")[:n_particles]
    if not np.all(np.isfinite(d0[keep])):
        raise ValueError("fewer than n_particles prior simulations gave a finite distance")
    gens = [
        Generation(
            epsilon=float(d0[keep[-1]]),
            particles=theta0[keep],
            weights=np.full(n_particles, 1.0 / n_particles),
            distances=d0[keep],
            n_simulations=n0,
        )
    ]
    stop_reason = "n_generations"
    rate_est = quantile

    for t in range(1, n_generations):
        if gens[-1].epsilon <= min_epsilon:
            stop_reason = "min_epsilon"
            break
        prev = gens[-1]
        eps = float(weighted_quantile(prev.distances, prev.weights, quantile))
        chol = _kernel_cholesky(prev.particles, prev.weights, width)
        ss = gen_seqs[t]
        rng = np.random.Generator(np.random.PCG64(ss.spawn(1)[0]))
        cdf = np.cumsum(prev.weights)
        cdf /= cdf[-1]

        acc_theta: list[np.ndarray] = []
        acc_dist: list[np.ndarray] = []
        n_acc = 0
        n_sim = 0
        while n_acc < n_particles:
            if n_sim >= budget:
                break
            need = n_particles - n_acc
            batch = int(min(budget - n_sim, max(16, math.ceil(1.2 * need / max(rate_est, 1e-3)))))
            theta = _propose(rng, prev.particles, cdf, chol, low, high, batch)
            dist = _run_batch(simulate, distance, theta, obs, ss.spawn(1)[0])
            n_sim += batch
            ok = np.flatnonzero(dist <= eps)[:need]
            acc_theta.append(theta[ok])
            acc_dist.append(dist[ok])
            n_acc += ok.size
            rate_est = max(n_acc, 1) / n_sim
        if n_acc < n_particles:
            stop_reason = (
                f"simulation budget exhausted in generation {t} "
                f"({n_acc}/{n_particles} accepted in {n_sim} simulations)"
            )
            break

        theta_t = np.concatenate(acc_theta)
        dist_t = np.concatenate(acc_dist)
        weights_t = _importance_weights(theta_t, prev.particles, prev.weights, chol)
        gens.append(Generation(eps, theta_t, weights_t, dist_t, n_sim))

    return AbcResult(ranges=bnds, generations=tuple(gens), stop_reason=stop_reason)


def _propose(
    rng: np.random.Generator,
    particles: np.ndarray,
    cdf: np.ndarray,
    chol: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    n: int,
) -> np.ndarray:
    """Draw ``n`` perturbed particles inside the prior box (rejecting those outside)."""
    out = np.empty((n, particles.shape[1]))
    filled = 0
    for _ in range(10_000):
        m = max(n - filled, 16)
        idx = np.minimum(np.searchsorted(cdf, rng.random(m), side="right"), len(cdf) - 1)
        cand = particles[idx] + rng.standard_normal((m, particles.shape[1])) @ chol.T
        cand = cand[np.all((cand >= low) & (cand <= high), axis=1)]
        take = min(cand.shape[0], n - filled)
        out[filled : filled + take] = cand[:take]
        filled += take
        if filled == n:
            return out
    raise RuntimeError("perturbation kernel almost never lands inside the prior bounds")


def _importance_weights(
    theta: np.ndarray, prev: np.ndarray, prev_w: np.ndarray, chol: np.ndarray
) -> np.ndarray:
    """``w_i ∝ 1 / Σ_j w_j N(θ_i; θ_j, Σ)`` computed in log space (uniform prior)."""
    diff = theta[:, None, :] - prev[None, :, :]  # (n, m, d)
    z = np.linalg.solve(chol, diff.reshape(-1, prev.shape[1]).T).T.reshape(diff.shape)
    log_k = -0.5 * np.einsum("nmd,nmd->nm", z, z)
    with np.errstate(divide="ignore"):
        log_mix = logsumexp(log_k + np.log(prev_w)[None, :], axis=1)
    log_w = -log_mix
    log_w -= log_w.max()
    w = np.exp(log_w)
    return w / w.sum()
