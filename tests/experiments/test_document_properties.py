"""Property tests: any nested, oversized or mistyped document is a clean InputError, never a crash.

For each schema (scenario, sweep experiment, calibration experiment) a valid
document is taken and one to three of its values — anywhere in it, or under a
new key — are replaced by something hostile: a value of another type, a number
too large for a float, a structure nested dozens of levels deep, a string or
list far larger than any real file holds. The document is written as TOML or
YAML and loaded as the command line would load it. The only acceptable
outcomes are success and :class:`~sim.files.errors.InputError` with a message
of one bounded line.
"""

from __future__ import annotations

import copy
import datetime
import tempfile
from pathlib import Path
from typing import Any

import pytest
import tomlkit
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.experiments.schema import load_experiment
from sim.experiments.size import check_design
from sim.files.errors import InputError
from sim.model.compile import compile_scenario
from sim.model.resolve import load_scenario

SCENARIO: dict[str, Any] = {
    "name": "mine",
    "extends": "historical",
    "seed": 3,
    "description": "a counterfactual",
    "time": {"start": 1991, "end": 2012},
    "parameters": {"nrc_share": 0.5, "memory": 0.2},
    "actors": {"exclude": ["GEO"]},
    "shocks": [{"year": 2003, "kind": "threat", "theme": "piracy", "magnitude": 1.5}],
    "forbid": [{"action": "use_of_force", "actor": "RUS", "from": 2000}],
    "figure1": {"swap_lenses": False},
}
SWEEP: dict[str, Any] = {
    "name": "mine",
    "scenario": "historical",
    "design": "lhs",
    "n": 4,
    "replicates": 2,
    "seed": 1,
    "chunk_size": 8,
    "outcomes": ["final_trust_rus_nato", "crises"],
    "trajectories": "headline",
    "levers": [{"name": "nrc_share", "low": 0.0, "high": 1.0}],
    "uncertainties": [{"name": "memory", "values": [0.1, 0.2]}],
}
CALIBRATION: dict[str, Any] = {
    "kind": "calibration",
    "name": "cal",
    "scenario": "historical",
    "seed": 1,
    "replicates": 2,
    "years": [1991, 2000],
    "confidence": 0.9,
    "abc": {"particles": 10, "generations": 1, "quantile": 0.5},
    "split": {"train": [1991, 1997], "test": [1998, 2000]},
    "out_of_sample": {"end": 2020},
    "targets": [
        {"series": "mean_dist_rus_nato_members_all", "observer": "RUS", "target": "NATO"},
    ],
    "parameters": [{"name": "memory", "low": 0.0, "high": 0.5}],
}


def _nest(value: Any, depth: int, as_table: bool) -> Any:
    for _ in range(depth):
        value = {"k": value} if as_table else [value]
    return value


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.integers(min_value=2**64, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 1, 1)),
)
mixed = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
deep = st.builds(_nest, scalars, st.integers(min_value=12, max_value=120), st.booleans())
oversized = st.sampled_from(
    [
        "x" * 300_000,
        list(range(20_000)),
        {f"k{i}": i for i in range(20_000)},
        [[0.5] * 50] * 2500,  # 125,000 values
        "y" * (2 << 20),  # a file over the size limit
    ]
)
hostile = st.one_of(scalars, mixed, deep, oversized)


def _mutate(data: st.DataObject, doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with one value, somewhere in it (or under a new key), replaced by a hostile one."""
    doc = copy.deepcopy(doc)
    node: Any = doc
    while True:
        keys: list[Any] = sorted(node) if isinstance(node, dict) else list(range(len(node)))
        if isinstance(node, dict):
            keys.append(None)  # a new key
        key = data.draw(st.sampled_from(keys)) if keys else None
        if key is None:
            name = data.draw(st.text(min_size=1, max_size=12))
            if isinstance(node, dict):
                node[name] = data.draw(hostile)
            else:
                node.append(data.draw(hostile))
            return doc
        child = node[key]
        if isinstance(child, dict | list) and child and data.draw(st.booleans()):
            node = child
            continue
        node[key] = data.draw(hostile)
        return doc


def _write(data: st.DataObject, doc: dict[str, Any], folder: Path) -> Path:
    text = yaml.safe_dump(doc, allow_unicode=True)  # shared lists become YAML aliases
    # tomlkit takes seconds for the largest values: those are written as YAML only
    if len(text) < 50_000 and data.draw(st.booleans(), label="toml"):
        try:
            text = tomlkit.dumps(doc)
        except Exception:  # what TOML cannot say (null, nesting tomlkit refuses): YAML
            pass
        else:
            path = folder / "doc.toml"
            path.write_text(text)
            return path
    path = folder / "doc.yaml"
    path.write_text(text)
    return path


def _clean(exc: InputError) -> None:
    text = str(exc)
    assert "\n" not in text and "\r" not in text
    assert len(text) < 1200
    assert exc.path is not None  # it names the file


SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _check(data: st.DataObject, base: dict[str, Any], load: Any) -> None:
    doc = base
    for _ in range(data.draw(st.integers(min_value=1, max_value=3), label="mutations")):
        doc = _mutate(data, doc)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            path = _write(data, doc, Path(tmp))
        except RecursionError:  # too deep for PyYAML's writer: nothing to test
            return
        try:
            load(path)
        except InputError as exc:
            _clean(exc)


def _scenario(path: Path) -> None:
    compile_scenario(load_scenario(path))


def _sweep(path: Path) -> None:
    check_design(load_experiment(path, "sweep").spec, path)


def _calibration(path: Path) -> None:
    load_experiment(path, "calibration")


@pytest.mark.parametrize(
    ("base", "load"), [(SCENARIO, _scenario), (SWEEP, _sweep), (CALIBRATION, _calibration)]
)
def test_the_valid_documents_load(base: dict[str, Any], load: Any, tmp_path: Path) -> None:
    path = tmp_path / "doc.toml"
    path.write_text(tomlkit.dumps(base))
    load(path)


@SETTINGS
@given(st.data())
def test_any_scenario_is_loaded_or_a_clean_input_error(data: st.DataObject) -> None:
    _check(data, SCENARIO, _scenario)


@SETTINGS
@given(st.data())
def test_any_sweep_experiment_is_loaded_or_a_clean_input_error(data: st.DataObject) -> None:
    _check(data, SWEEP, _sweep)


@SETTINGS
@given(st.data())
def test_any_calibration_is_loaded_or_a_clean_input_error(data: st.DataObject) -> None:
    _check(data, CALIBRATION, _calibration)
