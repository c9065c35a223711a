"""The ODD and the README name code that exists.

``docs/ODD.md`` says its formulas were read from the source files named beside
them; a name that no longer exists (a function moved to another module, a
renamed file) breaks that promise silently. These tests resolve every reference
of the forms ``sim/PKG/FILE.py`` (optionally followed by `` `NAME` ``),
``sim.PKG.MODULE.NAME`` and ``MODULE.NAME`` for a module of ``sim/model`` or
``sim/data``.
"""

from __future__ import annotations

import importlib
import re

import pytest

from tests.paths import ROOT

DOCS = [ROOT / "docs" / "ODD.md", ROOT / "README.md"]
#: Modules a bare ``MODULE.NAME`` may refer to (those the ODD speaks of by short name).
SHORT = {
    p.stem: f"sim.{p.parent.name}.{p.stem}"
    for pkg in ("model", "data")
    for p in (ROOT / "sim" / pkg).glob("*.py")
    if p.stem != "__init__"
}

#: ``events.csv``, ``checks.py``…: file names, not ``MODULE.NAME``.
FILE_SUFFIXES = {"csv", "py", "toml", "md", "json", "parquet", "png", "svg", "yaml"}


def _references() -> list[tuple[str, int, str, str | None]]:
    """``(doc, line, module path or dotted module, name or None)`` for every reference."""
    out = []
    for doc in DOCS:
        for i, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1):
            for m in re.finditer(r"`(sim/[\w/]+\.py)`(?: `([\w.]+)`)?", line):
                out.append((doc.name, i, m.group(1), m.group(2)))
            for m in re.finditer(r"`sim\.(\w+)\.(\w+)\.(\w+)", line):
                out.append((doc.name, i, f"sim.{m.group(1)}.{m.group(2)}", m.group(3)))
            for m in re.finditer(r"(?<![\w./])`?(\w+)\.(\w+)(?=[`(])", line):
                if m.group(1) in SHORT and m.group(2) not in FILE_SUFFIXES:
                    out.append((doc.name, i, SHORT[m.group(1)], m.group(2)))
    return out


REFS = _references()


def _defined(source: str, name: str) -> bool:
    head = name.split(".")[-1]
    # at the top level or in a class body, not a function's local name
    pattern = rf"^(    )?(def|class)\s+{re.escape(head)}\b|^(    )?{re.escape(head)}\s*[:=]"
    return re.search(pattern, source, re.MULTILINE) is not None


def test_the_docs_name_code() -> None:
    assert len(REFS) > 100  # the parser finds the references it is meant to check


@pytest.mark.parametrize(("doc", "line", "where", "name"), REFS, ids=lambda v: str(v))
def test_each_named_file_and_name_exists(doc: str, line: int, where: str, name: str | None):
    if where.endswith(".py"):
        path = ROOT / where
        assert path.is_file(), f"{doc}:{line}: no file {where}"
        if name:
            assert _defined(path.read_text(encoding="utf-8"), name), (
                f"{doc}:{line}: {where} defines no {name}"
            )
        return
    module = importlib.import_module(where)
    head = name.split(".")[0] if name else ""
    if not hasattr(module, head) and hasattr(module, "__path__"):  # a package's submodule
        try:
            importlib.import_module(f"{where}.{head}")
        except ModuleNotFoundError:
            pass
        else:
            return
    assert hasattr(module, head), f"{doc}:{line}: {where} has no {head}"
