"""Reading input documents (TOML or YAML) into plain dicts, with error locations.

Every input file of the project — scenarios, experiments, calibrations — is
read here, so every one gets the same checks and the same one-line errors
(:class:`sim.files.errors.InputError`, naming the file and the field).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from sim.files.errors import InputError

__all__ = ["error_location", "read_document"]


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """A YAML error in one line: what is wrong and where (PyYAML spreads it over several)."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem:
        mark = exc.problem_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        context = f", {exc.context}" if exc.context else ""
        return _one_line(f"{exc.problem}{context}{where}")
    return _one_line(str(exc))


def read_document(path: Path, what: str = "scenario") -> dict[str, Any]:
    """Read a TOML or YAML file into a dict, or raise :class:`InputError` naming it."""
    if not path.exists():
        raise InputError(path, None, "file not found")
    if path.is_dir():
        raise InputError(path, None, f"is a directory, not {_article(what)} {what} file")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, None, f"not UTF-8 text (byte {exc.start})") from None
    if not text.strip():
        raise InputError(path, None, "file is empty")
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            data = yaml.safe_load(text)
        else:
            data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, None, f"malformed TOML: {_one_line(str(exc))}") from None
    except yaml.YAMLError as exc:
        raise InputError(path, None, f"malformed YAML: {_yaml_problem(exc)}") from None
    if not isinstance(data, dict):
        raise InputError(path, None, "top level must be a table of keys")
    return data


def error_location(err: Mapping[str, Any]) -> str:
    """Dotted field path of a pydantic error, e.g. ``events[2].year``."""
    parts: list[str] = []
    for p in err.get("loc", ()):
        if isinstance(p, int):
            parts[-1:] = [f"{parts[-1]}[{p}]"] if parts else [f"[{p}]"]
        else:
            parts.append(str(p))
    return ".".join(parts) or "(top level)"
