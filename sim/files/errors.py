"""The one error type for bad input, and the one way to show a value in a message.

:class:`InputError` names the file and the field at fault. The command line
prints it as one line and exits with status 2, without a traceback and without
writing anything. Its text is always one line of bounded length, whatever it
is given: a message never grows with the input that caused it.

:func:`shown` is how every message shows a value the user wrote: a ``repr``
that looks at no more than a few items of a list or table, a few dozen
characters of a string and a few levels of nesting, so formatting a hostile
value (a YAML alias bomb, a number of a million digits) costs nothing.
"""

from __future__ import annotations

import math
import reprlib
from collections.abc import Callable
from pathlib import Path

__all__ = ["InputError", "clip", "one_line", "shown"]

#: Longest file name, field and message an error shows (characters).
MAX_PATH_CHARS = 300
MAX_FIELD_CHARS = 120
MAX_MESSAGE_CHARS = 600


class _Repr(reprlib.Repr):
    """``reprlib.Repr`` that also bounds integers (``repr`` of a huge int is slow or fails)."""

    def __init__(self) -> None:
        super().__init__(
            maxlevel=3,
            maxtuple=6,
            maxlist=6,
            maxarray=6,
            maxdict=6,
            maxset=6,
            maxfrozenset=6,
            maxdeque=6,
            maxstring=60,
            maxlong=40,
            maxother=60,
        )

    def repr_int(self, x: int, level: int) -> str:
        bits = abs(x).bit_length()
        if bits > 128:
            digits = math.floor((bits - 1) * math.log10(2)) + 1
            return f"<an integer of about {digits} digits>"
        return super().repr_int(x, level)

    def repr_bool(self, x: bool, level: int) -> str:
        return repr(x)


_REPR = _Repr()


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters (the last one an ellipsis if cut)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(value: object, limit: int = 80) -> str:
    """A short ``repr`` of a value, for a message: bounded however large the value is.

    Args:
        value: Anything a parsed file may contain.
        limit: Longest result, in characters.

    Returns:
        The repr, abbreviated with ``...`` (inside) or ``…`` (at the end).

    Example:
        >>> shown(list(range(10**6)))
        '[0, 1, 2, 3, 4, 5, ...]'
        >>> shown(10**400)
        '<an integer of about 401 digits>'
    """
    try:
        text = _REPR.repr(value)
    except Exception:  # a repr that fails: say what it is
        text = f"<{type(value).__name__}>"
    return clip(one_line(text), limit)


def one_line(text: str) -> str:
    """``text`` with line breaks and other control characters shown as spaces."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else " " for c in text)


class InputError(Exception):
    """Input that cannot be used (a file, a field of it, or a command-line option).

    Args:
        path: The file at fault; or, with nothing else given, the whole message
            (for a command-line option, whose message says where itself).
        field: The field of the file (dotted, e.g. ``events[2].year``).
        message: What is wrong.

    Attributes:
        path: The file (None for an option), at most ``MAX_PATH_CHARS`` long.
        field: The field, at most ``MAX_FIELD_CHARS`` long.
        message: One line, at most ``MAX_MESSAGE_CHARS`` long.
    """

    def __init__(
        self, path: str | Path | None, field: str | None = None, message: str | None = None
    ) -> None:
        if message is None:  # one message that says where itself (a command-line option)
            path, message = None, str(path)
        self.path = clip(one_line(str(path)), MAX_PATH_CHARS) if path is not None else None
        self.field = clip(one_line(field), MAX_FIELD_CHARS) if field else field
        self.message = clip(one_line(message), MAX_MESSAGE_CHARS)
        where = ": ".join(x for x in (self.path, self.field) if x)
        super().__init__(f"{where}: {self.message}" if where else self.message)

    @property
    def _render_traceback_(self) -> Callable[[], list[str]]:
        """How IPython (a notebook) shows it: its one line, as the command line does.

        The frames below are natosim's own, not the user's mistake; ``%debug``
        and ``traceback.print_exc()`` still show them. An error with a cause (the
        user's own function failed) has none of this, so IPython shows the whole
        chain, the user's frames included.
        """
        if self.__cause__ is not None:
            raise AttributeError("_render_traceback_")
        line = f"{type(self).__name__}: {self}"
        return lambda: [line]
