"""The alliance's own politics: are members in lockstep, does the Iraq split show?

- ``lockstep``: mean pairwise correlation of the members' yearly changes of trust
  in Russia (on the median of the replicates), over the members of 2009, with the
  scenario's parameters and with every member reading Russia's threats alike
  (``proximity = 0``, same seeds); the same within each run (one realisation of
  history, the model's yearly shocks included), and, as the yardstick, the same
  correlation of Russia's UN-vote distances to those members in the data
  (Bailey, Strezhnev & Voeten 2017), next to the model on the same members and
  years (a decreasing affine map from trust to distance, as the calibration's,
  leaves a correlation of changes as it is), and the same correlation within and
  between the alliance's groups (Moscow's key partners, the other old members, the
  new members), and within and outside the European Union (whose members vote
  together in the General Assembly), in the model's median and in the data:
  where the model's members move together and the data's do not, or the other
  way round;
- ``split_2003``: change of the median trust between the USA and Germany and
  France, both ways, from 2002 to 2003;
- ``levers_2012``: change of the 2012 median of each headline direction when
  ``two_tier``, ``consensus`` and ``member_voice`` go from 0 to 1 (same seeds).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from sim.data import tables
from sim.data.tables import NATO, RUS
from sim.data.unga import FIRST_RUSSIAN_YEAR, load_idealpoint_members
from sim.experiments.evaluation.baseline import Baseline
from sim.experiments.evaluation.panel import Panel

__all__ = [
    "EU_GROUPS",
    "GROUPS",
    "alliance",
    "block_correlations",
    "lockstep",
    "lockstep_runs",
    "observed_lockstep",
    "split_2003",
]

SPLIT_PAIRS = (("USA", "DEU"), ("DEU", "USA"), ("USA", "FRA"), ("FRA", "USA"))
LEVERS = ("two_tier", "consensus", "member_voice")


def _members_2009(panel: Panel) -> list[str]:
    return [
        s.code
        for s in tables.states()
        if s.accession and s.accession <= 2009 and panel.has_pair(s.code, RUS)
    ]


#: The alliance's groups for the block correlations (``seeds/states.csv``).
GROUPS = ("key partners", "other old", "new")


def _mean_corr(series: np.ndarray) -> float:
    """Mean pairwise correlation of the yearly changes of ``series`` ``(members, years)``."""
    corr = np.corrcoef(np.diff(series, axis=1))
    iu = np.triu_indices(series.shape[0], 1)
    return float(corr[iu].mean())


def _group(code: str) -> str:
    st = {s.code: s for s in tables.states()}[code]
    return "key partners" if st.key_partner else ("other old" if st.tier == "old" else "new")


#: Membership of the European Union, the data's other grouping: its members vote
#: together in the General Assembly under the common foreign policy.
EU_GROUPS = ("in the EU", "outside it")


def _eu_group(year: int) -> Callable[[str], str]:
    eu = {s.code: s.eu_accession for s in tables.states()}

    def group(code: str) -> str:
        joined = eu.get(code)
        return EU_GROUPS[0] if joined is not None and joined <= year else EU_GROUPS[1]

    return group


def block_correlations(
    series: np.ndarray,
    members: Sequence[str],
    groups: Sequence[str] = GROUPS,
    group_of: Callable[[str], str] | None = None,
) -> dict[str, float | None]:
    """Mean correlation of yearly changes within and between groups of members.

    Args:
        series: One row per member ``(members, years)``.
        members: Their codes, in the rows' order.
        groups: The groups, in order (default: the alliance's, :data:`GROUPS`).
        group_of: A member's group (default: the alliance's).

    Returns:
        ``"<group> / <group>"`` (in ``groups`` order) -> the mean over the
        pairs of distinct members drawn one from each group (None without a pair).
    """
    corr = np.corrcoef(np.diff(series, axis=1))
    group = [(group_of or _group)(c) for c in members]
    out: dict[str, float | None] = {}
    for i, a in enumerate(groups):
        for b in groups[i:]:
            vals = [
                corr[p, q]
                for p in range(len(members))
                for q in range(p + 1, len(members))
                if {group[p], group[q]} == {a, b}
            ]
            out[f"{a} / {b}"] = float(np.mean(vals)) if vals else None
    return out


def lockstep(med: Panel, members: Sequence[str] | None = None) -> tuple[int, float]:
    """Members and the mean pairwise correlation of their yearly changes.

    ``med`` is a median view (one series per pair); the changes are those of each
    member's trust in Russia over the view's years. ``members``: by default the
    members of 2009.
    """
    codes = list(members) if members is not None else _members_2009(med)
    return len(codes), _mean_corr(np.array([med.series(c, RUS)[0] for c in codes]))


def lockstep_runs(panel: Panel, members: Sequence[str] | None = None) -> np.ndarray:
    """Lockstep (as :func:`lockstep`) within each run of ``panel``: one value per run."""
    codes = list(members) if members is not None else _members_2009(panel)
    trust = np.stack([panel.series(c, RUS) for c in codes], axis=1)  # (N, members, years)
    return np.array([_mean_corr(run) for run in trust])


def _distances(years: Sequence[int], members: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Russia's UN-vote distances ``(kept, years)`` to the members with one every year."""
    wide = load_idealpoint_members().pivot(index="year", columns="iso3c", values="abs_dist_all")
    wide = wide.reindex(index=list(years))
    kept = [c for c in members if c in wide.columns and wide[c].notna().all()]
    return kept, wide[kept].to_numpy(dtype=float).T


