"""Layer 5 — web: the interactive SolaraViz page and the server that hosts it."""
