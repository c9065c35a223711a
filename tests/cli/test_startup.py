"""The command line starts light: loading it imports none of the heavy libraries.

Every subcommand imports what it needs when it runs, so ``natosim list`` or a
one-line error does not wait for the evaluation, matplotlib, Dask or the web
page to load (before this was kept, every command took about three seconds
more).
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = (
    "matplotlib",
    "dask",
    "scipy",
    "pandas",
    "solara",
    "mesa",
    "SALib",
    "sim.experiments.evaluation.evaluate",
    "sim.experiments.calibration.calibrate",
    "sim.web.page",
)


def test_loading_the_command_line_imports_nothing_heavy() -> None:
    code = f"import sys, sim.cli.main; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""
