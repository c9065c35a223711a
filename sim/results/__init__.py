"""Layer 4 — results: run directories, readers of run and sweep folders, figures, reports.

Takes tables (and the scenario they came from), never re-runs a model to draw.
"""
