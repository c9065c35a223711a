"""Scenario discovery: which ranges of which factors give an outcome of interest (PRIM).

"What would restore trust?" is the question a sweep answers here: every run is
a case, its factors (levers, uncertainties, and the scenario when it is one)
are the inputs, and the cases of interest are the runs whose outcome meets a
condition (``--where "> 0.5"``). The Patient Rule Induction Method (Friedman &
Fisher 1999, as used for scenario discovery by Bryant & Lempert 2010) peels
the factor space down to boxes in which such runs are dense.

The algorithm is the maintained ``prim`` package (David Hadka's standalone
version of the EMA Workbench's PRIM; GPL-3.0), not a copy of it. A categorical
factor (the scenario) is given to it as one 0/1 column per scenario, which it
peels as a discrete factor; a box that keeps only the 1s of ``scenario=X``
reads "scenario is X", only the 0s "scenario is not X".

For each box the trajectory of peeling and pasting is kept; the box reported is
the densest point of it that still holds at least ``min_coverage`` of the
cases of interest (PRIM's own last box when none does).
"""

from __future__ import annotations

import operator
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["Box", "Discovery", "Restriction", "discover", "parse_where"]

#: Comparisons ``--where`` understands.
OPERATORS = {
    ">=": operator.ge,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    "<": operator.lt,
}
#: Prefix of a categorical factor's indicator columns.
IS = "="


#: Comparisons a band may join (a name for its files stays short).
MAX_COMPARISONS = 4
#: The order of a band's comparisons in its name: lower bounds, upper, the rest.
_ORDER = {">": 0, ">=": 0, "<": 1, "<=": 1, "==": 2, "!=": 3}
_COMPARISON = r"\s*(>=|<=|==|!=|>|<)\s*([-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)\s*"


def parse_where(text: str) -> tuple[tuple[str, float], ...]:
    """``"> 0.5"`` as ``((">", 0.5),)``; ``"> 0.3 and < 0.6"`` as both comparisons.

    A band of an outcome is comparisons joined by ``and``: a run is a case of
    interest when it meets every one.

    Raises:
        ValueError: If it is not comparisons with a number joined by ``and``.
    """
    parts = re.split(r"\s+and\s+", text.strip(), flags=re.IGNORECASE)
    found = [re.fullmatch(_COMPARISON, part) for part in parts]
    if not all(found):
        raise ValueError(
            f"{text!r}: expected a comparison with a number, e.g. '> 0.5', '<= 3' or "
            "'== 0', or a band of them joined by 'and', e.g. '> 0.3 and < 0.6'"
        )
    if len(found) > MAX_COMPARISONS:
        raise ValueError(f"{text!r}: at most {MAX_COMPARISONS} comparisons joined by 'and'")
    # one question, one name: lower bounds first, each comparison once
    said = dict.fromkeys((m.group(1), float(m.group(2))) for m in found if m)
    return tuple(sorted(said, key=lambda c: (_ORDER[c[0]], c[1])))


def meets(values: np.ndarray, conditions: Sequence[tuple[str, float]]) -> np.ndarray:
    """Which ``values`` meet every one of the parsed ``conditions``."""
    out = np.ones(len(values), dtype=bool)
    for op, value in conditions:
        out &= OPERATORS[op](values, value)
    return out


@dataclass(frozen=True)
class Restriction:
    """What a box asks of one factor.

    Attributes:
        factor: The factor (a parameter, or ``scenario``).
        low: Lowest value the sweep took within PRIM's edges (numeric
            factors; PRIM's own edge may lie between two levels of a grid).
        high: Highest value the sweep took within PRIM's edges.
        full_low: Lowest value of the sweep.
        full_high: Highest value of the sweep.
        value: For the scenario: the scenario kept (or left out, with ``keep=False``).
        keep: Whether ``value`` is the one kept (else the one left out).
        qp: PRIM's quasi-p value of the restriction (small: unlikely by chance).
    """

    factor: str
    low: float = float("nan")
    high: float = float("nan")
    full_low: float = float("nan")
    full_high: float = float("nan")
    value: str = ""
    keep: bool = True
    qp: float = float("nan")

    def text(self) -> str:
        """E.g. ``"nrc_share 0.61 to 1 (of 0 to 1)"`` or ``"scenario is no_kosovo"``."""
        if self.value:
            return f"{self.factor} {'is' if self.keep else 'is not'} {self.value}"
        return (
            f"{self.factor} {self.low:.3g} to {self.high:.3g} "
            f"(of {self.full_low:.3g} to {self.full_high:.3g})"
        )


