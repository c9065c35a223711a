"""Calibration against UN General Assembly voting data (ABC-SMC).

Model-free pieces:

* :mod:`.mapping`: the decreasing affine map trust → distance, its statistics
  (``FitStats``), the losses and the split check;
* :mod:`.population`: ABC populations, posterior summaries, weighted quantiles;
* :mod:`.abc_smc`: the ABC-SMC engine (and why it is our own: a benchmark
  against pyabc in its docstring).

Tied to the model:

* :mod:`.spec`: the ``kind = "calibration"`` experiment file;
* :mod:`.experiment`: that file resolved against its scenario and the data
  (and where the calibrated scenario is written);
* :mod:`.simulator`: parameters → per-year median trust (common random numbers);
* :mod:`.tolerance`: the final tolerance (Beale's F-criterion);
* :mod:`.windows`: one window fitted: posterior and point estimate;
* :mod:`.member_check`: why the member-level data are not a target;
* :mod:`.calibrate`: :func:`~.calibrate.calibrate`, the whole experiment.

Files are written by :mod:`sim.results.calibration_report`,
:mod:`sim.results.calibrated_scenario` and :mod:`sim.cli.calibrate`.
"""
