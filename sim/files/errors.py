"""The one error type for bad input: it names the file and the field at fault.

The command line prints it as one line and exits with status 2, without a
traceback and without writing anything.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["InputError"]


class InputError(Exception):
    """Input that cannot be used (a file, a field of it, or a command-line option)."""

    def __init__(
        self, path: str | Path | None, field: str | None = None, message: str | None = None
    ) -> None:
        if message is None:  # one message that says where itself (a command-line option)
            path, message = None, str(path)
        self.path = str(path) if path is not None else None
        self.field = field
        self.message = message
        where = ": ".join(x for x in (self.path, field) if x)
        super().__init__(f"{where}: {message}" if where else message)
