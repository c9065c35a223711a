"""The limits on what natosim accepts, and why (the README's "Limits" table).

Every input file is read through :func:`sim.files.documents.read_document`,
which enforces the first group; the run and sweep sizes are checked before
anything runs (:mod:`sim.model.size`, :mod:`sim.experiments.size`).
"""

from __future__ import annotations

__all__ = [
    "MAX_DEPTH",
    "MAX_DOCUMENT_BYTES",
    "MAX_INT_BITS",
    "MAX_MANIFEST_BYTES",
    "MAX_NAME_CHARS",
    "MAX_RUN_REPLICATES",
    "MAX_SWEEP_RUNS",
    "MAX_VALUES",
]

#: Largest input document (scenario, experiment): the largest bundled one is
#: under 4 KB; 1 MiB leaves room for any hand-written file.
MAX_DOCUMENT_BYTES = 1 << 20
#: Largest ``manifest.json`` read back by ``natosim plot`` (a run of 100,000
#: replicates records 100,000 seeds: about 2 MB).
MAX_MANIFEST_BYTES = 16 << 20
#: Deepest nesting of tables and lists below the top level: the schemas need 3
#: (``events[0].targets[0]``).
MAX_DEPTH = 16
#: Most values (scalars, tables and lists) in one document, counting every
#: use of a YAML alias: a 1 KB file of aliases can otherwise stand for 10⁹.
MAX_VALUES = 100_000
#: Widest integer in a document: seeds are 63-bit; anything wider is no
#: model's number and cannot always become a float.
MAX_INT_BITS = 64
#: Longest scenario or experiment name: it becomes a folder name (``runs/<name>``),
#: and file systems allow 255 bytes, less our temporary files' affixes.
MAX_NAME_CHARS = 128
#: Most replicates of one ``natosim run`` (all of them are held in memory;
#: ``natosim sweep`` works in chunks and is the tool for more).
MAX_RUN_REPLICATES = 100_000
#: Most runs of one sweep (design points × replicates): 10⁸ runs take days on
#: a workstation and fill tens of GB; larger designs are refused up front.
MAX_SWEEP_RUNS = 100_000_000
