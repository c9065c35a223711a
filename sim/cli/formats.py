"""The one check of a figure format on the command line (``--format`` and ``--out``)."""

from __future__ import annotations

from pathlib import Path

from sim.files.errors import InputError

#: Formats every figure can be written in.
FORMATS = ("png", "svg", "pdf")


def figure_format(fmt: str | None, out: str | None) -> str:
    """The figures' format: ``--format``, else ``--out``'s extension, else png.

    Raises:
        InputError: For an unknown format, or a ``--format`` that contradicts ``--out``.
    """
    suffix = Path(out).suffix.lstrip(".").lower() if out else ""
    if fmt is not None and fmt.lower() not in FORMATS:
        raise InputError(f"--format {fmt!r}: choose png, svg or pdf")
    if suffix and suffix not in FORMATS:
        raise InputError(f"--out {out}: the extension must be .png, .svg or .pdf")
    if fmt is not None and suffix and fmt.lower() != suffix:
        raise InputError(f"--format {fmt} and --out {out} disagree: give one format")
    return (fmt or suffix or "png").lower()
