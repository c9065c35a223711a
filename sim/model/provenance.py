"""Provenance written beside every result: the versions of what computed it."""

from __future__ import annotations

import importlib.metadata
import platform

__all__ = ["versions"]


def versions() -> dict[str, str]:
    """Versions of Python and the packages a result depends on."""
    out = {"python": platform.python_version()}
    for pkg in ("natosim", "numpy", "pandas", "mesa", "pydantic", "matplotlib"):
        try:
            out[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return out