def observed_lockstep(years: Sequence[int], members: Sequence[str]) -> tuple[list[str], float]:
    """The data's lockstep: Russia's UN-vote distances to ``members`` over ``years``.

    Keeps the members with a distance (``abs_dist_all``) in every one of ``years``.

    Returns:
        The members kept and the mean pairwise correlation of their yearly changes.
    """
    kept, dist = _distances(years, members)
    return kept, _mean_corr(dist)


def _summary(values: np.ndarray) -> dict[str, float]:
    q05, q95 = np.quantile(values, [0.05, 0.95])
    return {"mean": float(values.mean()), "q05": float(q05), "q95": float(q95)}


def _lockstep_section(base: Baseline) -> dict[str, Any]:
    med, panel = base.median, base.panel
    n_members, mean_corr = lockstep(med)
    out: dict[str, Any] = {
        "members": n_members,
        "mean_correlation": mean_corr,
        "without_proximity": lockstep(base.simulate(proximity=0.0).median())[1],
        "within_run": _summary(lockstep_runs(panel)),
    }
    years = [int(y) for y in med.years]
    # the Russian Federation's own votes: the data's 1991 is the Soviet Union's
    data_years = set(load_idealpoint_members()["year"].tolist())
    common = [y for y in years if y in data_years and y >= FIRST_RUSSIAN_YEAR]
    kept = observed_lockstep(common, _members_2009(med))[0] if len(common) >= 3 else []
    if len(kept) >= 2:
        kept, observed = observed_lockstep(common, kept)
        keep = np.isin(panel.years, common)
        on = Panel(panel.years[keep], panel.trust[:, keep], panel.pairs, panel.states)
        runs = lockstep_runs(on, kept)
        out["observed"] = {
            "members": len(kept),
            "years": [common[0], common[-1]],
            "mean_correlation": observed,
            "model_median": lockstep(on.median(), kept)[1],
            "model_within_run": _summary(runs),
            # where the data's one realisation falls among the model's runs
            "runs_below_data": float((runs < observed).mean()),
            "blocks": _blocks(on.median(), common, kept),
        }
    return out


def _blocks(med: Panel, years: Sequence[int], members: Sequence[str]) -> list[dict[str, Any]]:
    """Block correlations of the model's median and of the data, side by side.

    On the members with a distance every year (all of ``members`` when they are the
    kept ones of :func:`observed_lockstep`).
    """
    kept, dist = _distances(years, members)
    trust = np.array([med.series(c, RUS)[0] for c in kept])
    # distances run against trust, but a correlation of two members' changes is the same
    rows = []
    for groups, group_of in ((GROUPS, None), (EU_GROUPS, _eu_group(int(years[-1])))):
        model = block_correlations(trust, kept, groups, group_of)
        data = block_correlations(dist, kept, groups, group_of)
        rows += [{"blocks": k, "model": model[k], "data": data[k]} for k in model]
    return rows


def split_2003(med: Panel) -> dict[str, float]:
    """The 2002→2003 change of median trust between the USA and Germany and France, both ways."""
    return {
        f"{a}->{b}": float(med.at(a, b, 2003)[0] - med.at(a, b, 2002)[0])
        for a, b in SPLIT_PAIRS
        if med.has_pair(a, b)
    }


def alliance(base: Baseline) -> dict[str, Any] | None:
    """The alliance section, or None when the scenario does not cover 2002-2012."""
    if not base.panel.has(2002, 2003, 2009, 2012):
        return None
    med = base.median
    split = split_2003(med)
    levers = {}
    for name in LEVERS:
        out = []
        for v in (0.0, 1.0):
            m = base.simulate(**{name: v}).median()
            out.append((float(m.at(RUS, NATO, 2012)[0]), float(m.at(NATO, RUS, 2012)[0])))
        levers[name] = {"rus_nato": out[1][0] - out[0][0], "nato_rus": out[1][1] - out[0][1]}
    return {
        "lockstep": _lockstep_section(base),
        "split_2003": split,
        "levers_2012": levers,
    }
