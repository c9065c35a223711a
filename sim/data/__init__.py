"""Layer 1 — data: the inputs the model is built from, and where they live.

Figure 1 of Kanet & Larivé (2012), the states, the dated timeline (``seeds/``),
the action catalogue and perception rules (``catalog/``), the UN voting data,
and the bundled scenarios and experiments — found in a checkout or inside an
installed wheel alike (:mod:`sim.data.locate`). Inputs only: no model logic.
"""
