"""Experimental designs for parameter sweeps.

The vocabulary follows the EMA Workbench: every swept input is a
:class:`~sim.experiments.ranges.ParamRange` that is either an *uncertainty*
(an exogenous factor the analyst cannot control) or a *lever* (a policy
choice).  The ``kind`` is metadata only; all designs treat both kinds alike.

Parameters are either continuous (``low``/``high``, optionally restricted to
integers) or discrete (an explicit ``values`` tuple).  Every sampling design
except ``"grid"`` works in the unit hypercube and then maps each coordinate
``u`` in ``[0, 1]`` onto the parameter:

* continuous: ``low + u * (high - low)`` (the same affine map SALib uses);
* integer: ``floor(low + u * (high - low + 1))`` clipped to ``high``, i.e. a
  uniform choice among ``low, low + 1, ..., high``;
* discrete: ``values[min(floor(u * k), k - 1)]`` for ``k`` values, i.e. the
  unit interval is cut into ``k`` equal bins, one per value.

Example:
    >>> from sim.experiments.designs import sample
    >>> from sim.experiments.ranges import ParamRange
    >>> specs = [
    ...     ParamRange("alpha", "uncertainty", low=0.0, high=1.0),
    ...     ParamRange("policy", "lever", values=("hawk", "dove")),
    ... ]
    >>> sample("grid", specs, n=0, seed=0, levels=3).shape
    (6, 2)
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments.ranges import ParamRange

__all__ = ["DESIGNS", "problem", "sample", "to_unit", "unit_to_values"]

#: Names of the designs understood by :func:`sample`.
DESIGNS: tuple[str, ...] = ("grid", "lhs", "sobol", "morris")


def _validate_params(params: Sequence[ParamRange]) -> list[ParamRange]:
    params = list(params)
    if not params:
        raise ValueError("at least one ParamRange is required")
    for p in params:
        if not isinstance(p, ParamRange):
            raise ValueError(f"expected ParamRange instances, got {type(p).__name__}")
    names = [p.name for p in params]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"duplicate parameter names: {dupes}")
    return params


def problem(params: Sequence[ParamRange]) -> dict[str, Any]:
    """Build the SALib problem dictionary for ``params``.

    Continuous parameters get their real ``[low, high]`` bounds; discrete
    parameters get ``[0, 1]``, the unit coordinate that is mapped onto the
    value list.  SALib's samplers and analysers only use the bounds to scale
    unit samples, so this dictionary can be passed straight to them.

    Args:
        params: Parameter specifications.

    Returns:
        A dict with keys ``num_vars``, ``names`` and ``bounds``.

    Raises:
        ValueError: If ``params`` is empty or has duplicate names.
    """
    params = _validate_params(params)
    bounds = [[0.0, 1.0] if p.is_discrete else list(p.bounds) for p in params]
    return {
        "num_vars": len(params),
        "names": [p.name for p in params],
        "bounds": bounds,
    }


def _discrete_column(values: tuple[Any, ...], idx: np.ndarray) -> pd.Series:
    base = pd.Series(list(values))
    return base.take(idx).reset_index(drop=True)


def unit_to_values(params: Sequence[ParamRange], unit: np.ndarray) -> pd.DataFrame:
    """Map points of the unit hypercube onto parameter values.

    Args:
        params: Parameter specifications, one per column of ``unit``.
        unit: Array of shape ``(rows, len(params))`` with entries in ``[0, 1]``.

    Returns:
        A DataFrame with one column per parameter (float64 for continuous,
        int64 for integer, the inferred dtype of ``values`` for discrete).

    Raises:
        ValueError: If the shape of ``unit`` does not match ``params``.
    """
    params = _validate_params(params)
    unit = np.asarray(unit, dtype=float)
    if unit.ndim != 2 or unit.shape[1] != len(params):
        raise ValueError(f"unit sample must have shape (rows, {len(params)}), got {unit.shape}")
    unit = np.clip(unit, 0.0, 1.0)
    columns: dict[str, pd.Series | np.ndarray] = {}
    for j, p in enumerate(params):
        u = unit[:, j]
        if p.is_discrete:
            k = len(p.choices)
            idx = np.minimum(np.floor(u * k).astype(np.int64), k - 1)
            columns[p.name] = _discrete_column(p.choices, idx)
        elif p.integer:
            lo, hi = (int(b) for b in p.bounds)
            ints = np.floor(lo + u * (hi - lo + 1)).astype(np.int64)
            columns[p.name] = np.minimum(ints, hi)
        else:
            low, high = p.bounds
            columns[p.name] = u * (high - low) + low
    return pd.DataFrame(columns)


def to_unit(params: Sequence[ParamRange], X: pd.DataFrame) -> np.ndarray:  # noqa: N803
    """Map a design matrix back to monotone numeric coordinates in ``[0, 1]``.

    Continuous and integer parameters are rescaled with ``(x - low) /
    (high - low)``; a discrete value is replaced by its position in the value
    list divided by ``k - 1`` (0 for single-valued parameters).  The map is
    monotone in the sampled unit coordinate, which is what Morris analysis
    needs to detect which input changed along a trajectory and in which
    direction.

    Args:
        params: Parameter specifications.
        X: Design matrix with (at least) one column per parameter.

    Returns:
        Float array of shape ``(len(X), len(params))``.

    Raises:
        ValueError: If a column is missing or a discrete column holds a value
            that is not in the parameter's ``values``.
    """
    params = _validate_params(params)
    missing = [p.name for p in params if p.name not in X.columns]
    if missing:
        raise ValueError(f"design matrix lacks parameter columns: {missing}")
    out = np.empty((len(X), len(params)), dtype=float)
    for j, p in enumerate(params):
        col = X[p.name]
        if p.is_discrete:
            k = len(p.choices)
            lookup = {v: i for i, v in enumerate(p.choices)}
            pos = col.map(lookup)
            if pos.isna().any():
                bad = col[pos.isna()].unique()[:5].tolist()
                raise ValueError(f"column {p.name!r} holds values not in its spec: {bad}")
            out[:, j] = pos.to_numpy(dtype=float) / max(k - 1, 1)
        else:
            low, high = p.bounds
            out[:, j] = (col.to_numpy(dtype=float) - low) / (high - low)
    return out


def _grid(params: list[ParamRange], levels: int) -> pd.DataFrame:
    if isinstance(levels, bool) or not isinstance(levels, int | np.integer) or levels < 2:
        raise ValueError(f"grid levels must be an integer >= 2 (both ends), got {levels!r}")
    axes: list[pd.Series | np.ndarray] = []
    for p in params:
        if p.is_discrete:
            axes.append(pd.Series(list(p.choices)))
        else:
            pts = np.linspace(*p.bounds, int(levels))
            axes.append(np.unique(np.rint(pts).astype(np.int64)) if p.integer else pts)
    # Full factorial over positions; the first parameter varies slowest.
    positions = np.indices([len(a) for a in axes]).reshape(len(axes), -1)
    columns: dict[str, pd.Series | np.ndarray] = {}
    for p, axis, idx in zip(params, axes, positions, strict=True):
        if isinstance(axis, pd.Series):
            columns[p.name] = axis.take(idx).reset_index(drop=True)
        else:
            columns[p.name] = axis[idx]
    return pd.DataFrame(columns)


def _unit_problem(params: list[ParamRange]) -> dict[str, Any]:
    return {
        "num_vars": len(params),
        "names": [p.name for p in params],
        "bounds": [[0.0, 1.0]] * len(params),
    }


def sample(
    design: str,
    params: Sequence[ParamRange],
    *,
    n: int,
    seed: int,
    levels: int = 5,
    calc_second_order: bool = False,
    morris_levels: int = 4,
) -> pd.DataFrame:
    """Draw an experimental design.

    Designs:

    * ``"grid"``: full factorial.  Discrete parameters take all their values,
      continuous ones ``levels`` evenly spaced points including both ends
      (integer parameters: those points rounded, duplicates dropped).  ``n``
      and ``seed`` are ignored.  The first parameter varies slowest.
    * ``"lhs"``: ``n`` points from ``scipy.stats.qmc.LatinHypercube``.
    * ``"sobol"``: Saltelli's scheme via ``SALib.sample.sobol.sample`` with
      ``N=n``; gives ``n * (d + 2)`` rows, or ``n * (2d + 2)`` with
      ``calc_second_order``.  ``n`` should be a power of two for the balance
      properties of the Sobol' sequence; other values work, and SciPy's
      warning about them is suppressed here.
    * ``"morris"``: ``SALib.sample.morris.sample`` with ``N=n`` trajectories
      on a ``morris_levels``-level grid; gives ``n * (d + 1)`` rows.

    Sampling happens in the unit hypercube and is mapped onto the
    parameters as described in the module docstring (so discrete parameters
    are supported by every design).  For Morris with discrete parameters,
    choose ``morris_levels`` so that a Morris step always changes the value
    (e.g. ``morris_levels == len(values)``); otherwise some elementary
    effects of that parameter are zero.

    Args:
        design: One of :data:`DESIGNS`.
        params: Parameter specifications (one output column each, in order).
        n: Number of points (``lhs``), base sample size (``sobol``) or number
            of trajectories (``morris``).  Ignored by ``grid``.
        seed: Seed; the result is a deterministic function of all arguments.
        levels: Points per continuous parameter for ``grid``.
        calc_second_order: Sobol only: add the cross-sampled rows needed for
            second-order indices.
        morris_levels: Morris only: number of grid levels ``p``.

    Returns:
        A DataFrame with one column per parameter and one row per point, with
        a fresh ``RangeIndex``.

    Raises:
        ValueError: On an unknown design, invalid parameter list, ``n < 1``
            (non-grid designs), ``levels < 2`` or ``morris_levels < 2``.
    """
    if design not in DESIGNS:
        raise ValueError(f"unknown design {design!r}; expected one of {list(DESIGNS)}")
    params = _validate_params(params)
    if design == "grid":
        return _grid(params, levels)

    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"n must be a positive integer for design {design!r}, got {n!r}")
    n = int(n)
    d = len(params)
    # SciPy/SALib are imported lazily: they take seconds to import and many
    # users of this module only need the deterministic designs.
    if design == "lhs":
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d, seed=seed).random(n)
    elif design == "sobol":
        from SALib.sample import sobol as salib_sobol

        with warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore", message=r".*balance properties of Sobol", category=UserWarning
            )
            unit = salib_sobol.sample(
                _unit_problem(params), n, calc_second_order=calc_second_order, seed=seed
            )
    else:  # morris
        if morris_levels < 2:
            raise ValueError(f"morris_levels must be >= 2, got {morris_levels}")
        from SALib.sample import morris as salib_morris

        unit = salib_morris.sample(_unit_problem(params), n, num_levels=morris_levels, seed=seed)
    return unit_to_values(params, unit)
