"""Figures for folders written by ``natosim run`` and ``natosim sweep``.

Reads the folders with :mod:`sim.results.readers` and draws with
:mod:`sim.results.figures`; it never needs (or re-runs) the model that wrote
them. A folder's trust fan (``trust.FORMAT``), a sweep's figures of outcomes
against parameters (:mod:`sim.results.plot_sweep`), the maps of Europe
(``--map``, :mod:`sim.results.plot_map`) and, for several folders, the
comparison chart (which alone is drawn when several folders are given: it
never rewrites their own figures).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sim.experiments.outcome_entries import RESERVED
from sim.files.errors import InputError, shown
from sim.files.hints import meant
from sim.model.outcomes import BUILTIN
from sim.results import figures, pair_index, readers
from sim.results.figures.style import HEADLINE, pairs_title
from sim.results.outcome_tables import from_trajectory
from sim.results.plot_sweep import choose_outcome, plot_sweep, varied

#: Columns of ``runs.parquet`` that are not outcomes (nor parameters).
_NOT_OUTCOMES = RESERVED


def parse_pair(text: str) -> tuple[str, str]:
    """``"RUS:POL"`` as ``("RUS", "POL")``: one directed pair (whose trust in whom).

    Raises:
        InputError: If it is not one ``OBSERVER:TARGET`` of two codes.
    """
    obs, sep, tgt = (part.strip() for part in text.partition(":"))
    if not (sep and obs.isalnum() and tgt.isalnum()):
        raise InputError(
            f"--pair {shown(text)}: expected one OBSERVER:TARGET, e.g. RUS:POL "
            "(one direction; POL:RUS is the other)"
        )
    return obs.upper(), tgt.upper()


def _check_pairs(d: Path, traj: pd.DataFrame, pairs: Sequence[tuple[str, str]]) -> None:
    """Every pair asked for is in the table (a sweep's was read for those pairs only)."""
    have = set(pair_index.pairs(traj))
    if not all(p in have for p in pairs):
        have |= set(readers.recorded_pairs(d))
    for o, t in pairs:
        if (o, t) not in have:
            hint = (
                ' (a sweep records only NATO<->RUS unless trajectories = "all")'
                if (d / "runs.parquet").exists()
                else ""
            )
            actors = sorted({c for p in have for c in p})
            typo = next((meant(c, actors) for c in (o, t) if c not in actors), "")
            hint = f" ({typo})" if typo else hint
            raise InputError(f"--pair {o}:{t}: {d} has no trajectory of {o} -> {t}{hint}")


def _outcome_values(d: Path, traj: pd.DataFrame | None, outcome: str) -> np.ndarray:
    runs = readers.runs(d)
    if runs is not None:
        if outcome not in runs.columns:
            hint = meant(outcome, [c for c in runs.columns if c not in _NOT_OUTCOMES])
            hint = f" ({hint})" if hint else ""
            raise InputError(f"--outcome {shown(outcome)}: not an outcome of {d}{hint}")
        return runs[outcome].to_numpy()
    if outcome not in BUILTIN:
        hint = meant(outcome, BUILTIN)
        raise InputError(
            f"--outcome {shown(outcome)}: a run folder ({d}) gives the built-in outcomes only "
            f"({hint + '; ' if hint else ''}{', '.join(BUILTIN)})"
        )
    excluded = ((readers.manifest(d) or {}).get("scenario") or {}).get("actors", {})
    return from_trajectory(traj, outcome, excluded.get("exclude", ()))  # type: ignore[arg-type]


def plot_dirs(
    dirs: Sequence[Path],
    *,
    fmt: str = "png",
    outcome: str | None = None,
    out: str | None = None,
    notes: list[str] | None = None,
    pair: tuple[str, str] | None = None,
    map_years: Sequence[int] | None = None,
) -> list[Path]:
    """Draw one folder's figures, or the comparison of several folders.

    One folder: every figure its files allow, into the folder (a run folder's
    ``trust.FORMAT`` to ``out`` instead if given). Several folders: only their
    comparison, to ``out`` (default ``compare.FORMAT``); nothing is written into
    the folders.

    Args:
        dirs: Run or sweep folders.
        fmt: ``png``, ``svg`` or ``pdf``.
        outcome: Outcome of a sweep's figures and of the comparison (default:
            a sweep's first; the comparison then shows trajectories only).
        out: Path of the comparison chart when several folders are given, or
            of one run folder's trust chart.
        notes: If given, messages for the user are appended (e.g. a folder
            without ``events.csv``).
        pair: One directed pair to draw instead of NATO->RUS and RUS->NATO.
        map_years: Draw maps of Europe for these years instead (``--map``).

    Returns:
        Paths written.

    Raises:
        InputError: For a damaged folder (see :mod:`sim.results.readers`), an
            unknown outcome or pair, or nothing to plot; then nothing is written
            (every folder is read and checked before the first figure is drawn).
    """
    if map_years is not None:
        from sim.results.plot_map import plot_maps

        if out is not None:
            raise InputError(
                f"--out {out}: the maps go into each folder (map_YEAR, maps); "
                "--out names one figure"
            )
        return plot_maps(dirs, map_years, fmt=fmt)
    pairs = [pair] if pair else list(HEADLINE)
    compare = len(dirs) > 1
    own = _out_path(out, dirs, fmt)  # before the tables: a sweep's can take minutes to read
    loaded = [_read(Path(d), outcome, pairs, compare=compare) for d in dirs]
    if compare:  # the comparison alone: the folders' own figures are left as they are
        trajs = [t for t, _, _ in loaded if t is not None]  # _read refuses a folder without
        return [_compare(list(map(Path, dirs)), trajs, own, pairs, outcome, fmt)]
    d, (traj, ev, runs) = Path(dirs[0]), loaded[0]
    if outcome is not None and runs is None and notes is not None:
        notes.append(
            f"--outcome {outcome}: one run folder's figure shows its trust trajectories; "
            "the outcome is drawn when several folders are compared"
        )
    written: list[Path] = []
    if traj is not None and not traj.empty:
        if ev is None and notes is not None:
            notes.append(readers.NO_EVENTS.format(d=d))
        stem = "trust" if pair is None else f"trust_{pair[0]}_{pair[1]}"  # trust.png stays
        target = own if runs is None and own is not None else d / f"{stem}.{fmt}"
        title = f"{readers.name(d)}: {pairs_title(pairs)}"
        fan = traj  # the sweep's own figures below get every run
        if runs is not None and "scenario" in runs.columns and runs.scenario.nunique() > 1:
            # several scenarios: one band of them all would mix them; the first one's
            # runs with its events (fans_scenario draws each)
            first = str(runs.scenario.iloc[0])
            mine = runs.run_id[runs.scenario == first]
            fan = traj[traj.replicate.isin(mine)]  # a sweep's run_id, read as replicate
            n = runs.scenario.nunique()
            title += f" ({len(mine)} runs of {first}, the first of {n} scenarios)"
            if ev is not None and "scenario" in ev.columns:
                ev = ev[ev.scenario == first].drop(columns="scenario")
        elif runs is not None and len(runs) > 1:
            title += f" (all {len(runs)} runs of the sweep pooled)"
        if fan.empty:  # the first scenario lacks the pair (it excludes a state): no chart
            if notes is not None:
                notes.append(
                    f"{d}: no {stem}.{fmt}: {first}, the first scenario, whose runs it shows, "
                    f"has no trajectory of {pairs_title(pairs)}; the sweep's own figures show "
                    "each scenario"
                )
        else:
            figures.trust_fan(fan, ev, target, pairs=pairs, title=title, fmt=fmt)
            written.append(target)
    if runs is not None:
        written += plot_sweep(d, runs, traj, fmt=fmt, outcome=outcome, trust_pairs=pairs)
    if not written:
        raise InputError(
            f"nothing to plot in {d} (no trajectory, runs or sensitivity files; an "
            "interrupted sweep is finished by running it again)"
        )
    return written


def _compare(
    dirs: Sequence[Path],
    trajs: Sequence[pd.DataFrame],
    out: Path | None,
    pairs: Sequence[tuple[str, str]],
    outcome: str | None,
    fmt: str,
) -> Path:
    """Draw the comparison of several folders to ``out`` (default ``compare.FORMAT``)."""
    named: dict[str, pd.DataFrame] = {}
    values: dict[str, np.ndarray] = {}
    for d, traj in zip(dirs, trajs, strict=True):
        name = readers.name(d)
        if name in named:  # same scenario twice (e.g. other parameters): use the folder
            name = f"{name} ({d})"
        named[name] = traj
        if outcome is not None:
            values[name] = _outcome_values(d, traj, outcome)
    target = out if out is not None else Path(f"compare.{fmt}")
    figures.compare_scenarios(
        named, target, pairs=pairs, outcome=outcome, values=values or None, fmt=fmt
    )
    return target


def _out_path(out: str | None, dirs: Sequence[Path], fmt: str = "png") -> Path | None:
    """Where ``--out`` puts the one figure it names, checked before anything is drawn.

    One run folder: its trust figure; several folders: their comparison. A
    sweep folder alone draws several figures into itself, so it takes none. A
    name without an extension gets the format's (``compare`` -> ``compare.png``).

    Raises:
        InputError: If ``--out`` is a folder, lies below a file, or goes with a
            sweep folder alone.
    """
    if out is None:
        return None
    p = Path(out)
    runs = Path(dirs[0]) / "runs.parquet"
    if len(dirs) == 1 and (runs.exists() or runs.is_symlink()):  # what readers.runs reads
        raise InputError(
            f"--out {out}: a sweep folder's figures go into the folder; --out names one "
            "figure (one run folder's, or the comparison of several folders)"
        )
    if p.is_dir():
        raise InputError(
            f"--out {out}: is a folder; name the figure's file, e.g. {p / 'compare.png'}"
        )
    if os.path.basename(str(out)) in ("", ".", ".."):  # "new/", "new/.": pathlib drops them
        raise InputError(
            f"--out {out}: names a folder; name the figure's file, e.g. {p / f'compare.{fmt}'}"
        )
    if p.suffix in ("", "."):  # "." is the suffix of "cmp." from Python 3.14 on
        p = p.with_name(f"{p.name.rstrip('.') or p.name}.{fmt}")  # "cmp." -> "cmp.png"
        if p.is_dir():
            raise InputError(f"--out {out}: {p} is a folder; name the figure's file")
    for up in p.parents:
        if up.exists():
            if not up.is_dir():
                raise InputError(f"--out {out}: {up} is a file, not a folder")
            break
    if len(dirs) > 1 and p.exists():
        for d in map(Path, dirs):
            if p.resolve().parent == d.resolve():  # its files and figures are the folder's
                raise InputError(
                    f"--out {out}: is {d}'s own {p.name}; the comparison of several folders "
                    "writes nothing over their files: name another file"
                )
    return p


def _read(
    d: Path, outcome: str | None, pairs: Sequence[tuple[str, str]], *, compare: bool = False
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, pd.DataFrame | None]:
    """A folder's tables, checked as far as the figures need (InputError on any damage).

    For a comparison (``compare``) only the trajectories and the outcome are
    needed: the events are not read, and a folder without trajectories is refused.
    """
    traj, runs = readers.trajectories(d, pairs), readers.runs(d)
    if traj is not None and traj.empty and readers.recorded_pairs(d):
        _check_pairs(d, traj, pairs)  # rows, none of the pairs asked for
    if compare:
        if traj is None or traj.empty:
            raise InputError(
                f"{d}: no trajectories to compare (a sweep records them unless "
                'trajectories = "none")'
            )
        _check_pairs(d, traj, pairs)
        if outcome is not None:
            _outcome_values(d, traj, outcome)
        return traj, None, runs
    ev = readers.events(d)
    if traj is not None and not traj.empty:
        _check_pairs(d, traj, pairs)
        if outcome is not None and runs is None:
            _outcome_values(d, traj, outcome)
    if runs is not None:
        exp = readers.experiment(d)
        oc = choose_outcome(d, exp, outcome)
        need = [c for c in (oc, *varied(exp)) if c != "scenario"]
        missing = [c for c in need if c not in runs.columns]
        if missing:
            raise InputError(
                d / "runs.parquet", None, f"not a natosim table: no column {', '.join(missing)}"
            )
        readers.sensitivity(d)
    return traj, ev, runs
