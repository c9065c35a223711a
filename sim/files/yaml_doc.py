"""YAML input documents, read with the same guarantees as TOML ones.

PyYAML's ``safe_load`` alone accepts what TOML never would and trusts the
input's shape: a key given twice (the last one wins silently), several
documents in one file, aliases that expand a 1 KB file to 10⁹ values, and
nesting deep enough to exhaust the interpreter's stack. :func:`load_yaml`
first walks the file's *event stream* (PyYAML's parser is a state machine, so
this costs no stack) and refuses, with the line and column:

* a second document;
* a ``!!python/...`` tag;
* nesting deeper than :data:`~sim.files.limits.MAX_DEPTH`, aliases included;
* more than :data:`~sim.files.limits.MAX_VALUES` values, counting every use of
  an alias, and an alias inside the very node it names (a cycle);

and only then builds the document, refusing a key that appears twice in one
mapping. Every error is a :class:`YamlError` of one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from sim.files.errors import shown
from sim.files.limits import MAX_DEPTH, MAX_VALUES

__all__ = ["YamlError", "load_yaml"]

_PYTHON_TAG = "tag:yaml.org,2002:python/"


class YamlError(ValueError):
    """What is wrong with a YAML document, in one line (with its line and column)."""


def _at(mark: yaml.Mark | None) -> str:
    return f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""


@dataclass
class _Open:
    """A mapping or sequence being read: its anchor, values and depth so far."""

    anchor: str | None
    values: int = 1
    depth: int = 1


@dataclass
class _Scan:
    """The state of the event walk."""

    stack: list[_Open] = field(default_factory=list)
    anchors: dict[str, tuple[int, int]] = field(default_factory=dict)  # values, depth
    total: int = 0

    def add(self, values: int, depth: int, event: yaml.Event) -> None:
        self.total += values
        if self.total > MAX_VALUES:
            where = _at(event.start_mark)
            raise YamlError(
                f"more than {MAX_VALUES:,} values (counting every use of an alias){where}"
            )
        if len(self.stack) + depth > MAX_DEPTH + 1:
            raise YamlError(f"nested deeper than {MAX_DEPTH} levels{_at(event.start_mark)}")
        if self.stack:
            top = self.stack[-1]
            top.values += values
            top.depth = max(top.depth, depth + 1)


def _prescan(text: str) -> None:
    scan = _Scan()
    documents = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        tag = getattr(event, "tag", None)
        if isinstance(tag, str) and tag.startswith(_PYTHON_TAG):
            raise YamlError(f"python tags are not allowed ({tag}){_at(event.start_mark)}")
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise YamlError(
                    f"a second document{_at(event.start_mark)}; a file holds one document"
                )
        elif isinstance(event, yaml.ScalarEvent):
            scan.add(1, 0, event)
            if event.anchor is not None:
                scan.anchors[event.anchor] = (1, 0)
        elif isinstance(event, yaml.AliasEvent):
            if any(o.anchor == event.anchor for o in scan.stack):
                raise YamlError(
                    f"alias *{event.anchor} lies inside the node it names{_at(event.start_mark)}"
                )
            values, depth = scan.anchors.get(event.anchor, (1, 0))
            scan.add(values, depth, event)
        elif isinstance(event, yaml.CollectionStartEvent):
            if len(scan.stack) >= MAX_DEPTH + 1:
                raise YamlError(f"nested deeper than {MAX_DEPTH} levels{_at(event.start_mark)}")
            scan.stack.append(_Open(event.anchor))
        elif isinstance(event, yaml.CollectionEndEvent):
            done = scan.stack.pop()
            if done.anchor is not None:
                scan.anchors[done.anchor] = (done.values, done.depth)
            scan.total += 1
            if scan.stack:
                top = scan.stack[-1]
                top.values += done.values
                top.depth = max(top.depth, done.depth + 1)


class _Loader(yaml.SafeLoader):
    """``SafeLoader`` that refuses a key given twice in one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            try:
                fresh = key not in seen
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "found unhashable key", key_node.start_mark
                ) from None
            if not fresh:
                raise YamlError(f"key {shown(key)} is given twice{_at(key_node.start_mark)}")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str) -> Any:
    """Parse one YAML document within the limits above.

    Raises:
        YamlError: For a second document, a python tag, too deep a nesting,
            too many values, an alias cycle or a duplicate key.
        yaml.YAMLError: For malformed YAML.
    """
    _prescan(text)
    return yaml.load(text, Loader=_Loader)
