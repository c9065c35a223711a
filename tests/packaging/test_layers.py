"""The package's layers import only downward (import-linter's ``layers`` contract)."""

from __future__ import annotations

import ast
import shutil
import subprocess

import pytest

from tests.paths import ROOT

LAYERS = ("files", "data", "model", "experiments", "results", "web", "cli")


def test_import_linter_contract_is_kept() -> None:
    exe = shutil.which("lint-imports")
    if exe is None:
        pytest.skip("import-linter is not installed")
    r = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "1 kept, 0 broken" in r.stdout


def test_no_import_probing_or_upward_imports() -> None:
    """Independent of import-linter: every ``sim.X`` import in layer L names a layer <= L."""
    rank = {name: i for i, name in enumerate(LAYERS)}
    bad = []
    for path in (ROOT / "sim").rglob("*.py"):
        rel = path.relative_to(ROOT / "sim").parts
        if len(rel) == 1:  # sim/__init__.py: the public API may gather from every layer
            continue
        own = rank[rel[0]]
        source = path.read_text(encoding="utf-8")
        assert "__import__(" not in source, f"{path}: no __import__ probing"
        for node in ast.walk(ast.parse(source)):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                upward = parts[0] == "sim" and len(parts) > 1 and rank.get(parts[1], -1) > own
                if upward:
                    bad.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not bad, "\n".join(bad)
