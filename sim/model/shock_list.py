"""A scenario's shocks as listed: their names as acts, and which of them happen.

A shock happens when it lies in the time span and no ``[[remove]]`` takes it
out; a ``remove`` takes out shocks under the names ``events.csv`` gives them
(:data:`SHOCK_ACTIONS`), as it takes out events under their actions.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.model.scenario import Scenario, ShockSpec

__all__ = [
    "SHOCK_ACTIONS",
    "WORLD",
    "ListedShock",
    "listed_shocks",
    "scheduled_shocks",
    "shock_act",
]

#: The names shocks go by as acts (``events.csv``), by kind; ``[[remove]]`` takes
#: a shock out under the same name.
SHOCK_ACTIONS: dict[str, str] = {
    "threat": "threat_shock",
    "leadership": "leadership_change",
    "course": "course_change",
    "domestic": "domestic_turn",
}

#: The actor of a threat shock as an act: the world, not a state.
WORLD = "WORLD"


def shock_act(sh: ShockSpec) -> tuple[int, str, str, tuple[str, ...]]:
    """A shock as the act ``events.csv`` records: ``(year, actor, action, targets)``.

    A threat is the world's (``WORLD``) and its target the theme; a change of
    leader or course, and a state's own turn, are the state's own (actor and
    target both its code).
    """
    action = SHOCK_ACTIONS[sh.kind]
    if sh.kind == "threat":
        return sh.year, WORLD, action, (sh.theme or "",)
    return sh.year, sh.actor or "", action, (sh.actor or "",)


@dataclass(frozen=True)
class ListedShock:
    """A shock as listed, with its fate.

    Attributes:
        shock: The shock.
        index: Its index in the resolved ``shocks``.
        removed_by: Index of the first ``remove`` entry that matches it, if any.
        in_span: Whether its year lies within the time span.
    """

    shock: ShockSpec
    index: int
    removed_by: int | None
    in_span: bool

    @property
    def kept(self) -> bool:
        """Whether the shock happens (in the span and not removed)."""
        return self.in_span and self.removed_by is None


def listed_shocks(s: Scenario) -> list[ListedShock]:
    """Every shock the scenario lists, in file order, with its fate.

    A ``remove`` entry whose action is a shock's name (:data:`SHOCK_ACTIONS`)
    takes out the shocks it matches, as one with an act's name takes out events;
    an entry without an action takes out events only.
    A shock outside the time span does not happen (a scenario that shortens its
    parent's span leaves the parent's later shocks out).
    """
    out = []
    names = set(SHOCK_ACTIONS.values())
    for i, sh in enumerate(s.shocks):
        year, actor, action, targets = shock_act(sh)
        removed_by = next(
            (
                j
                for j, m in enumerate(s.remove)
                if m.action in names and m.matches(year, actor, action, targets)
            ),
            None,
        )
        out.append(ListedShock(sh, i, removed_by, s.time.start <= sh.year <= s.time.end))
    return out


def scheduled_shocks(s: Scenario) -> list[ShockSpec]:
    """The shocks that happen: within the time span and not removed, in file order."""
    return [x.shock for x in listed_shocks(s) if x.kept]
