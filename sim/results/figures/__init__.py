"""Figures drawn from result tables (never from a model).

Every function takes pandas DataFrames with the columns of the files on disk
(``trajectory.csv``: ``replicate, year, observer, target, trust``; ``events.csv``;
a sweep's ``runs.parquet`` and ``sensitivity.csv``; a calibration's ``fit.csv``),
so a figure can be redrawn from files alone. Each ``*_figure`` function returns
the matplotlib figure; the function without the suffix saves it (:func:`savefig`).

Modules: :mod:`.style` (the palette, pair labels, ``savefig``), :mod:`.events`
(the one event strip), and one per figure: :mod:`.fan`, :mod:`.compare`,
:mod:`.heatmap`, :mod:`.sensitivity`, :mod:`.calibration`.
"""

from __future__ import annotations

from sim.results.figures.calibration import calibration_figure, calibration_fit
from sim.results.figures.compare import compare_figure, compare_scenarios
from sim.results.figures.events import event_strip
from sim.results.figures.fan import (
    bands,
    out_of_sample_fan,
    out_of_sample_figure,
    trust_fan,
    trust_fan_figure,
)
from sim.results.figures.heatmap import heatmap, heatmap_figure
from sim.results.figures.sensitivity import sensitivity_bars, sensitivity_figure
from sim.results.figures.style import COLORS, HEADLINE, PALETTE, pair_label, savefig

__all__ = [
    "COLORS",
    "HEADLINE",
    "PALETTE",
    "bands",
    "calibration_figure",
    "calibration_fit",
    "compare_figure",
    "compare_scenarios",
    "event_strip",
    "heatmap",
    "heatmap_figure",
    "out_of_sample_fan",
    "out_of_sample_figure",
    "pair_label",
    "savefig",
    "sensitivity_bars",
    "sensitivity_figure",
    "trust_fan",
    "trust_fan_figure",
]
