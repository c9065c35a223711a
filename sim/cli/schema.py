"""``natosim schema scenario|experiment``: print the JSON Schema of a kind of input file.

For editors (e.g. taplo or the YAML language server): the schema says which
keys a file may have, their types and ranges, and which are required.
"""

from __future__ import annotations

import argparse
import json


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of scenario or experiment files."""
    if args.what == "scenario":
        from sim.model.scenario_schema import scenario_json_schema

        schema = scenario_json_schema()
    else:
        from sim.experiments.schema import experiment_json_schema

        schema = experiment_json_schema()
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``schema`` to the ``natosim`` parser."""
    p = sub.add_parser(
        "schema",
        help="print the JSON Schema of scenario or experiment files (for editors)",
        description="Print the JSON Schema of a kind of input file, for editors.",
    )
    p.add_argument("what", choices=("scenario", "experiment"), help="which kind of file")
    p.set_defaults(func=cmd_schema)
