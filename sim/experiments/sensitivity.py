"""Global sensitivity analysis of sweep outcomes (a thin layer over SALib).

Sobol' indices for a Sobol design and Morris's elementary effects for a Morris
design (SALib); for a Latin hypercube, partial rank correlations
(:mod:`sim.experiments.prcc`).

:func:`analyze` takes the design matrix produced by
:func:`sim.experiments.designs.sample` plus one outcome vector per output of interest and
returns a tidy ("long") DataFrame with one row per (outcome, parameter,
index)::

    outcome  parameter  method  index    value   conf
    trust    alpha      sobol   S1       0.31    0.02
    trust    alpha      sobol   ST       0.56    0.03
    ...

``conf`` is the half-width of the 95 % bootstrap confidence interval that
SALib reports (``S1_conf``, ``ST_conf``, ``S2_conf``, ``mu_star_conf``); it is
NaN where SALib reports none (Morris ``sigma``).

Degenerate outcomes (any NaN/inf, or zero variance) yield rows with NaN
``value`` and ``conf`` rather than an exception, so one constant output does
not abort the analysis of a whole sweep.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments.designs import problem, to_unit
from sim.experiments.prcc import prcc
from sim.experiments.ranges import ParamRange

__all__ = ["COLUMNS", "analyze"]

#: Column order of the DataFrame returned by :func:`analyze`.
COLUMNS: tuple[str, ...] = ("outcome", "parameter", "method", "index", "value", "conf")

_SUPPORTED = ("sobol", "morris", "lhs")


def _rows(
    outcome: str, design: str, names: list[str], res: Mapping[str, Any] | None, second: bool
) -> list[dict[str, Any]]:
    """Flatten one SALib result dict (or ``None`` for a degenerate outcome)."""
    nan = float("nan")
    rows: list[dict[str, Any]] = []

    def add(parameter: str, index: str, value: float, conf: float) -> None:
        rows.append(
            {
                "outcome": outcome,
                "parameter": parameter,
                "method": design,
                "index": index,
                "value": float(value),
                "conf": float(conf),
            }
        )

    if design == "sobol":
        for index in ("S1", "ST"):
            for i, name in enumerate(names):
                if res is None:
                    add(name, index, nan, nan)
                else:
                    add(name, index, res[index][i], res[f"{index}_conf"][i])
        if second:
            for i in range(len(names)):
                for j in range(i + 1, len(names)):
                    pair = f"{names[i]}:{names[j]}"
                    if res is None:
                        add(pair, "S2", nan, nan)
                    else:
                        add(pair, "S2", res["S2"][i][j], res["S2_conf"][i][j])
    elif design == "lhs":  # partial rank correlations (sim.experiments.prcc)
        for i, name in enumerate(names):
            if res is None:
                add(name, "PRCC", nan, nan)
            else:
                add(name, "PRCC", res["PRCC"][i], res["PRCC_conf"][i])
    else:
        for i, name in enumerate(names):
            if res is None:
                add(name, "mu_star", nan, nan)
            else:
                add(name, "mu_star", res["mu_star"][i], res["mu_star_conf"][i])
        for i, name in enumerate(names):
            add(name, "sigma", nan if res is None else res["sigma"][i], nan)
    return rows


def _salib_seed(seed: int) -> int:
    """A non-zero seed for SALib.

    SALib ignores a seed of 0 (``if seed:``) and then draws from NumPy's global
    generator, which would make the intervals differ from run to run.
    """
    return int(np.random.SeedSequence(int(seed)).generate_state(1)[0]) | 1


def _rankable(params: Sequence[ParamRange], X: pd.DataFrame, unit: np.ndarray) -> np.ndarray:  # noqa: N803
    """The design as PRCC ranks it: a parameter's own values where they are numbers.

    A list of numeric ``values`` need not be in ascending order, so its position
    in the list (what :func:`~sim.experiments.designs.to_unit` gives) would rank
    it wrongly; other parameters are ranked by their unit coordinate, which is
    monotone in the value.
    """
    out = unit.copy()
    for j, p in enumerate(params):
        vals = getattr(p, "values", None)
        if vals and all(isinstance(v, int | float) and not isinstance(v, bool) for v in vals):
            out[:, j] = X[p.name].to_numpy(dtype=float)
    return out


def analyze(
    design: str,
    params: Sequence[ParamRange],
    X: pd.DataFrame,  # noqa: N803 - SALib's conventional name for the design matrix
    outcomes: Mapping[str, np.ndarray],
    *,
    calc_second_order: bool = False,
    seed: int = 0,
    num_resamples: int = 1000,
    morris_levels: int = 4,
) -> pd.DataFrame:
    """Compute Sobol' or Morris sensitivity indices for several outcomes.

    ``X`` must be the untouched, unshuffled output of
    ``sim.experiments.designs.sample(design, params, ...)`` (Sobol' and Morris estimators
    rely on the row order), and every outcome vector must be aligned with its
    rows.

    * ``"sobol"``: rows for ``S1`` and ``ST`` per parameter (and ``S2`` per
      parameter pair ``"a:b"``, ``a`` before ``b`` in ``params`` order, when
      ``calc_second_order``; the sample must then have been drawn with
      ``calc_second_order=True`` too).
    * ``"lhs"``: rows for ``PRCC`` per parameter, the partial rank correlation
      with its 95 % interval (:mod:`sim.experiments.prcc`).
    * ``"morris"``: rows for ``mu_star`` (with ``mu_star_conf``) and
      ``sigma`` (``conf`` NaN).  Elementary effects are per unit of the
      normalised input range (SALib's unscaled convention); discrete inputs
      are handled through their position in the value list.

    RuntimeWarnings that SALib/numpy raise on degenerate data are suppressed
    locally.

    Args:
        design: ``"sobol"``, ``"morris"`` or ``"lhs"``.
        params: The parameter specifications used to draw ``X``.
        X: Design matrix (one column per parameter, one row per model run).
        outcomes: Mapping from outcome name to a 1-D array of ``len(X)``
            values.
        calc_second_order: Sobol' only: also report ``S2``.
        seed: Seed for SALib's bootstrap resampling.
        num_resamples: Number of bootstrap resamples for the confidence
            intervals.
        morris_levels: Morris only: the ``morris_levels`` used for sampling.

    Returns:
        DataFrame with columns :data:`COLUMNS`, ordered by outcome (mapping
        order), then index, then parameter (``params`` order).

    Raises:
        ValueError: For an unsupported design, a design matrix whose length
            does not fit the design, or an outcome of the wrong length/shape.
    """
    if design not in _SUPPORTED:
        raise ValueError(
            f"sensitivity analysis supports designs {list(_SUPPORTED)}, got {design!r}"
        )
    prob = problem(params)
    names: list[str] = prob["names"]
    d = len(names)
    n_rows = len(X)
    # Rows per Saltelli block (Sobol'), per trajectory (Morris), per point (LHS).
    block = {"sobol": 2 * d + 2 if calc_second_order else d + 2, "morris": d + 1}.get(design, 1)
    if n_rows == 0 or n_rows % block:
        raise ValueError(
            f"{design} design with {d} parameters "
            f"{'(second order) ' if design == 'sobol' and calc_second_order else ''}"
            f"needs a multiple of {block} rows, got {n_rows}"
        )
    if num_resamples < 1:
        raise ValueError(f"num_resamples must be >= 1, got {num_resamples}")
    x_unit = to_unit(params, X) if design in ("morris", "lhs") else None
    # Imported lazily: SALib pulls in most of SciPy, which is slow to import.
    from SALib.analyze import morris as salib_morris
    from SALib.analyze import sobol as salib_sobol

    rows: list[dict[str, Any]] = []
    for outcome, values in outcomes.items():
        y = np.asarray(values)
        if y.ndim != 1 or y.shape[0] != n_rows:
            raise ValueError(
                f"outcome {outcome!r} must be a 1-D array of length {n_rows}, got shape {y.shape}"
            )
        try:
            y = y.astype(float)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"outcome {outcome!r} is not numeric: {exc}") from exc
        res: Mapping[str, Any] | None = None
        if np.all(np.isfinite(y)) and np.ptp(y) > 0:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore", RuntimeWarning)
                if design == "lhs":
                    r, half = prcc(_rankable(params, X, x_unit), y)
                    res = {"PRCC": r, "PRCC_conf": half}
                elif design == "sobol":
                    res = salib_sobol.analyze(
                        prob,
                        y,
                        calc_second_order=calc_second_order,
                        num_resamples=num_resamples,
                        conf_level=0.95,
                        seed=_salib_seed(seed),
                    )
                else:
                    res = salib_morris.analyze(
                        prob,
                        x_unit,
                        y,
                        num_resamples=num_resamples,
                        conf_level=0.95,
                        num_levels=morris_levels,
                        seed=_salib_seed(seed),
                    )
        rows.extend(_rows(outcome, design, names, res, calc_second_order))

    out = pd.DataFrame(rows, columns=list(COLUMNS))
    out["value"] = out["value"].astype(float)
    out["conf"] = out["conf"].astype(float)
    return out
