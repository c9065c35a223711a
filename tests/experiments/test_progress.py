"""The sweep's progress bar: a widget in a Jupyter kernel, text on a terminal only."""

from __future__ import annotations

from pathlib import Path

import IPython
import pandas as pd
import pytest
from tqdm.notebook import tqdm_notebook

from sim.experiments import progress as P
from sim.experiments.schema import SweepSpec, sweep_experiment
from sim.experiments.sweep import plan, sweep


class ZMQInteractiveShell:
    """Stands for the shell IPython runs in a Jupyter kernel."""


class ColabShell(ZMQInteractiveShell):
    """Stands for Colab's shell, a subclass of IPython's ZMQ shell."""


ColabShell.__module__ = "google.colab._shell"


class SpyderShell(ZMQInteractiveShell):
    """Stands for Spyder's console, a subclass too, which shows no widgets."""


class TerminalInteractiveShell:
    """Stands for IPython at a terminal."""


@pytest.fixture
def kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(IPython, "get_ipython", lambda: ZMQInteractiveShell())


def test_a_kernel_is_told_from_ipython_at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not P.in_notebook()  # pytest: IPython imported, no shell running
    monkeypatch.setattr(IPython, "get_ipython", lambda: TerminalInteractiveShell())
    assert not P.in_notebook()
    monkeypatch.setattr(IPython, "get_ipython", lambda: ZMQInteractiveShell())
    assert P.in_notebook()
    monkeypatch.setattr(IPython, "get_ipython", lambda: ColabShell())
    assert P.in_notebook()
    monkeypatch.setattr(IPython, "get_ipython", lambda: SpyderShell())  # no widgets there
    assert not P.in_notebook()


def test_in_a_notebook_the_bar_is_the_widget(kernel: None, capsys) -> None:
    bar = P.progress_bar(True, total=4, unit="run", desc="levers")
    assert isinstance(bar, tqdm_notebook) and not bar.disable
    bar.update(4)
    bar.close()
    assert bar.n == 4
    quiet = P.progress_bar(False, total=4)  # --quiet, or progress=False: no widget
    assert not isinstance(quiet, tqdm_notebook) and quiet.disable
    quiet.close()
    capsys.readouterr()


def test_elsewhere_a_text_bar_shows_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    with P.progress_bar(True, total=1) as bar:
        assert bar.disable and not isinstance(bar, tqdm_notebook)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    with P.progress_bar(True, total=1) as bar:
        assert not bar.disable


def test_a_sweep_in_a_notebook_counts_its_runs_on_the_widget(
    kernel: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys
) -> None:
    import sim.experiments.sweep as S

    bars: list = []

    def kept(progress: bool, **options):
        bars.append(P.progress_bar(progress, **options))
        return bars[-1]

    monkeypatch.setattr(S, "progress_bar", kept)
    spec = SweepSpec(name="nb", scenario="historical", design="grid", replicates=3)
    files = sweep(plan(sweep_experiment(spec)), tmp_path / "nb", workers=1)
    assert len(pd.read_parquet(files["runs"])) == 3
    (bar,) = bars
    assert isinstance(bar, tqdm_notebook) and bar.n == bar.total == 3
    capsys.readouterr()