@dataclass
class Box:
    """One box: its restrictions and how well it captures the cases of interest.

    Attributes:
        restrictions: What it asks of each restricted factor.
        coverage: Share of the cases of interest inside the box.
        density: Share of the runs inside the box that are cases of interest.
        mass: Share of all runs inside the box.
        runs: Number of runs inside the box.
        trajectory: PRIM's peeling trajectory (``coverage, density, mass, res dim``).
        chosen: Row of the trajectory reported.
    """

    restrictions: list[Restriction]
    coverage: float
    density: float
    mass: float
    runs: int
    trajectory: pd.DataFrame
    chosen: int


@dataclass
class Discovery:
    """The boxes found for one condition on one outcome.

    Attributes:
        outcome: The outcome.
        where: The condition, e.g. ``"> 0.5"``.
        n_runs: Runs in the sweep.
        n_interest: Runs meeting the condition.
        factors: The factors PRIM was given.
        boxes: The boxes, in the order found.
    """

    outcome: str
    where: str
    n_runs: int
    n_interest: int
    factors: list[str]
    boxes: list[Box] = field(default_factory=list)

    def table(self) -> pd.DataFrame:
        """One row per restriction: ``outcome, where, box, coverage, density, ...``."""
        rows = []
        for i, b in enumerate(self.boxes, 1):
            for r in b.restrictions:
                rows.append(
                    {
                        "outcome": self.outcome,
                        "where": self.where,
                        "box": i,
                        "coverage": b.coverage,
                        "density": b.density,
                        "mass": b.mass,
                        "runs": b.runs,
                        "factor": r.factor,
                        "low": r.low,
                        "high": r.high,
                        "value": r.value if r.keep else (f"not {r.value}" if r.value else ""),
                        "qp": r.qp,
                    }
                )
        cols = ["outcome", "where", "box", "coverage", "density", "mass", "runs", "factor"]
        return pd.DataFrame(rows, columns=[*cols, "low", "high", "value", "qp"])

    def stem(self) -> str:
        """The files' name: ``discover_OUTCOME_gt_0.5`` for ``"> 0.5"`` (one per question).

        A band is named by its comparisons: ``discover_OUTCOME_gt_0.3_and_lt_0.6``.
        """
        words = {">": "gt", ">=": "ge", "<": "lt", "<=": "le", "==": "eq", "!=": "ne"}
        parts = [f"{words[op]}_{value!r}" for op, value in parse_where(self.where)]
        return f"discover_{self.outcome}_{'_and_'.join(parts)}".replace("-", "m")  # exact


def _inputs(runs: pd.DataFrame, factors: Sequence[str]) -> pd.DataFrame:
    x = pd.DataFrame(index=range(len(runs)))
    for f in factors:
        col = runs[f].reset_index(drop=True)
        if pd.api.types.is_numeric_dtype(col):
            x[f] = col.astype(float)
        else:
            for v in sorted(col.unique()):
                x[f"{f}{IS}{v}"] = (col == v).astype(np.int64)
    return x


