"""ABC-SMC populations and the posterior summaries read from them.

A :class:`Generation` is one weighted population of particles; an
:class:`AbcResult` is the history of populations of one run of
:func:`sim.experiments.calibration.abc_smc.abc_smc`, whose last population is the
posterior sample. Medians and credible intervals are weighted quantiles
(:func:`weighted_quantile`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from sim.experiments.ranges import ParamRange

__all__ = ["AbcResult", "Generation", "weighted_quantile"]


def weighted_quantile(values: ArrayLike, weights: ArrayLike, q: ArrayLike) -> np.ndarray:
    """Quantiles of a weighted sample (midpoint-interpolated weighted empirical CDF).

    With equal weights this coincides with ``numpy.quantile(..., method="hazen")``.

    Args:
        values: Sample values, shape ``(n,)``.
        weights: Non-negative weights, shape ``(n,)`` (need not sum to 1).
        q: Probability or probabilities in [0, 1].

    Returns:
        Quantile(s) with the shape of ``q``.
    """
    v = np.asarray(values, dtype=float).ravel()
    w = np.asarray(weights, dtype=float).ravel()
    order = np.argsort(v, kind="stable")
    v, w = v[order], w[order]
    cw = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(np.asarray(q, dtype=float), cw, v)


@dataclass(frozen=True, eq=False)
class Generation:
    """One ABC-SMC population.

    Attributes:
        epsilon: Tolerance used to accept this population's particles.
        particles: Accepted parameter vectors, shape ``(n_particles, d)``.
        weights: Normalised importance weights, shape ``(n_particles,)``.
        distances: Distance of each particle's simulation to the data.
        n_simulations: Simulations run to fill this population.
    """

    epsilon: float
    particles: np.ndarray
    weights: np.ndarray
    distances: np.ndarray
    n_simulations: int

    @property
    def acceptance_rate(self) -> float:
        """Accepted particles / simulations run."""
        return len(self.weights) / self.n_simulations

    @property
    def ess(self) -> float:
        """Kish effective sample size ``1 / Σ w²``."""
        return float(1.0 / np.sum(self.weights**2))


@dataclass(frozen=True, eq=False)
class AbcResult:
    """Output of :func:`abc_smc`: the population history and posterior summaries.

    Attributes:
        ranges: The parameter priors (continuous :class:`ParamRange`), in column order.
        generations: All completed populations; the last is the posterior sample.
        stop_reason: Why the run ended (``"n_generations"``, ``"min_epsilon"``, or a
            simulation-budget message).
    """

    ranges: tuple[ParamRange, ...]
    generations: tuple[Generation, ...]
    stop_reason: str = field(default="n_generations")

    @property
    def names(self) -> list[str]:
        """Parameter names in column order."""
        return [r.name for r in self.ranges]

    @property
    def particles(self) -> np.ndarray:
        """Final-population particles, shape ``(n_particles, d)``."""
        return self.generations[-1].particles

    @property
    def weights(self) -> np.ndarray:
        """Final-population normalised weights, shape ``(n_particles,)``."""
        return self.generations[-1].weights

    @property
    def distances(self) -> np.ndarray:
        """Final-population distances, shape ``(n_particles,)``."""
        return self.generations[-1].distances

    @property
    def tolerances(self) -> np.ndarray:
        """Tolerance of every generation (non-increasing)."""
        return np.array([g.epsilon for g in self.generations])

    @property
    def n_simulations(self) -> int:
        """Total number of simulated parameter vectors over all generations."""
        return sum(g.n_simulations for g in self.generations)

    def quantiles(self, q: ArrayLike) -> np.ndarray:
        """Weighted marginal posterior quantiles.

        Args:
            q: Probability or sequence of probabilities.

        Returns:
            Array of shape ``(len(q), d)`` (or ``(d,)`` for scalar ``q``).
        """
        cols = [
            weighted_quantile(self.particles[:, j], self.weights, q)
            for j in range(len(self.ranges))
        ]
        return np.stack(cols, axis=-1)

    def summary(self, ci: float = 0.90) -> pd.DataFrame:
        """Posterior summary per parameter.

        Args:
            ci: Central credible-interval mass; 0.90 gives columns ``q05`` and ``q95``.

        Returns:
            DataFrame with columns ``parameter, median, mean, q05, q95`` (names follow
            ``ci``), plus ``prior_low``, ``prior_high`` and ``ci_frac_of_prior`` (interval
            width / prior width).
        """
        lo_p, hi_p = (1 - ci) / 2, 1 - (1 - ci) / 2
        lo_name, hi_name = f"q{round(100 * lo_p):02d}", f"q{round(100 * hi_p):02d}"
        qs = self.quantiles([0.5, lo_p, hi_p])
        mean = self.weights @ self.particles
        width = np.array([r.width for r in self.ranges])
        return pd.DataFrame(
            {
                "parameter": self.names,
                "median": qs[0],
                "mean": mean,
                lo_name: qs[1],
                hi_name: qs[2],
                "prior_low": [r.low for r in self.ranges],
                "prior_high": [r.high for r in self.ranges],
                "ci_frac_of_prior": (qs[2] - qs[1]) / width,
            }
        )

    def best(self, kind: str = "median") -> dict[str, float]:
        """A point estimate by parameter name.

        Args:
            kind: ``"median"`` (marginal posterior medians), ``"mean"`` (weighted means)
                or ``"min_distance"`` (the final particle closest to the data, a MAP-ish
                choice that is a jointly simulated point).

        Returns:
            Mapping parameter name → value.

        Raises:
            ValueError: For an unknown ``kind``.
        """
        if kind == "median":
            vals = self.quantiles(0.5)
        elif kind == "mean":
            vals = self.weights @ self.particles
        elif kind == "min_distance":
            vals = self.particles[int(np.argmin(self.distances))]
        else:
            raise ValueError(f"unknown kind {kind!r}")
        return {n: float(v) for n, v in zip(self.names, vals, strict=True)}

    def to_frame(self, generation: int = -1) -> pd.DataFrame:
        """Particles of one generation as a DataFrame with ``weight`` and ``distance``.

        Args:
            generation: Index into :attr:`generations` (default: the final population).

        Returns:
            One row per particle.
        """
        g = self.generations[generation]
        df = pd.DataFrame(g.particles, columns=self.names)
        df["weight"] = g.weights
        df["distance"] = g.distances
        return df

    def history(self) -> pd.DataFrame:
        """Per-generation diagnostics: epsilon, simulations, acceptance rate, ESS."""
        return pd.DataFrame(
            {
                "generation": range(len(self.generations)),
                "epsilon": self.tolerances,
                "n_simulations": [g.n_simulations for g in self.generations],
                "acceptance_rate": [g.acceptance_rate for g in self.generations],
                "ess": [g.ess for g in self.generations],
            }
        )
