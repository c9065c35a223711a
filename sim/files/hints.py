"""Help for a word that is not one of the valid ones: "did you mean" (difflib).

Every message about an unknown name (an actor, a parameter, an outcome, a key,
a bundled scenario, one of a field's allowed values) takes its hint from here,
so a near miss is answered the same way everywhere: the closest valid values
and, when the list is short, every valid value.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

__all__ = ["SHORT", "close_matches", "did_you_mean", "meant"]

#: Lists up to this long are spelled out in messages.
SHORT = 8


def close_matches(
    value: object, choices: Iterable[str], aliases: Mapping[str, str] | None = None
) -> list[str]:
    """The valid values closest to ``value`` (at most three), best first.

    Args:
        value: What the user wrote (not necessarily text).
        choices: The valid values.
        aliases: Other spellings (lower case, e.g. a state's name) of a valid value.

    Returns:
        The same value in the right case alone, else difflib's close matches
        (ignoring case), else nothing.
    """
    by_lower: dict[str, str] = {c.lower(): c for c in choices}
    for k, v in (aliases or {}).items():
        by_lower.setdefault(k.lower(), v)
    low = str(value).strip().lower()
    if low in by_lower and by_lower[low] != value:
        return [by_lower[low]]
    close = difflib.get_close_matches(low, list(by_lower), n=3, cutoff=0.6)
    return list(dict.fromkeys(by_lower[c] for c in close))


def meant(value: object, choices: Iterable[str], aliases: Mapping[str, str] | None = None) -> str:
    """``"did you mean 'USA' or 'RUS'?"`` for the closest valid values, or ``""``."""
    close = close_matches(value, choices, aliases)
    return "did you mean " + " or ".join(repr(c) for c in close) + "?" if close else ""


def did_you_mean(
    value: object,
    choices: Iterable[str],
    aliases: Mapping[str, str] | None = None,
    what: str = "",
) -> str:
    """A hint for an unknown ``value``: the closest valid values, or all when few.

    Args:
        value: What the user wrote.
        choices: The valid values.
        aliases: Other spellings (lower case, e.g. a state's name) of a valid value.
        what: Plural noun for the list command (``"actors"``): named when the list
            is too long to print.

    Returns:
        A text starting with a space, e.g. ``" (did you mean 'USA'?)"``, or ``""``.
    """
    choices = list(dict.fromkeys(choices))
    parts = [meant(value, choices, aliases)]
    if len(choices) <= SHORT:
        parts.append("valid: " + ", ".join(choices))
    elif what:
        parts.append(f"see natosim list {what}")
    parts = [p for p in parts if p]
    return f" ({'; '.join(parts)})" if parts else ""
