"""A pydantic error as one line in the words of a file's author.

Scenario and experiment files are validated with pydantic; its own wording
("Input should be 'grid', 'lhs', 'sobol' or 'morris'") is replaced here by the
project's: what the field must be and what the file has, the allowed values
with a "did you mean" (:mod:`sim.files.hints`), or the bound a number misses.
:func:`key_error` lets a validator put its error on one key of an entry (the
key the user wrote) rather than on the whole entry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic_core import InitErrorDetails, PydanticCustomError, ValidationError

from sim.files.errors import shown
from sim.files.hints import meant

__all__ = ["error_location", "key_error", "type_message", "value_message"]


def error_location(err: Mapping[str, Any]) -> str:
    """Dotted field path of a pydantic error, e.g. ``events[2].year``."""
    parts: list[str] = []
    for p in err.get("loc", ()):
        if isinstance(p, int):
            parts[-1:] = [f"{parts[-1]}[{p}]"] if parts else [f"[{p}]"]
        else:
            parts.append(str(p))
    return ".".join(parts) or "(top level)"


#: What a pydantic type error asks for, in the words of a file's author.
_WANT = {
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "string_type": "text (in quotes)",
    "list_type": "a list",
    "tuple_type": "a list",
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "dataclass_type": "a table",
}


def type_message(err: Mapping[str, Any]) -> str | None:
    """A pydantic error of the wrong type, or a name that is not one, as one short line.

    None for other errors.

    The value shown is bounded (:func:`sim.files.errors.shown`).
    """
    loc = err.get("loc") or ()
    if err.get("type") == "string_pattern_mismatch" and tuple(loc) == ("name",):
        return (
            f"{shown(err.get('input'))} is not a name: use letters, digits, _ . and - "
            "(not first . or -), since it names a folder (runs/<name>, sweeps/<name>)"
        )
    want = _WANT.get(str(err.get("type")))
    if want is None:
        return None
    value = err.get("input")
    if isinstance(value, str) and want != "text (in quotes)":
        return f"must be {want}, not the string {shown(value)} (write it without quotes)"
    if isinstance(value, bool):
        return f"must be {want}, not {str(value).lower()}"
    return f"must be {want}, got {shown(value)}"


#: A number's bound, as pydantic names it, in words.
_BOUND = {
    "greater_than_equal": ("ge", "at least"),
    "greater_than": ("gt", "more than"),
    "less_than_equal": ("le", "at most"),
    "less_than": ("lt", "less than"),
}
#: A text's or a list's length bound, as pydantic names it: ctx key, words, unit.
_LENGTH = {
    "string_too_short": ("min_length", "at least", "characters"),
    "string_too_long": ("max_length", "at most", "characters"),
    "too_short": ("min_length", "at least", "items"),
    "too_long": ("max_length", "at most", "items"),
}
#: A quoted value in pydantic's list of a literal's values (``'grid', 'lhs' or 'sobol'``).
_QUOTED = re.compile(r"'([^']*)'|\"([^\"]*)\"")


def value_message(err: Mapping[str, Any]) -> str | None:
    """A value outside a field's choices, bounds or lengths as one line; None for others.

    A choice (a ``Literal`` field) lists the allowed values, with the closest
    first when there is one: ``must be one of grid, lhs, sobol, morris; got
    'gird' (did you mean 'grid'?)``. A number names its bound (``must be at
    least 10, got 1``), a text or a list its length (``must not be empty``).
    """
    kind = str(err.get("type"))
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", ""))
        choices = [a or b for a, b in _QUOTED.findall(expected)]
        listed = ", ".join(choices) if choices else expected
        hint = meant(value, choices)
        return f"must be one of {listed}; got {shown(value)}" + (f" ({hint})" if hint else "")
    if kind in _BOUND:
        key, words = _BOUND[kind]
        return f"must be {words} {ctx.get(key)}, got {shown(value)}"
    if kind in _LENGTH:
        key, words, unit = _LENGTH[kind]
        if key == "min_length" and ctx.get(key) == 1:
            return "must not be empty"
        return f"must have {words} {ctx.get(key)} {unit}, got {shown(value)}"
    return None


def key_error(key: str, message: str, value: Any) -> ValidationError:
    """An error of one key of the entry being validated, to raise from a validator.

    Pydantic puts an error a model validator raises on the whole entry
    (``events[0]``); raised as this one it is put on the key
    (``events[0].target``), so the message names what the user wrote.

    Args:
        key: The key of the entry (as written in the file).
        message: What is wrong with it (the whole message).
        value: Its value.
    """
    error = PydanticCustomError("key_error", "{message}", {"message": message})
    return ValidationError.from_exception_data(
        "entry", [InitErrorDetails(type=error, loc=(key,), input=value)]
    )
