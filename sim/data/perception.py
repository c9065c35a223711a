"""The tables from which every reading of an act is computed (``sim/data/catalog/``).

- ``tags.csv``: for each action (and acting side, optionally a target or a
  reader), the Figure 1 entries it engages, with ``sign`` +1 (it does what the
  entry names) or −1 (it undoes or withdraws it), and why;
- ``lenses.csv``: what each "perception of the other" entry does to its
  reader (the lens mechanisms) and which of the other side's entries it acts on;
- ``overrides.csv``: the readings that remain hand-set, each with its reason;
- ``alliance.csv``: how members read each other's acts (the alliance's own
  politics, which Figure 1 does not cover; hand-set, each with its reason).

This module only reads them; :mod:`sim.model.readings` computes readings.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sim.data.geography import PROXIMITY_KM
from sim.data.locate import catalog_dir
from sim.data.tables import Action, _rows, _split, actions

__all__ = [
    "AllianceRule",
    "Catalog",
    "Lens",
    "Override",
    "Tag",
    "alliance_rules",
    "catalog",
    "lenses",
    "overrides",
    "tags",
]


@dataclass(frozen=True)
class Tag:
    """One Figure 1 entry an act engages."""

    action: str
    side: str  # acting side: west, russia or aspirant
    target: str  # "" or the target the tag applies to
    reader: str  # "" or the only reader that uses it
    entry: str
    sign: int
    why: str


@dataclass(frozen=True)
class Lens:
    """What one "perception of the other" entry does to the reader who holds it."""

    entry: str
    mechanism: str  # gain, bloc, reach, suspicion, face_value, declining
    acts_on: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class Override:
    """A reading that is not computed from the figure (hand-set, with its reason)."""

    action: str
    side: str
    reader: str
    value: float
    entry: str
    why: str


@cache
def tags() -> tuple[Tag, ...]:
    """The Figure 1 entries each act engages."""
    return tuple(
        Tag(r["action"], r["side"], r["target"], r["reader"], r["entry"], int(r["sign"]), r["why"])
        for r in _rows(catalog_dir() / "tags.csv")
    )


@cache
def lenses() -> tuple[Lens, ...]:
    """The lens mechanisms of the "perception of the other" entries."""
    return tuple(
        Lens(r["entry"], r["mechanism"], _split(r["acts_on"]), r["why"])
        for r in _rows(catalog_dir() / "lenses.csv")
    )


@cache
def overrides() -> tuple[Override, ...]:
    """The hand-set readings that remain."""
    return tuple(
        Override(r["action"], r["side"], r["reader"], float(r["value"]), r["entry"], r["why"])
        for r in _rows(catalog_dir() / "overrides.csv")
    )


@dataclass(frozen=True)
class AllianceRule:
    """How a member reads another member's act (the alliance's own politics, hand-set).

    ``reader`` is a group relative to the act: ``joined`` (did the same act that
    year), ``others`` (did not), ``old`` / ``new`` (by tier) or ``host`` (a target).
    """

    action: str
    reader: str
    value: float
    why: str


@cache
def alliance_rules() -> tuple[AllianceRule, ...]:
    """How members read each other's acts (``alliance.csv``)."""
    return tuple(
        AllianceRule(r["action"], r["reader"], float(r["value"]), r["why"])
        for r in _rows(catalog_dir() / "alliance.csv")
    )


@dataclass(frozen=True)
class Catalog:
    """The design tables together: actions, Figure 1 tags, lenses and overrides.

    :func:`catalog` gives the shipped tables; a modified copy (perturbed numbers
    in ``natosim evaluate``) can be handed to the compiler instead.
    """

    actions: dict[str, Action]
    tags: tuple[Tag, ...]
    lenses: tuple[Lens, ...]
    overrides: tuple[Override, ...]
    alliance: tuple[AllianceRule, ...] = ()
    #: distance (km) over which a member's share of a threat to a place falls by e
    #: (:mod:`sim.data.geography`)
    proximity_km: float = PROXIMITY_KM


@cache
def catalog() -> Catalog:
    """The shipped design tables."""
    return Catalog(actions(), tags(), lenses(), overrides(), alliance_rules())
