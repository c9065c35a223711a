"""Layer 2 — model: parameters, scenarios, the array core and ``run(scenario, seed)``.

Pure: the model writes no files and draws nothing. Its Mesa view
(:class:`~sim.model.mesa_model.DiplomacyModel`) runs the same core with one
replicate.
"""
