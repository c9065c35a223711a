"""Reading input documents (TOML, YAML, JSON) into plain dicts: the one bounded reader.

Every input file of the project — scenarios, experiments, calibrations, the
manifests ``natosim plot`` reads back — is read here, so every one gets the
same checks and the same one-line errors (:class:`sim.files.errors.InputError`,
naming the file and the field):

* the file itself (:func:`sim.files.reading.read_bytes`): a regular file (not a
  folder, FIFO, device or socket), symbolic links followed with loop
  detection, at most :data:`~sim.files.limits.MAX_DOCUMENT_BYTES`;
* its text: UTF-8, not empty;
* its syntax: TOML, YAML (one document, no python tags, no key given twice;
  :mod:`sim.files.yaml_doc`) or JSON, one line per error;
* its shape, before any schema sees it: nesting at most
  :data:`~sim.files.limits.MAX_DEPTH` levels below the top (checked before the
  parser could recurse that deep), at most :data:`~sim.files.limits.MAX_VALUES`
  values (YAML aliases counted at every use), integers of at most
  :data:`~sim.files.limits.MAX_INT_BITS` bits, keys that are text, and a table
  at the top.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

from sim.files.errors import InputError, one_line, shown
from sim.files.limits import (
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    MAX_INT_BITS,
    MAX_MANIFEST_BYTES,
    MAX_VALUES,
)
from sim.files.reading import read_bytes
from sim.files.yaml_doc import YamlError, load_yaml

__all__ = ["check_shape", "read_document", "read_json"]

_INT_DIGITS = re.compile(r"Exceeds the limit \((\d+) digits\)")


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """A YAML error in one line: what is wrong and where (PyYAML spreads it over several)."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem:
        mark = exc.problem_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        context = f", {exc.context}" if exc.context else ""
        return " ".join(f"{exc.problem}{context}{where}".split())
    return " ".join(str(exc).split())


# Tokens of TOML that matter for nesting: strings and comments (skipped) and brackets.
_TOML_TOKEN = re.compile(
    r'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]',
    re.S,
)


def _toml_nesting(text: str) -> int | None:
    """Where (line) a TOML text nests brackets deeper than allowed, if it does.

    A table header (``[a]``, ``[[a]]``) counts as one or two levels while it is
    open, like the top level of the file itself.
    """
    depth = 0
    for m in _TOML_TOKEN.finditer(text):
        c = m.group()
        if c in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return text.count("\n", 0, m.start()) + 1
        elif c in "]}":
            depth = max(depth - 1, 0)
    return None


def _parse(path: Path, text: str) -> Any:
    suffix = path.suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            return load_yaml(text)
        if suffix == ".json":
            return json.loads(text)
        line = _toml_nesting(text)
        if line is not None:
            raise InputError(path, None, f"nested deeper than {MAX_DEPTH} levels (line {line})")
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, None, f"malformed TOML: {one_line(str(exc))}") from None
    except YamlError as exc:
        raise InputError(path, None, str(exc)) from None
    except yaml.YAMLError as exc:
        raise InputError(path, None, f"malformed YAML: {_yaml_problem(exc)}") from None
    except json.JSONDecodeError as exc:
        raise InputError(path, None, f"malformed JSON: {exc}") from None
    except RecursionError:  # a safety net: the checks above keep parsers shallow
        raise InputError(path, None, f"nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:  # e.g. an integer literal of thousands of digits
        m = _INT_DIGITS.search(str(exc))
        if m:
            raise InputError(path, None, f"a number has more than {m[1]} digits") from None
        raise InputError(path, None, f"malformed file: {shown(str(exc), 200)}") from None


def _field(parts: tuple[str | int, ...]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out or "(top level)"


def check_shape(path: Path, data: Any, max_values: int | None = MAX_VALUES) -> None:
    """Check a parsed document's shape (see the module docstring), without recursion.

    Args:
        path: The file, for messages.
        data: The parsed document.
        max_values: Most values accepted (None: no limit beyond the file size).

    Raises:
        InputError: Naming the file and the first field at fault.
    """
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    count = 0
    while stack:
        value, parts = stack.pop()
        count += 1
        if max_values is not None and count > max_values:
            raise InputError(path, None, f"more than {max_values:,} values")
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            if value.bit_length() > MAX_INT_BITS:
                raise InputError(
                    path,
                    _field(parts),
                    f"number too large: {shown(value)} (integers have at most {MAX_INT_BITS} bits)",
                )
            continue
        if isinstance(value, dict | list) and len(parts) > MAX_DEPTH:
            raise InputError(path, _field(parts), f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(value, dict):
            for k, v in value.items():
                if not isinstance(k, str):
                    raise InputError(
                        path, _field(parts), f"key {shown(k)} must be text (write it in quotes)"
                    )
                stack.append((v, (*parts, k)))
        elif isinstance(value, list):
            stack.extend((v, (*parts, i)) for i, v in enumerate(value))


def read_document(path: Path, what: str = "scenario") -> dict[str, Any]:
    """Read a TOML or YAML input file into a dict, or raise :class:`InputError` naming it.

    Args:
        path: The file (``.yaml``/``.yml`` is YAML, ``.json`` JSON, anything else TOML).
        what: What the file should be, for messages (``"scenario"``, ``"experiment"``).

    Returns:
        The document's top-level table.

    Raises:
        InputError: For any of the problems listed in the module docstring.
    """
    return _read(Path(path), what, MAX_DOCUMENT_BYTES, MAX_VALUES)


def read_json(path: Path, what: str = "manifest", limit: int = MAX_MANIFEST_BYTES) -> Any:
    """Read a JSON file natosim wrote (a manifest), with the same checks but a larger size.

    Raises:
        InputError: For any of the problems of :func:`read_document`.
    """
    path = Path(path)
    raw = read_bytes(path, limit, what)
    data = _parse(path.with_suffix(".json"), _decode(path, raw))
    check_shape(path, data, max_values=None)
    return data


def _decode(path: Path, raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, None, f"not UTF-8 text (byte {exc.start})") from None
    text = text.removeprefix("\ufeff")  # a byte-order mark, as some editors save UTF-8
    if not text.strip():
        raise InputError(path, None, "file is empty")
    return text


def _read(path: Path, what: str, limit: int, max_values: int | None) -> dict[str, Any]:
    raw = read_bytes(path, limit, what)
    data = _parse(path, _decode(path, raw))
    if not isinstance(data, dict):
        raise InputError(path, None, "top level must be a table of keys")
    check_shape(path, data, max_values)
    return data
