"""A sweep's output folder: one writer at a time, one experiment per folder, no litter.

* **A lock.** :class:`SweepFolder` holds an exclusive lock
  (``.parts/lock``, :func:`sim.files.lock.folder_lock`) while a sweep writes;
  a second sweep into the same ``--out`` is refused at once.
* **An identity.** The digests of the experiment and of its resolved scenario
  are recorded with the parts (``.parts/identity.json``) before the first part
  is written, and checked by :func:`check_resumable` before anything is
  resumed: a changed experiment is refused even after ``manifest.json`` was
  deleted; parts of unknown origin (neither identity nor manifest) are refused
  too.
* **No litter.** If a sweep fails before its first chunk is stored (an
  unreachable scheduler, a bad option found late, Ctrl-C at start-up), what it
  created is removed again: the folder itself if it made it, else its
  ``manifest.json`` and ``.parts/``. Once a chunk is stored everything stays, so
  the sweep can be resumed; once every chunk is merged into the final files the
  parts are dropped (``.parts/finished.json`` says so) and a rerun computes
  nothing.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from sim.files.atomic import first_missing
from sim.files.documents import read_json
from sim.files.errors import InputError
from sim.files.lock import folder_lock
from sim.files.parts import PartStore

__all__ = ["SweepFolder", "check_resumable"]

_KEYS = ("experiment_sha256", "scenario_sha256", "scenarios")


def _manifest_identity(out: Path) -> dict[str, Any] | None:
    """The identity a folder's ``manifest.json`` records (None: no usable manifest)."""
    path = out / "manifest.json"
    if not path.exists():
        return None
    try:
        data = read_json(path)
    except InputError:
        return None
    if not isinstance(data, dict):
        return None
    return {k: data.get(k) for k in _KEYS}


def check_resumable(out: Path, identity: Mapping[str, str]) -> None:
    """Refuse to mix two different experiments in one output folder.

    Args:
        out: The output folder (need not exist).
        identity: ``experiment_sha256``, ``scenario_sha256`` and ``scenarios`` of
            this sweep (:func:`sim.experiments.plan.identity`).

    Raises:
        InputError: If the folder's parts or manifest belong to another
            experiment, or it holds parts of unknown origin.
    """
    out = Path(out)
    ours = dict(identity)
    stored = PartStore.stored_identity(out)
    if stored is not None:
        if {k: stored.get(k) for k in _KEYS} != ours:
            what = "a finished sweep" if PartStore.is_finished(out) else "parts"
            raise InputError(
                out,
                ".parts/identity.json",
                f"this directory holds {what} of a different experiment; choose another --out "
                "or remove it",
            )
        return
    recorded = _manifest_identity(out)
    if recorded is not None and recorded != ours:
        what = (
            "a different experiment"
            if recorded.get("experiment_sha256")
            else "a run or another result, not a sweep"
        )
        raise InputError(
            out,
            "manifest.json",
            f"this directory holds {what}; choose another --out or remove it",
        )
    if recorded is None and PartStore.has_parts(out):
        raise InputError(
            out,
            ".parts",
            "holds sweep parts of an unknown experiment (no manifest.json, no "
            ".parts/identity.json); choose another --out or remove it",
        )
    if recorded is None and PartStore.is_finished(out):
        raise InputError(
            out,
            ".parts",
            "holds a finished sweep of an unknown experiment (no manifest.json, no "
            ".parts/identity.json); choose another --out or remove it",
        )


class SweepFolder:
    """Lock and check an output folder for the duration of a sweep; tidy up on failure.

    Args:
        out: The output folder.
        identity: ``experiment_sha256`` and ``scenario_sha256`` of the sweep.

    Raises:
        InputError: On entry, if another process writes there or the folder
            belongs to another experiment (nothing is left behind then).
    """

    def __init__(self, out: Path, identity: Mapping[str, str]) -> None:
        self.out = Path(out)
        self.identity = dict(identity)
        self._stack = contextlib.ExitStack()
        self._created: list[Path] = []

    def __enter__(self) -> SweepFolder:
        check_resumable(self.out, self.identity)  # before anything is made
        top = first_missing(self.out)
        parts = self.out / ".parts"
        had = {p: p.exists() for p in (self.out / "manifest.json", parts)}
        parts.mkdir(parents=True, exist_ok=True)
        try:
            self._stack.enter_context(folder_lock(parts / "lock", self.out))
        except InputError:
            raise  # another process holds the folder: it may have made it too, leave it
        except BaseException:
            if top is not None:  # made by us, and nobody else writes there
                with contextlib.suppress(OSError):
                    shutil.rmtree(top)
            raise
        self._created = [top] if top is not None else [p for p, old in had.items() if not old]
        try:
            check_resumable(self.out, self.identity)  # again, now that we hold the lock
        except BaseException:
            self._tidy()
            self._stack.close()
            raise
        return self

    def _tidy(self) -> None:
        """Remove what this sweep created, if no chunk of it is stored (nor merged)."""
        if PartStore.has_parts(self.out) or PartStore.is_finished(self.out):
            return
        for p in self._created:
            with contextlib.suppress(OSError):
                if p.is_dir() and not p.is_symlink():
                    shutil.rmtree(p)
                else:
                    p.unlink()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is not None:
                self._tidy()
        finally:
            self._stack.close()
