"""The JSON Schema of scenario files, for editors (``natosim schema scenario``)."""

from __future__ import annotations

from typing import Any

__all__ = ["scenario_json_schema"]


def scenario_json_schema() -> dict[str, Any]:
    """JSON Schema of scenario *files*, for editors (``natosim schema scenario``).

    The resolved :class:`~sim.model.scenario.Scenario`'s schema, plus what a file
    may say that a resolved scenario does not: ``extends`` (a file that extends
    another needs none of the otherwise required keys), and the model's
    parameters with their admissible ranges under ``[parameters]``.
    """
    from sim.model import params as P
    from sim.model.scenario import Scenario

    schema = Scenario.model_json_schema()
    schema["title"] = "natosim scenario"
    props = schema["properties"]
    props["extends"] = {
        "title": "Extends",
        "type": "string",
        "description": "parent scenario: a file relative to this one, or a bundled name",
    }
    props["parameters"] = {
        "title": "Parameters",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            p.name: {"type": "number", "minimum": p.low, "maximum": p.high, "description": p.doc}
            for p in P.PARAMS
        },
    }
    required = schema.pop("required", [])
    if required:
        schema["if"] = {"not": {"required": ["extends"]}}
        schema["then"] = {"required": required}
    return schema
