"""The calibration kind of experiment file (``kind = "calibration"``).

One of the two kinds of :mod:`sim.experiments.schema`: what to fit (``[[parameters]]``,
uniform priors as :class:`~sim.experiments.ranges.ParamRange` of kind ``prior``),
against which data (``[[targets]]``: one UNGA ideal-point series and one directed
trust pair each), over which years, and with which ABC-SMC settings (``[abc]``),
plus the optional split check (``[split]``) and continued run
(``[out_of_sample]``). This module is only the file's shape; the checks that need
the data and the base scenario are in :mod:`sim.experiments.calibration.experiment`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from sim.data.unga import FIRST_RUSSIAN_YEAR
from sim.experiments.ranges import Prior
from sim.files.limits import MAX_NAME_CHARS

#: What a name may be (it becomes a folder: ``runs/<name>``; never ``.`` or ``..``).
NAME_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$"

__all__ = ["AbcSpec", "CalibrationSpec", "OutOfSampleSpec", "SplitSpec", "TargetSpec"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TargetSpec(_Strict):
    """One observed series and the directed trust pair it is compared with."""

    series: str
    observer: str
    target: str


class AbcSpec(_Strict):
    """Settings of ABC-SMC (see :func:`sim.experiments.calibration.abc_smc.abc_smc`)."""

    particles: int = Field(default=200, ge=10, le=100_000, strict=True)
    generations: int = Field(default=8, ge=1, le=50, strict=True)
    quantile: float = Field(default=0.5, gt=0.0, lt=1.0, strict=True)
    max_simulations_per_generation: int | None = Field(
        default=None, ge=10, le=100_000_000, strict=True
    )


class SplitSpec(_Strict):
    """Fit on ``train`` years only, check on ``test`` years."""

    train: tuple[StrictInt, StrictInt]
    test: tuple[StrictInt, StrictInt]


class OutOfSampleSpec(_Strict):
    """Continue the fitted scenario to ``end`` (no data after the fit window are used).

    ``scenario``: a scenario (file relative to the experiment file, or a bundled
    name) that is the record continued, with its own inputs after the fit window
    (events, shocks such as a new leader), run with the fitted parameters. It must
    start where the base scenario starts, end at ``end``, and have the base's
    scheduled events and shocks in the base's years (a continuation adds what comes
    after; it does not rewrite the record). Without it the base
    scenario is run on to ``end`` (the timeline's later events, no later shock).
    """

    end: int = Field(ge=1949, le=2100, strict=True)
    scenario: str | None = Field(default=None, min_length=1)


class CalibrationSpec(_Strict):
    """A calibration experiment file (``experiments/calibration.toml``).

    ``scenario_out`` is resolved relative to the file and must stay inside the
    file's project folder (the folder above the experiment's folder); see
    :func:`sim.experiments.calibration.experiment.resolve_calibration`.
    """

    kind: Literal["calibration"] = "calibration"
    name: str = Field(min_length=1, max_length=MAX_NAME_CHARS, pattern=NAME_PATTERN)
    description: str = ""
    scenario: str = Field(min_length=1)
    scenario_out: str | None = None
    seed: int = Field(default=0, ge=0, le=2**63 - 1, strict=True)
    replicates: int = Field(default=20, ge=1, le=10_000, strict=True)
    report_replicates: int = Field(default=40, ge=1, le=10_000, strict=True)
    years: tuple[StrictInt, StrictInt] = (FIRST_RUSSIAN_YEAR, 2012)
    confidence: float = Field(default=0.90, gt=0.0, lt=1.0, strict=True)
    targets: tuple[TargetSpec, ...] = Field(min_length=1)
    parameters: tuple[Prior, ...] = Field(min_length=1)
    abc: AbcSpec = AbcSpec()
    split: SplitSpec | None = None
    out_of_sample: OutOfSampleSpec | None = None
