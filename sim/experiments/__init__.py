"""Layer 3 — experiments: designs, executors, sweeps with resume, sensitivity, calibration.

Everything that runs the model many times. Builds on :mod:`sim.model`; stores
its parts through :mod:`sim.files`.
"""
