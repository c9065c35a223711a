"""Calibration against UN General Assembly voting data (ABC-SMC)."""
