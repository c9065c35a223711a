"""Outcomes of a run, computed from its trust array (what sweeps record).

An outcome is data, an :class:`Outcome`: an *observer* and a *target* (``NATO``,
``RUS``, a state's code, or a group mean: ``members``, ``old_members``,
``new_members``, ``aspirants``), a *statistic* of that series over the reported
years (``final``, ``mean``, ``min``, ``year_of_min``, ``crises``, or ``at`` a
``year``) and the *name* of its column in ``runs.parquet``. Or, for the Python
API, a *function* named by its import path (``"package.module:function"``),
called with a :class:`TrustView` of the batch and returning one number per run.

The built-in names (:data:`BUILTIN`) are outcomes of this kind. Statistics that
count (``year_of_min``, ``crises``) are integers and stored as such.

A group mean averages, year by year, the states of the scenario in that group
of ``seeds/states.csv`` (by tier, not by the year's membership); a series must
be one the compiled scenario tracks (Russia and each state, both ways, and
whatever other pairs the model keeps), which the experiment's loader checks.

Reductions run over the year axis in a fixed order, so a run's outcomes are
the same whatever batch it was computed in.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Self

import numpy as np

from sim.data import tables
from sim.files.hints import meant
from sim.model.act_outcomes import ACT_STATS, act_statistic, acts_per_year
from sim.model.vocabulary import actor_aliases

if TYPE_CHECKING:
    from sim.model.compile import Compiled

#: A yearly fall of trust larger than this counts as a crisis.
CRISIS_DROP = 0.05

#: Statistics of a series over the reported years.
STATS: dict[str, str] = {
    "final": "in the last year",
    "mean": "mean over the years",
    "min": "lowest over the years",
    "year_of_min": "year of the lowest value",
    "crises": f"years in which it fell by more than {CRISIS_DROP}",
    "at": "in the given year",
}
#: Statistics whose values are integers.
INTEGER_STATS = frozenset({"year_of_min", "crises"})

#: Groups of states whose yearly mean an outcome can take (by ``seeds/states.csv``).
GROUPS: dict[str, Callable[[tables.State], bool]] = {
    "members": lambda st: st.role == "member",
    "old_members": lambda st: st.role == "member" and st.tier == "old",
    "new_members": lambda st: st.role == "member" and st.tier == "new",
    "aspirants": lambda st: st.role == "aspirant",
}
#: The two collective actors.
ACTORS = (tables.NATO, tables.RUS)


@dataclass(frozen=True)
class Outcome:
    """One recorded outcome: its column name and how it is computed.

    Attributes:
        name: Column of ``runs.parquet``.
        observer: Who trusts (an actor, a state's code or a group).
        target: Who is trusted; of an act outcome, whom the act is aimed at ("" any).
        stat: One of :data:`STATS` (of an act outcome, of
            :data:`~sim.model.act_outcomes.ACT_STATS`).
        year: The year of ``stat = "at"``.
        function: ``"module:function"`` instead of observer, target and stat.
        description: What it means, for people.
        action: An act outcome counts this action (:mod:`sim.model.act_outcomes`).
        actor: Who takes it ("" anyone).
    """

    name: str
    observer: str = ""
    target: str = ""
    stat: str = "final"
    year: int | None = None
    function: str | None = None
    description: str = ""
    action: str | None = None
    actor: str = ""

    @property
    def integer(self) -> bool:
        """Whether the values are integers (counts and years)."""
        if self.action is not None:
            return self.stat == "count"
        return self.function is None and self.stat in INTEGER_STATS

    def label(self) -> str:
        """A human label, e.g. ``"RUS → POL trust in the last year"``."""
        if self.description:
            return self.description
        if self.function:
            return f"{self.name} ({self.function})"
        if self.action is not None:
            who = f"{self.actor} " if self.actor else ""
            at = f" at {self.target}" if self.target else ""
            return f"{who}{self.action}{at}, {ACT_STATS.get(self.stat, self.stat)}"
        when = f"in {self.year}" if self.stat == "at" else STATS.get(self.stat, self.stat)
        return f"{self.observer} → {self.target} trust, {when}"


def _rn(stat: str) -> tuple[str, str, str]:
    return tables.RUS, tables.NATO, stat


def _nr(stat: str) -> tuple[str, str, str]:
    return tables.NATO, tables.RUS, stat


#: The built-in outcomes, by name.
BUILTIN: dict[str, Outcome] = {
    o.name: o
    for o in (
        Outcome("final_trust_rus_nato", *_rn("final"), None, None,
                "Russia's trust in NATO in the last year"),
        Outcome("final_trust_nato_rus", *_nr("final"), None, None,
                "NATO's trust in Russia in the last year"),
        Outcome("mean_trust_rus_nato", *_rn("mean"), None, None,
                "mean over the years of Russia's trust in NATO"),
        Outcome("mean_trust_nato_rus", *_nr("mean"), None, None,
                "mean over the years of NATO's trust in Russia"),
        Outcome("min_trust_rus_nato", *_rn("min"), None, None,
                "lowest yearly Russia->NATO trust"),
        Outcome("min_trust_nato_rus", *_nr("min"), None, None,
                "lowest yearly NATO->Russia trust"),
        Outcome("year_min_rus_nato", *_rn("year_of_min"), None, None,
                "year of the lowest Russia->NATO trust"),
        Outcome("year_min_nato_rus", *_nr("year_of_min"), None, None,
                "year of the lowest NATO->Russia trust"),
        Outcome("crises", function="sim.model.outcomes:crises_either_direction",
                description=f"years in which either direction fell by more than {CRISIS_DROP}"),
        Outcome("crises_rus_nato", *_rn("crises"), None, None,
                f"years in which Russia->NATO trust fell by more than {CRISIS_DROP}"),
    )
}  # fmt: skip
#: Built-in outcome name to its description (the default of a sweep's ``outcomes``).
OUTCOMES: dict[str, str] = {k: o.description for k, o in BUILTIN.items()}


class TrustView:
    """A batch's trust over the reported years, by observer and target.

    What a user's outcome function receives.

    Attributes:
        years: The reported years ``(T,)``.
        trust: Trust ``(R, T, P)`` over those years.
        pairs: The directed pairs, in the order of the last axis.
        states: The states of the scenario (for group means; none: no group means).
    """

    def __init__(
        self,
        years: np.ndarray,
        trust: np.ndarray,
        pairs: Sequence[tuple[str, str]],
        states: Sequence[tables.State] = (),
    ) -> None:
        self.years = np.asarray(years)
        self.trust = trust
        self.pairs = tuple(pairs)
        self.states = tuple(states)
        self._index = {p: i for i, p in enumerate(self.pairs)}

    @classmethod
    def of(cls, comp: Compiled, trust: np.ndarray) -> Self:
        """The view of a compiled scenario's trust ``(R, T_all, P)``."""
        mask = comp.years >= comp.report_from
        return cls(comp.years[mask], trust[:, mask], comp.pairs, comp.states)

    @property
    def n_runs(self) -> int:
        """Number of runs in the batch."""
        return int(self.trust.shape[0])

    def has_pair(self, observer: str, target: str) -> bool:
        """Whether the directed pair is one of the view's series (not a group mean)."""
        return (observer, target) in self._index

    def members(self, group: str) -> list[str]:
        """Codes of the scenario's states in a group, in the states table's order."""
        keep = GROUPS[group]
        return [st.code for st in self.states if keep(st)]

    def series(self, observer: str, target: str) -> np.ndarray:
        """Trust ``(R, T)`` of one pair or a group mean.

        Raises:
            KeyError: If the scenario has no such pair (or an empty group).
        """
        if (observer, target) in self._index:
            return np.ascontiguousarray(self.trust[:, :, self._index[(observer, target)]])
        if observer in GROUPS or target in GROUPS:
            series = expand(observer, target, self.states)
            if not series:
                raise KeyError(f"no state of the group in {observer} -> {target}")
            acc = np.zeros(self.trust.shape[:2])
            for o, t in series:
                acc = acc + self.series(o, t)
            return acc / len(series)
        raise KeyError(f"no trust {observer} -> {target} in this scenario")


def _mean(x: np.ndarray) -> np.ndarray:
    acc = np.zeros(x.shape[0])
    for t in range(x.shape[1]):
        acc = acc + x[:, t]
    return acc / x.shape[1]


def _falls(x: np.ndarray) -> np.ndarray:
    return np.diff(x, axis=1) < -CRISIS_DROP


def statistic(stat: str, years: np.ndarray, x: np.ndarray, year: int | None = None) -> np.ndarray:
    """One statistic of series ``x`` ``(R, T)`` over ``years``.

    Returns:
        ``(R,)``: int64 for counts and years, float64 otherwise (NaN for ``at``
        a year the scenario does not report).
    """
    if stat == "final":
        return np.asarray(x[:, -1], dtype=np.float64)
    if stat == "mean":
        return _mean(x)
    if stat == "min":
        return np.asarray(x.min(axis=1), dtype=np.float64)
    if stat == "year_of_min":
        return np.asarray(years[np.argmin(x, axis=1)], dtype=np.int64)
    if stat == "crises":
        return _falls(x).sum(axis=1).astype(np.int64)
    if stat == "at":
        hit = np.flatnonzero(years == year)
        if not len(hit):
            return np.full(x.shape[0], np.nan)
        return np.asarray(x[:, hit[0]], dtype=np.float64)
    raise ValueError(f"unknown statistic {stat!r} (known: {', '.join(STATS)})")


def crises_either_direction(view: TrustView) -> np.ndarray:
    """Years in which NATO->RUS or RUS->NATO trust fell by more than :data:`CRISIS_DROP`."""
    rn = view.series(tables.RUS, tables.NATO)
    nr = view.series(tables.NATO, tables.RUS)
    return (_falls(rn) | _falls(nr)).sum(axis=1).astype(np.int64)


class OutcomeShapeError(ValueError):
    """A function outcome returned an array of the wrong shape."""


@cache
def load_function(path: str) -> Callable[[TrustView], np.ndarray]:
    """The function named ``"module:function"`` (``module.function`` also works).

    Raises:
        ValueError: If it cannot be imported or is not callable.
    """
    module, sep, attr = path.partition(":")
    if not sep:
        module, _, attr = path.rpartition(".")
    if not module or not attr:
        raise ValueError(f"function {path!r}: expected 'package.module:function'")
    try:
        fn = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"function {path!r}: {exc}") from None
    if not callable(fn):
        raise ValueError(f"function {path!r} is not callable")
    return fn


