"""docs/figure1_traceability.md is generated from the tables, never pasted by hand."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

from sim.data import perception, tables
from sim.model import readings
from sim.results.traceability import COMMAND, traceability_markdown
from tests.paths import ROOT

DOC = ROOT / "docs" / "figure1_traceability.md"


def _section(text: str, title: str) -> str:
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else None]


def test_committed_page_is_what_the_tables_give() -> None:
    expected = traceability_markdown()
    committed = DOC.read_text(encoding="utf-8")
    assert committed == expected, f"docs/figure1_traceability.md is out of date; run: {COMMAND}"


def test_the_command_prints_the_page() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "sim.results.traceability"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    assert out.decode("utf-8") == traceability_markdown()


def test_every_entry_reading_lens_and_override_is_on_the_page() -> None:
    text = traceability_markdown()
    by_entry = _section(text, "A. By Figure 1 entry")
    for e in tables.figure1():
        assert f"| `{e.id}` |" in by_entry, e.id
    assert "| `N.threat.environment` | Environmental issues | — | engaged by no act |" in by_entry
    by_action = _section(text, "B. By action")
    rules = readings.derived_rules()
    rows = [line for line in by_action.splitlines() if line.startswith("| `")]
    assert len(rows) == len(rules)
    for r in rules:
        assert any(
            row.startswith(f"| `{r.action}` | {r.actor_side} | {r.target or 'any'} | {r.reader} |")
            for row in rows
        ), r
    lenses = _section(text, "C. Lenses")
    for lens in perception.lenses():
        assert f"| `{lens.entry}` |" in lenses
    overrides = _section(text, "D. Overrides")
    for o in perception.overrides():
        assert f"`{o.entry}`" in overrides and o.why in overrides


def test_the_page_follows_the_tables() -> None:
    """Removing the reset's tag removes its reading from the page (nothing is cached text)."""
    cat = perception.catalog()
    base = traceability_markdown(cat)
    assert "| `reset` | west | any | RUS | +0.80 |" in base
    tags = tuple(t for t in cat.tags if t.action != "reset")
    changed = traceability_markdown(dataclasses.replace(cat, tags=tags))
    assert "| `reset` | west |" not in changed
    assert "`R.increase.bilateral_key_members` | Bilateral" in changed  # still tagged elsewhere
    assert changed != base
