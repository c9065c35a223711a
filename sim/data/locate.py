"""Where the project's data live, in a checkout and in an installed wheel alike.

``seeds/``, ``scenarios/`` and ``experiments/`` are top-level folders of the
repository (the source of truth). The wheel ships copies inside the package
(``sim/_seeds``, ``sim/_scenarios``, ``sim/_experiments``; see
``pyproject.toml``), so an installed ``natosim`` finds them without a
checkout, and nothing lands as a top-level ``seeds`` package in
site-packages. The action catalogue and perception rules are package data
of :mod:`sim.data` itself (``catalog/``).
"""

from __future__ import annotations

import os
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Literal

from sim.files.errors import InputError
from sim.files.hints import meant
from sim.files.reading import resolve_path

__all__ = [
    "bundled_experiment",
    "bundled_scenario",
    "catalog_dir",
    "experiment_names",
    "experiments_dir",
    "find_input",
    "inside_package",
    "scenario_names",
    "scenarios_dir",
    "seeds_dir",
]

_CHECKOUT = Path(__file__).resolve().parent.parent.parent


def _folder(name: str) -> Path:
    """The shipped copy of a top-level folder, else the checkout's own."""
    inside = Path(str(files("sim") / f"_{name}"))
    return inside if inside.is_dir() else _CHECKOUT / name


@cache
def seeds_dir() -> Path:
    """The article's data and the real data (``seeds/``)."""
    return _folder("seeds")


@cache
def scenarios_dir() -> Path:
    """The bundled scenario files (``scenarios/``)."""
    return _folder("scenarios")


@cache
def experiments_dir() -> Path:
    """The bundled experiment files (``experiments/``)."""
    return _folder("experiments")


def catalog_dir() -> Path:
    """The action catalogue and the perception rules (model design tables)."""
    return Path(str(files("sim.data") / "catalog"))


def inside_package(path: Path) -> bool:
    """Whether ``path`` lies inside the installed ``sim`` package (a bundled copy).

    True for the bundled scenarios and experiments of an installed wheel (in
    site-packages, where nothing should be written); False in a checkout, whose
    ``scenarios/`` and ``experiments/`` sit beside ``sim/``.
    """
    package = Path(str(files("sim"))).resolve()
    return Path(path).resolve().is_relative_to(package)


def scenario_names() -> tuple[str, ...]:
    """Names of the bundled scenarios (file stems), sorted."""
    return tuple(sorted(p.stem for p in scenarios_dir().glob("*.toml")))


def experiment_names() -> tuple[str, ...]:
    """Names of the bundled experiments (file stems), sorted."""
    return tuple(sorted(p.stem for p in experiments_dir().glob("*.toml")))


def _is_file(path: Path) -> bool:
    """``path.is_file()``, false for a name the system refuses (too long, a NUL)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _bundled(folder: Path, name: str) -> Path | None:
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    for candidate in (name, f"{name}.toml", f"{name}.yaml", f"{name}.yml"):
        path = folder / candidate
        if _is_file(path):
            return path
    return None


def bundled_scenario(name: str) -> Path | None:
    """The bundled scenario called ``name`` (``historical`` or ``historical.toml``), if any."""
    return _bundled(scenarios_dir(), name)


def bundled_experiment(name: str) -> Path | None:
    """The bundled experiment called ``name`` (``sobol`` or ``sobol.toml``), if any."""
    return _bundled(experiments_dir(), name)


def find_input(
    ref: str | Path,
    kind: Literal["scenario", "experiment"],
    relative_to: Path | None = None,
) -> Path:
    """The file a reference names, looked for in a fixed order.

    A reference is a path (``scenarios/historical.toml``, ``../mine.yaml``) or a
    bare name (``historical``). It is looked for, in this order: as given,
    relative to ``relative_to`` (the folder of the file that refers to it) or
    else the working directory, with ``.toml``/``.yaml``/``.yml`` added when it
    has no suffix; then, for a bare name, among the bundled files of its kind.

    Args:
        ref: What the user wrote.
        kind: ``"scenario"`` or ``"experiment"``.
        relative_to: Folder to resolve a relative path against.

    Returns:
        The absolute path of an existing file.

    Raises:
        InputError: If it is found nowhere (the message lists where it looked,
            with the bundled names closest to it), it is the name of a bundled
            file of the other kind (said so), or it is a symbolic link loop or
            a link to a missing file.
    """
    given = Path(ref)
    base = relative_to if relative_to is not None else Path.cwd()
    first = given if given.is_absolute() else base / given
    tried = [first]
    if not given.suffix:
        tried += [first.with_name(first.name + ext) for ext in (".toml", ".yaml", ".yml")]
    for path in tried:
        if path is first and not given.suffix and os.path.isdir(path):
            continue  # a folder named like the file (runs/historical beside historical.toml)
        if os.path.lexists(path):  # a link to nothing or a loop is reported, not skipped
            return resolve_path(path)
    if kind == "scenario":
        bundled, names, other = bundled_scenario, scenario_names, bundled_experiment
    else:
        bundled, names, other = bundled_experiment, experiment_names, bundled_scenario
    bare = len(given.parts) == 1
    found = bundled(given.name) if bare else None
    if found is not None:
        return found.resolve()
    if bare and other(given.name) is not None:
        raise InputError(str(ref), None, _OTHER_KIND[kind].format(name=given.name))
    if os.path.isdir(first):  # only a folder of that name: said so where it is read
        return resolve_path(first)
    looked = str(first) if given.suffix else f"{first}[.toml|.yaml|.yml]"
    stem = given.stem if given.suffix.lower() in (".toml", ".yaml", ".yml") else given.name
    hint = meant(stem, names()) if bare else ""
    raise InputError(
        str(ref),
        None,
        f"file not found ({hint + '; ' if hint else ''}looked for {looked}, then among the "
        f"bundled {kind}s: {', '.join(names())})",
    )


#: A bundled file of the other kind named where one kind is expected (as for a file:
#: :mod:`sim.model.file_messages`, :mod:`sim.experiments.file_messages`).
_OTHER_KIND = {
    "scenario": (
        "this is a bundled experiment, not a scenario: run it with natosim sweep or "
        "natosim calibrate"
    ),
    "experiment": (
        "this is a bundled scenario, not an experiment: run it with natosim run, or name "
        'it in an experiment (scenario = "{name}")'
    ),
}
