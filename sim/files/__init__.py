"""Layer 0 — files: reading input documents and writing results safely.

The project's only contact with the file system for its own formats: input
documents (TOML, YAML) are read here with one set of checks, results are
written atomically, sweep parts are stored crash-safely. Imports nothing
from the rest of ``sim``.
"""
