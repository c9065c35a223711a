"""Layer 0 — files: reading input documents and writing results safely.

The project's only contact with the file system for its own formats: input
documents (TOML, YAML, JSON manifests) are read here by one bounded reader
(``documents``, ``reading``, ``yaml_doc``; limits in ``limits``), errors are
formatted by one formatter (``errors``), results are written atomically
(``atomic``), sweep parts are stored crash-safely (``parts``) under a folder
lock (``lock``), and memory and disk are measured for size checks
(``resources``). Imports nothing from the rest of ``sim``.
"""
