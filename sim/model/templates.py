"""Perception templates: how one possible act moves every trust pair, by component.

A template is the act's readings (:mod:`sim.model.readings`) laid out on the
trust pairs it moves, one row per *group*: a reading component (zone of
tension, cooperation, a lens term…), its sign (hostile or friendly evidence)
and its modifier (Russia reading NATO's reach scales with ``nato_globalism``;
Russia reading NATO's cooperative initiatives with ``sg_entrepreneurship``; a
member's share of Russia's hostile act aimed at a place, beyond the even share,
with ``proximity``).
The core weighs each group by its run's parameters, so one compiled scenario
serves every parameter set of a sweep.

Values are rounded to multiples of 2**-12 so that sums of templates are exact
in float64 whatever their order: a replicate's numbers never depend on the
batch it is computed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from sim.data import tables
from sim.data.geography import proximity_shares
from sim.data.perception import Catalog
from sim.model import readings
from sim.model.readings import Figure1Spec

__all__ = ["GRID", "WEIGHT_GRID", "Group", "TemplateBuilder"]

GRID = 2.0**-12  # template resolution
WEIGHT_GRID = 2.0**-8  # resolution of occurrence weights (threat salience)


@dataclass(frozen=True)
class Group:
    """One row of a template: component, sign (−1 hostile, +1 friendly), modifier."""

    component: str
    sign: int
    modifier: str  # "", "global", "sg" or "near" (a member's share of a threat to a place)


@dataclass
class TemplateBuilder:
    """Builds the templates of a compiled scenario's acts, collecting the groups used.

    Attributes:
        cat: The design tables.
        spec: The scenario's Figure 1 changes.
        states: The scenario's states, in model order.
        pair_index: Directed pair -> index.
        groups: Groups seen so far, in order of first use.
    """

    cat: Catalog
    spec: Figure1Spec
    states: Sequence[tables.State]
    pair_index: dict[tuple[str, str], int]
    alliance: Sequence[str] = ()
    groups: dict[Group, int] = field(default_factory=dict)

    @property
    def width(self) -> int:
        """Columns of one group: the pairs, then spill to members and spill to NATO."""
        return len(self.pair_index) + 2

    def _alliance_rows(
        self, actor: str, action: str, targets: Sequence[str], joined: frozenset[str], put
    ) -> None:
        """How the other members read a member's act (``alliance.csv``)."""
        if actor not in self.alliance:
            return
        tier = {s.code: s.tier for s in self.states}
        rules = {r.reader: r for r in self.cat.alliance if r.action == action}
        if not rules:
            return
        for b in self.alliance:
            if b == actor:
                continue
            if action == "out_of_area_intervention":
                group = "joined" if b in joined else "others"
            elif b in targets and "host" in rules:
                group = "host"
            else:
                group = "new" if tier.get(b) == "new" else "old"
            rule = rules.get(group)
            if rule is not None:
                mag = self.cat.actions[action].magnitude
                put(self.pair_index[(b, actor)], "alliance", rule.value * mag)

    def _group(self, component: str, value: float, lens: str, side: str, near: bool = False) -> int:
        sign = -1 if value < 0 else 1
        mod = ""
        if near:  # a member's share of a threat to a place, beyond the even share
            return self.groups.setdefault(Group(component, -1, "near"), len(self.groups))
        if side != "russia" and component != "alliance":  # modifiers: Russia reading NATO
            if sign < 0 and lens == "global":
                mod = "global"
            elif sign > 0 and lens == "sg":
                mod = "sg"
        return self.groups.setdefault(Group(component, sign, mod), len(self.groups))

    def rows(
        self,
        actor: str,
        action: str,
        targets: Sequence[str],
        joined: frozenset[str] = frozenset(),
        plain: bool = False,
    ) -> dict[int, np.ndarray]:
        """The act's template as group index -> row of pair columns (unrounded).

        ``joined``: the members who did the same act in the same year (a coalition).
        ``plain``: read without the lever modifiers of the action's lens (an act of a
        member outside the alliance's institutions: :mod:`sim.model.routing`).
        """
        act = self.cat.actions[action]
        lens = "none" if plain else act.lens
        side = tables.actor_side(actor, action)
        pi = self.pair_index
        w = self.width
        out: dict[int, np.ndarray] = {}
        codes = {s.code for s in self.states}

        self.last_entries: set[str] = set()

        def put(col: int, component: str, value: float, near: bool = False) -> None:
            if value == 0.0:
                return
            g = self._group(component, value, lens, side, near)
            out.setdefault(g, np.zeros(w))[col] += value

        if side in ("west", "aspirant"):
            self._alliance_rows(actor, action, targets, joined, put)
            for t in readings.terms(action, side, targets, "RUS", self.cat, self.spec):
                self.last_entries.update(t.entry.split(">"))
                if actor == tables.NATO:
                    put(pi[(tables.RUS, tables.NATO)], t.component, t.value)
                    put(w - 2, t.component, t.value)  # spills to Russia's trust in members
                else:
                    put(pi[(tables.RUS, actor)], t.component, t.value)
                    put(w - 1, t.component, t.value)  # spills to Russia's trust in NATO
                for tgt in targets:
                    if tgt in codes and act.complicity:
                        put(pi[(tables.RUS, tgt)], t.component, t.value * act.complicity)
            return out
        hit = {t for t in targets if t in codes}
        for t in readings.terms(action, side, targets, "NATO", self.cat, self.spec):
            put(pi[(tables.NATO, tables.RUS)], t.component, t.value)
            self.last_entries.update(t.entry.split(">"))
        by_reader = {
            r: readings.terms(action, side, targets, r, self.cat, self.spec)
            for r in ("MEMBERS", "ASPIRANT", "TARGET")
        }
        for ts in by_reader.values():
            for t in ts:
                self.last_entries.update(t.entry.split(">"))
        # A hostile act aimed at a place threatens its neighbours most (ODD §4.1): the
        # members who read it as members share it by how near their capitals are to
        # the place (voice-weighted mean 1: the alliance's reading keeps its size),
        # weighted per run by ``proximity``. A friendly act (a deal) is not a threat.
        readers = [
            s
            for s in self.states
            if s.role == "member" and not (s.code in hit and by_reader["TARGET"])
        ]
        share: dict[str, float] = {}
        if act.stance < 0:
            share = proximity_shares(
                [t for t in targets if t != tables.NATO],
                [s.code for s in readers],
                self.cat.proximity_km,
                weights=[s.voice for s in readers],
            )
        for st in self.states:
            if st.code in hit and by_reader["TARGET"]:
                reader, scale = "TARGET", 1.0
            elif st.role == "aspirant":
                reader, scale = "ASPIRANT", 1.0
            else:
                reader = "MEMBERS"
                # a member reads energy pressure by how much it depends on Russian gas
                scale = (0.5 + st.gas_dependence) if action == "energy_pressure" else 1.0
            for t in by_reader[reader]:
                col = pi[(st.code, tables.RUS)]
                put(col, t.component, t.value * scale)
                if reader == "MEMBERS" and t.value < 0 and st.code in share:
                    put(col, t.component, t.value * scale * (share[st.code] - 1.0), near=True)
        return out

    def stack(self, rows: Sequence[dict[int, np.ndarray]]) -> np.ndarray:
        """Templates ``(N, G * W)`` (rounded) for rows built so far, over all groups."""
        g, w = len(self.groups), self.width
        out = np.zeros((len(rows), g, w))
        for i, r in enumerate(rows):
            for gi, vec in r.items():
                out[i, gi] = vec
        return np.round(out.reshape(len(rows), g * w) / GRID) * GRID