def evaluate(outcome: Outcome, view: TrustView) -> np.ndarray:
    """One outcome for every run of a view: ``(R,)``, int64 or float64."""
    if outcome.function is not None:
        out = np.asarray(load_function(outcome.function)(view))
        if out.shape != (view.n_runs,):
            raise OutcomeShapeError(
                f"outcome {outcome.name!r}: {outcome.function} returned shape {out.shape}, "
                f"expected ({view.n_runs},)"
            )
        kind = np.int64 if out.dtype.kind in "iub" else np.float64
        return out.astype(kind)
    x = view.series(outcome.observer, outcome.target)
    return statistic(outcome.stat, view.years, x, outcome.year)


def resolve(item: str | Outcome) -> Outcome:
    """An outcome from a built-in name or itself.

    Raises:
        ValueError: For an unknown name.
    """
    if isinstance(item, Outcome):
        return item
    if item not in BUILTIN:
        hint = meant(item, BUILTIN)
        raise ValueError(
            f"unknown outcome {item!r} ({hint + '; ' if hint else ''}known: {', '.join(BUILTIN)})"
        )
    return BUILTIN[item]


def compute(
    comp: Compiled,
    trust: np.ndarray,
    outcomes: Sequence[str | Outcome] | None = None,
    chosen: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Outcomes for a batch of runs.

    Args:
        comp: The compiled scenario.
        trust: Trust ``(R, T, P)`` as returned by :func:`sim.model.runner.run_arrays`.
        outcomes: Built-in names or :class:`Outcome` s (default: every built-in).
        chosen: The runs' chosen slots ``(R, T, K)``, needed by act outcomes.

    Returns:
        Outcome name to an array of shape ``(R,)`` (int64 for counts and years).

    Raises:
        ValueError: For an act outcome without ``chosen``.
    """
    view = TrustView.of(comp, trust)
    out: dict[str, np.ndarray] = {}
    for o in (resolve(x) for x in (BUILTIN if outcomes is None else outcomes)):
        if o.action is None:
            out[o.name] = evaluate(o, view)
            continue
        if chosen is None:
            raise ValueError(f"outcome {o.name!r} counts acts: pass the runs' chosen slots")
        counts = acts_per_year(comp, chosen, o.action, o.actor, o.target)
        out[o.name] = act_statistic(o.stat, view.years, counts)
    return out


def expand(observer: str, target: str, states: Sequence[tables.State]) -> list[tuple[str, str]]:
    """The pairs a series averages: itself, or one pair per state of a group."""
    group = observer if observer in GROUPS else target if target in GROUPS else None
    if group is None:
        return [(observer, target)]
    codes = [st.code for st in states if GROUPS[group](st)]
    return [(c, target) if observer == group else (observer, c) for c in codes]


def pair_problem(
    observer: str,
    target: str,
    states: Sequence[tables.State],
    pairs: Sequence[tuple[str, str]] | None = None,
) -> str | None:
    """Why ``observer -> target`` is not a series of a scenario, or None.

    Args:
        observer: Who trusts.
        target: Who is trusted.
        states: The scenario's states.
        pairs: The compiled scenario's directed pairs; without them only the
            names are checked.
    """
    codes = {st.code for st in states}
    known = set(ACTORS) | codes | set(GROUPS)
    for who in (observer, target):
        if who not in known:
            every = {st.code for st in tables.states()}
            if who in every:
                return f"{who} is not an actor of this scenario (excluded)"
            hint = meant(who, [*ACTORS, *every, *GROUPS], actor_aliases())
            return (
                f"unknown actor {who!r} ({hint + '; ' if hint else ''}use NATO, RUS, a state's "
                f"code such as POL, or a group: {', '.join(GROUPS)})"
            )
    if observer == target:
        return f"observer and target are both {observer}"
    if observer in GROUPS and target in GROUPS:
        return "at most one side may be a group"
    series = expand(observer, target, states)
    if not series:
        group = observer if observer in GROUPS else target
        return f"no state of the group {group!r} in this scenario"
    if pairs is not None:
        have = set(pairs)
        for o, t in series:
            if (o, t) not in have:
                return f"no trust {o} -> {t} in this scenario (the model does not track it)"
    return None
