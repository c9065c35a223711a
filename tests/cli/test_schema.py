"""``natosim schema scenario|experiment``: JSON Schemas every bundled file conforms to."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from sim.cli.main import main
from tests.paths import ROOT

try:
    import jsonschema
except ImportError:  # pragma: no cover - jsonschema comes with the dependencies
    jsonschema = None

SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))
EXPERIMENTS = sorted((ROOT / "experiments").glob("*.toml"))


def printed(what: str, capsys: pytest.CaptureFixture[str]) -> dict:
    assert main(["schema", what]) == 0
    return json.loads(capsys.readouterr().out)


def conforms(schema: dict, data: dict) -> list[str]:
    """Errors of ``data`` against ``schema`` (jsonschema, else the top-level keys)."""
    if jsonschema is not None:
        validator = jsonschema.Draft202012Validator(schema)
        return [e.message for e in validator.iter_errors(data)]
    subs = [schema["$defs"][s["$ref"].split("/")[-1]] for s in schema.get("oneOf", [])]
    allowed = [set(s["properties"]) for s in subs or [schema]]
    return [] if any(set(data) <= a for a in allowed) else [f"keys {sorted(data)}"]


@pytest.fixture(scope="module")
def schemas() -> dict[str, dict]:
    from sim.experiments.schema import experiment_json_schema
    from sim.model.scenario_schema import scenario_json_schema

    return {"scenario": scenario_json_schema(), "experiment": experiment_json_schema()}


@pytest.mark.parametrize("what", ["scenario", "experiment"])
def test_schema_command_prints_the_schema(what, schemas, capsys) -> None:
    schema = printed(what, capsys)
    assert schema == json.loads(json.dumps(schemas[what]))
    assert schema["title"] == f"natosim {what}"
    if jsonschema is not None:
        jsonschema.Draft202012Validator.check_schema(schema)


def test_experiment_schema_has_both_kinds(schemas) -> None:
    schema = schemas["experiment"]
    kinds = {
        schema["$defs"][s["$ref"].split("/")[-1]]["properties"]["kind"]["const"]
        for s in schema["oneOf"]
    }
    assert kinds == {"sweep", "calibration"}


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_bundled_scenario_conforms(path: Path, schemas) -> None:
    assert conforms(schemas["scenario"], tomllib.loads(path.read_text())) == []


@pytest.mark.parametrize("path", EXPERIMENTS, ids=lambda p: p.stem)
def test_every_bundled_experiment_conforms(path: Path, schemas) -> None:
    assert conforms(schemas["experiment"], tomllib.loads(path.read_text())) == []


@pytest.mark.parametrize(
    ("what", "data"),
    [
        ("scenario", {"name": "x"}),  # no time span and nothing to extend
        ("scenario", {"extends": "historical", "parameters": {"warp": 1.0}}),
        ("scenario", {"extends": "historical", "parameters": {"memory": 7.0}}),
        ("experiment", {"name": "x", "scenario": "historical", "design": "grid", "foo": 1}),
        ("experiment", {"kind": "calibration", "name": "x", "scenario": "historical"}),
    ],
)
def test_the_schemas_reject_bad_files(what, data, schemas) -> None:
    if jsonschema is None and what == "scenario":
        pytest.skip("needs jsonschema")
    assert conforms(schemas[what], data) != []


def test_schema_of_an_unknown_kind_is_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["schema", "sweep"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