def _restrictions(limits: pd.DataFrame, x: pd.DataFrame) -> list[Restriction]:
    out: list[Restriction] = []
    seen: set[str] = set()
    for name, row in limits.iterrows():
        name = str(name)
        qp = float(row["qp values"])
        if IS in name:
            factor, _, value = name.partition(IS)
            keep = float(row["min"]) >= 1
            values = [c.partition(IS)[2] for c in x.columns if c.startswith(factor + IS)]
            if not keep and len(values) == 2:  # "not A" of two is "B"
                value, keep = next(v for v in values if v != value), True
            if len(values) == 2 and factor in seen:  # both indicators of two values: once
                continue
            seen.add(factor)
            out.append(Restriction(factor, value=value, keep=keep, qp=qp))
        else:
            col = x[name]
            lo, hi = float(col.min()), float(col.max())
            # PRIM's edges may fall between the values a sweep took (a grid's
            # levels): report the values the sweep took within them
            inside = col[(col >= float(row["min"])) & (col <= float(row["max"]))]
            b_lo, b_hi = (
                (float(inside.min()), float(inside.max()))
                if len(inside)
                else (float(row["min"]), float(row["max"]))
            )
            out.append(Restriction(name, b_lo, b_hi, lo, hi, qp=qp))
    return out


def discover(
    runs: pd.DataFrame,
    factors: Sequence[str],
    outcome: str,
    where: str,
    *,
    boxes: int = 1,
    min_coverage: float = 0.5,
    peel_alpha: float = 0.05,
    paste_alpha: float = 0.05,
    mass_min: float = 0.05,
) -> Discovery:
    """Find the boxes of factor ranges in which ``outcome where`` is dense.

    Args:
        runs: One row per run, with the factors and the outcome.
        factors: The factors to search (numeric, or categorical such as ``scenario``).
        outcome: The outcome column.
        where: The condition, e.g. ``"> 0.5"`` (see :func:`parse_where`).
        boxes: How many boxes to find, one after the other.
        min_coverage: The box reported is the densest one with at least this coverage.
        peel_alpha: Share of the runs peeled off at each step.
        paste_alpha: Share pasted back at each step.
        mass_min: Smallest share of the runs a box may hold.

    Returns:
        The boxes found (fewer than asked when no case of interest remains).

    Raises:
        ValueError: For a bad condition, no factor, or no (or only) cases of interest.
    """
    conditions = parse_where(where)
    if not factors:
        raise ValueError(
            "the sweep varies nothing: scenario discovery needs levers or uncertainties"
        )
    y = meets(runs[outcome].to_numpy(dtype=float), conditions)
    n_interest = int(y.sum())
    if n_interest == 0 or n_interest == len(y):
        which = "no run" if n_interest == 0 else "every run"
        said = " and ".join(f"{op} {value:g}" for op, value in conditions)
        raise ValueError(f"{which} has {outcome} {said}: nothing to tell apart")
    x = _inputs(runs, factors)
    try:
        import prim  # lazily: an optional dependency, and it brings matplotlib along
    except ModuleNotFoundError:
        raise ValueError(
            "scenario discovery needs the optional package 'prim' (GPL-3.0): "
            "pip install 'natosim[discover]'"
        ) from None

    asked = " and ".join(f"{op} {value!r}" for op, value in conditions)
    found = Discovery(outcome, asked, len(runs), n_interest, list(factors))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)  # 0/0 of empty boxes
        p = prim.Prim(x, y, peel_alpha=peel_alpha, paste_alpha=paste_alpha, mass_min=mass_min)
        for _ in range(boxes):
            box = p.find_box()
            if box is None:
                break
            traj = box.peeling_trajectory.reset_index(drop=True)
            ok = traj.index[traj.coverage >= min_coverage]
            chosen = int(traj.loc[ok, "density"].idxmax()) if len(ok) else len(traj) - 1
            box.select(chosen)
            restr = _restrictions(box.limits, x)
            found.boxes.append(
                Box(
                    restrictions=restr,
                    coverage=float(box.coverage),
                    density=float(box.density),
                    mass=float(box.mass),
                    runs=len(box.yi),
                    trajectory=traj,
                    chosen=chosen,
                )
            )
    return found
