"""``natosim evaluate``: the evidence for each claim the model makes, against null models.

Modules: :mod:`~.panel` (trust arrays by pair and year, on the model's
``TrustView``), :mod:`~.checks` (the narrative checks, shared with the tests),
:mod:`~.metrics` (cycles, R², skill), :mod:`~.variants` (the same runs without
choices, without scheduled history, far ahead), :mod:`~.baseline` (the scenario's
own runs, simulated once and shared by every section), :mod:`~.nulls` (null models
of the data), :mod:`~.data_fit` (targets and years from the calibration experiment),
:mod:`~.robustness`, :mod:`~.parameters` and :mod:`~.evaluate` (the whole
evaluation as one JSON-ready dict). It measures; it never tunes.
"""
