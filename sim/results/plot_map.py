"""``natosim plot DIR --map [--year Y]``: maps of Europe from a run (or sweep) folder.

Trust of each state in Russia and Russia's in each state is the median over the
folder's runs in the year; membership is the scenario's: the states that were
members when it starts plus the targets of its scheduled enlargements up to
that year (from ``events.csv``; the states table's accession years without it).
One year gives ``map_YEAR``; several (or none: about five from first to last)
give the small multiples ``maps``. A sweep over several scenarios gives one map
(or set) per scenario, ``map_SCENARIO_YEAR`` (``maps_SCENARIO``), each of that
scenario's runs and members.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sim.data import tables
from sim.files.errors import InputError
from sim.results import readers
from sim.results.figures.europe_map import trust_map, trust_maps, years_between

__all__ = ["members_in", "plot_maps", "year_values"]


def members_in(year: int, events: pd.DataFrame | None, start: int | None) -> set[str]:
    """The members in ``year``: at the start, plus the scheduled enlargements since."""
    states = tables.states()
    if events is None or start is None:
        return {s.code for s in states if s.accession is not None and s.accession <= year}
    out = {s.code for s in states if s.accession is not None and s.accession <= start}
    ev = events[(events.action == "enlargement_wave") & (events.origin == "scheduled")]
    for row in ev[ev.year <= year].itertuples():
        out |= set(str(row.target).split(";"))
    return out


def year_values(traj: pd.DataFrame, year: int) -> tuple[dict[str, float], dict[str, float]]:
    """Median trust in the year: state code to its trust in Russia, and Russia's in it."""
    sel = traj[traj.year == year]
    med = sel.groupby(["observer", "target"], observed=True).trust.median()
    in_russia = {o: float(v) for (o, t), v in med.items() if t == tables.RUS and o != tables.NATO}
    of_russia = {t: float(v) for (o, t), v in med.items() if o == tables.RUS and t != tables.NATO}
    return in_russia, of_russia


def plot_maps(dirs: Sequence[Path], years: Sequence[int], *, fmt: str) -> list[Path]:
    """Draw the maps of each folder (every folder is checked before the first is drawn).

    Returns:
        The paths written.

    Raises:
        InputError: If a folder has no member trajectories or lacks a year.
    """
    jobs: list[_Map] = []
    for d in map(Path, dirs):
        # the pairs with Russia only (a sweep of every pair also has the members')
        traj = readers.trajectories(d, involving=tables.RUS)
        if traj is None or traj.empty:
            raise InputError(f"--map: {d} has no trajectories")
        if {str(t) for t in traj.target.unique()} <= {tables.NATO, tables.RUS}:
            raise InputError(
                f'--map: {d} records NATO<->RUS only; sweep with trajectories = "all" '
                "or use a natosim run folder"
            )
        man = readers.manifest(d) or {}
        scenario = man.get("scenario") if isinstance(man.get("scenario"), dict) else {}
        span_of = scenario.get("time") if isinstance(scenario.get("time"), dict) else {}
        for job in _by_scenario(d, traj, span_of.get("start")):
            span = (int(job.traj.year.min()), int(job.traj.year.max()))
            job.years = list(years) or list(years_between(*span))
            for y in job.years:
                if not span[0] <= y <= span[1]:
                    where = f"{d}" if not job.suffix else f"{d} ({job.suffix[1:]})"
                    raise InputError(f"--year {y}: {where} reports {span[0]}-{span[1]}")
            jobs.append(job)
    return [_draw(job, fmt) for job in jobs]


@dataclass
class _Map:
    """One map (or set) to draw: a folder's runs of one scenario and its members."""

    folder: Path
    suffix: str
    name: str
    traj: pd.DataFrame
    events: pd.DataFrame | None
    start: int | None
    years: list[int] = field(default_factory=list)


def _by_scenario(d: Path, traj: pd.DataFrame, start: int | None) -> list[_Map]:
    """One map per scenario of the folder.

    A sweep over several scenarios records each one's events under its name; its
    runs are told apart by ``runs.parquet`` (run id to scenario), so that each map
    shows one scenario's runs with that scenario's members, from that scenario's
    first reported year (the manifest gives the first scenario's span only).
    """
    events = readers.events(d)
    name = readers.name(d)
    if events is None or "scenario" not in events.columns:
        return [_Map(d, "", name, traj, events, start)]
    runs = readers.runs(d, ("run_id", "scenario"))
    if runs is None:
        raise InputError(d / "runs.parquet", None, "missing: the runs of each scenario")
    out = []
    for sc in dict.fromkeys(events.scenario):
        ids = runs.run_id[runs.scenario == sc]
        part = traj[traj.replicate.isin(ids)]
        if part.empty:
            raise InputError(f'--map: {d} records no member trajectories of scenario "{sc}"')
        ev = events[events.scenario == sc].drop(columns="scenario")
        out.append(_Map(d, f"_{sc}", f"{name}, {sc}", part, ev, int(part.year.min())))
    return out


def _draw(job: _Map, fmt: str) -> Path:
    """Draw one map (one year) or the small multiples (several) and return the path."""
    traj, events, start, d, suffix, name = (
        job.traj, job.events, job.start, job.folder, job.suffix, job.name,
    )  # fmt: skip
    runs = int(traj.replicate.nunique()) if "replicate" in traj else 1
    if len(job.years) == 1:
        (y,) = job.years
        target = d / f"map{suffix}_{y}.{fmt}"
        in_r, of_r = year_values(traj, y)
        trust_map(
            in_r, of_r, members_in(y, events, start), y, target,
            title=f"{name}: trust between Russia and NATO's states, {y}", runs=runs, fmt=fmt,
        )  # fmt: skip
        return target
    target = d / f"maps{suffix}.{fmt}"
    by_year = {y: (*year_values(traj, y), members_in(y, events, start)) for y in job.years}
    trust_maps(
        by_year, target, title=f"{name}: trust between Russia and NATO's states",
        runs=runs, fmt=fmt,
    )  # fmt: skip
    return target
