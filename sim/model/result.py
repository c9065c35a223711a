"""The result of a run: trust arrays plus the tidy tables built from them on demand."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.files.errors import InputError
from sim.files.hints import meant
from sim.model import outcomes as O
from sim.model.compile import Compiled
from sim.model.core import Trajectories
from sim.model.events import EVENT_COLUMNS, fixed_acts
from sim.model.outcome_checks import outcome_problem
from sim.model.scenario import LEADERS, Scenario

if TYPE_CHECKING:  # pandas is imported only when a table is asked for (keeps workers light)
    import pandas as pd

__all__ = ["RunResult"]


@dataclass(repr=False, eq=False)
class RunResult:
    """The outcome of :func:`run`: arrays plus tidy tables built on demand.

    Its ``repr`` is one line (scenario, replicates, years, first seed); two
    results compare by identity (compare ``trajectory`` or ``arrays.trust`` for
    their numbers).
    """

    scenario: Scenario
    compiled: Compiled
    seeds: list[int]
    parameters: dict[str, float]
    arrays: Trajectories

    def __repr__(self) -> str:
        years = self.years
        span = f"{int(years[0])}-{int(years[-1])}" if len(years) else "no years"
        return (
            f"<RunResult {self.scenario.name!r}: {len(self.seeds)} replicate(s), {span}, "
            f"seed {self.seeds[0] if self.seeds else None}>"
        )

    @property
    def years(self) -> np.ndarray:
        """Reported years."""
        return self.compiled.years[self._year_mask]

    @property
    def _year_mask(self) -> np.ndarray:
        return self.compiled.years >= self.compiled.report_from

    def series(self, observer: str, target: str) -> np.ndarray:
        """Trust of one pair, ``(replicates, years)`` over the reported years.

        Raises:
            KeyError: If the scenario has no trust of ``observer`` in ``target``
                (the message names the pairs it has of that observer).
        """
        p = self.compiled.pair_index.get((observer, target))
        if p is None:
            have = sorted(t for o, t in self.compiled.pair_index if o == observer)
            actors = sorted({c for pair in self.compiled.pair_index for c in pair})
            typo = next((meant(c, actors) for c in (observer, target) if c not in actors), "")
            if typo:
                known = typo
            elif have:
                known = f"{observer}'s trust in: {', '.join(have)}"
            else:
                known = "no such observer"
            raise KeyError(f"no trust {observer} -> {target} in this scenario ({known})")
        return self.arrays.trust[:, self._year_mask, p]

    def median(self, observer: str, target: str) -> pd.Series:
        """Median over replicates of one pair's trust, indexed by year."""
        import pandas as pd

        return pd.Series(
            np.median(self.series(observer, target), axis=0), index=self.years, name="trust"
        )

    @cached_property
    def trajectory(self) -> pd.DataFrame:
        """``replicate, seed, year, observer, target, trust``, one row per pair and year."""
        import pandas as pd

        comp = self.compiled
        trust = self.arrays.trust[:, self._year_mask]
        r, t, p = trust.shape
        obs = np.array([a for a, _ in comp.pairs])
        tgt = np.array([b for _, b in comp.pairs])
        return pd.DataFrame(
            {
                "replicate": np.repeat(np.arange(r), t * p),
                "seed": np.repeat(np.array(self.seeds, dtype=np.int64), t * p),
                "year": np.tile(np.repeat(self.years, p), r),
                "observer": np.tile(obs, r * t),
                "target": np.tile(tgt, r * t),
                "trust": trust.reshape(-1),
            }
        )

    @cached_property
    def events(self) -> pd.DataFrame:
        """``replicate, year, actor, action, target, origin``.

        Origin ``scheduled``, ``chosen``, ``shock`` (a scenario's shock) or ``drawn``
        (a change of leader drawn after ``turnover_from``).
        """
        import pandas as pd

        comp = self.compiled
        rows: list[tuple] = []
        n_rep = self.arrays.trust.shape[0]
        fixed = fixed_acts(comp, self.scenario)  # shocks and scheduled events
        for rep in range(n_rep):
            chosen = self.arrays.chosen[rep]
            drawn = self.arrays.leaders[rep] if self.arrays.leaders is not None else None
            for ti, year in enumerate(comp.years):
                if year < comp.report_from:
                    continue
                rows.extend((rep, year, *act) for act in fixed.get(int(year), ()))
                if drawn is not None:  # leaders changed by the draw, after the record
                    for i in np.flatnonzero(drawn[ti]):
                        who = LEADERS[i]
                        rows.append((rep, year, who, "leadership_change", who, "drawn"))
                for k in np.flatnonzero(chosen[ti]):
                    o = comp.slots[k]
                    rows.append((rep, year, o.actor, o.action, o.targets[0], "chosen"))
        return pd.DataFrame(rows, columns=list(EVENT_COLUMNS)).astype(
            {"replicate": "int64", "year": "int64"}
        )

    def outcomes(self, *items: str | O.Outcome | dict[str, Any]) -> pd.DataFrame:
        """The outcomes a sweep records, one row per replicate.

        The columns are those of a sweep's ``runs.parquet`` for these runs:
        ``replicate, seed`` and one per outcome, computed by the same code.

        Args:
            *items: Built-in outcome names (``sim.model.outcomes.OUTCOMES``) or
                :class:`~sim.model.outcomes.Outcome` objects, such as
                ``Outcome("rus_pol_2008", "RUS", "POL", "at", 2008)`` or
                ``Outcome("wars", action="use_of_force", actor="RUS")`` (an act outcome
                counts unless its ``stat`` is ``"first_year"``), or tables as an
                experiment file writes them (``{"name": ..., "observer": ...}``);
                one list of them works too. None gives every built-in, as a
                sweep does by default.

        Raises:
            InputError: For an unknown name, a name given twice, fields that do not
                go together (as an experiment file's outcomes are checked), an
                outcome the scenario cannot compute (a pair it does not track, a
                year it does not report, an action nobody named takes), or a
                function outcome that fails (its error chained as the cause).
        """
        import pandas as pd

        if len(items) == 1 and isinstance(items[0], list | tuple):  # outcomes([...]) too
            items = tuple(items[0])
            if not items:
                raise InputError("outcomes: the list is empty; outcomes() gives every built-in")
        chosen = [self._outcome(x) for x in items] if items else list(O.BUILTIN.values())
        names = [o.name for o in chosen]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice or {"replicate", "seed"} & set(names):
            bad = twice[0] if twice else sorted({"replicate", "seed"} & set(names))[0]
            why = "is asked for twice" if twice else "would clash with the column of that name"
            raise InputError(f"outcomes: {bad!r} {why}")
        values: dict[str, np.ndarray] = {}
        for o in chosen:
            user = o.function is not None and o.name not in O.BUILTIN
            try:
                if user:
                    O.load_function(o.function)
            except ValueError as exc:  # a function that cannot be imported
                raise InputError(f"outcomes: {exc}") from None
            try:
                values |= O.compute(self.compiled, self.arrays.trust, [o], self.arrays.chosen)
            except O.OutcomeShapeError as exc:
                raise InputError(f"outcomes: {exc}") from None
            except Exception as exc:  # the user's function failed: its traceback is the cause
                if not user:
                    raise
                why = f"{type(exc).__name__}: {exc}"
                raise InputError(f"outcomes: {o.name!r}: {o.function} failed ({why})") from exc
        table = {"replicate": np.arange(len(self.seeds)), "seed": np.asarray(self.seeds)}
        return pd.DataFrame(table | values).astype({"replicate": "int64", "seed": "int64"})

    @staticmethod
    def _from_table(table: dict[str, Any]) -> O.Outcome:
        """An outcome from a table as an experiment file writes it, checked as the file's are.

        ``{name, observer, target, stat[, year]}``, ``{name, action[, actor, target,
        stat]}`` or ``{name, function}``; a key left out or None is not given.
        """
        fields = {f.name for f in dataclasses.fields(O.Outcome)}
        for key in table:
            if key not in fields:
                hint = meant(key, sorted(fields))
                raise InputError(f"outcomes: unknown key {key!r}" + (f" ({hint})" if hint else ""))
        given = {k: v for k, v in table.items() if v is not None}
        name = given.get("name")
        if not isinstance(name, str):
            raise InputError("outcomes: a table needs a name (the column it fills)")
        for key, v in given.items():
            ok = (
                isinstance(v, int) and not isinstance(v, bool)
                if key == "year"
                else isinstance(v, str)
            )
            if not ok:
                kind = "a whole number" if key == "year" else "text"
                raise InputError(f"outcomes: {name!r}: {key} must be {kind}, got {v!r}")
        if "function" not in given and "action" not in given and "actor" not in given:
            missing = [k for k in ("observer", "target", "stat") if k not in given]
            if missing:
                raise InputError(f"outcomes: {name!r} needs {', '.join(missing)}")
        if "stat" not in given:
            given["stat"] = "count" if "action" in given else "final"
        return O.Outcome(**given)

    def _outcome(self, item: str | O.Outcome | dict[str, Any]) -> O.Outcome:
        """One asked-for outcome, checked against this run's scenario."""
        if isinstance(item, str):
            try:
                return O.resolve(item)
            except ValueError as exc:
                raise InputError(f"outcomes: {exc}") from None
        if isinstance(item, dict):  # a table as an experiment file writes it
            item = self._from_table(item)
        if not isinstance(item, O.Outcome):
            raise InputError(
                f"outcomes: expected a built-in name or an Outcome, got {type(item).__name__}"
            )
        if item.action is not None and item.stat == "final":  # the field's default
            item = replace(item, stat="count")  # an act outcome counts, as in a file
        comp = self.compiled
        problem = outcome_problem(item, comp.states, comp.pairs, self.years)
        if problem:
            raise InputError(f"outcomes: {item.name!r}: {problem}")
        return item
