"""Where the shared agenda is handled: in the NATO-Russia forum or bilaterally (``nrc_share``).

Figure 1 gives the two sides different channels for the same business. NATO's
strategy to increase cooperation is the forum (``N.increase.nrc_rejuvenation``,
``N.strategy.nato_russia_cooperation``); Russia's is bilateral negotiation with
the key members outside it (``R.increase.bilateral_key_members``). The channel
decides whom Russia credits for the West's part of the shared agenda — the
joint actions against common threats, column ``agenda`` of
``sim/data/catalog/actions.csv``. NATO's joint act toward Russia is read in one
of two forms:

- **in the forum** (share ``nrc_share``): as the act itself, between NATO and
  Russia, with the readings its own Figure 1 tags give;
- **bilaterally** (share ``1 - nrc_share``): as the same business done by each
  key member with Moscow in its own channel. Russia reads it in its trust in each
  of them and hears of it in the alliance once, as of any member's act
  (``alliance_spill``). It is read without the lever modifiers: the secretary
  general does not speak for a member's own channel. The readings of a political
  deal over the allies' heads (bypassing, partnership) are not added: they belong
  to the timeline's deals, not to joint action against a shared threat.

While there is no forum (``inst`` at or below ``FORUM_OPEN``) all of it is
bilateral. Russia's part of the business is read by the West alike in either
channel: the alliance credits Russia's cooperation wherever it is given — the
record's case is Russia's largely bilateral support after 9/11, which the
alliance answered with the NATO-Russia Council of 2002 (KL2012, History of
NATO-Russian Relations). A form in which only the key members read Russia's part
was tried and dropped: it left the alliance blind to that support (docs/ODD.md).

So the lever changes *what Russia reads*, not only how much the forum damps
hostile shocks (``nrc_buffer``). The two forms are built here as templates; the
core blends them per replicate (:func:`sim.model.core.step`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim.data import tables
from sim.model.slots import Occurrence
from sim.model.templates import TemplateBuilder

__all__ = ["bilateral_rows", "is_routed", "routed_rows"]


def is_routed(o: Occurrence, actions: dict[str, tables.Action]) -> bool:
    """Whether an act is NATO's part of the shared agenda with Russia."""
    return actions[o.action].agenda and o.actor == tables.NATO and o.targets == (tables.RUS,)


def bilateral_rows(
    builder: TemplateBuilder, o: Occurrence, key_members: Sequence[str]
) -> tuple[dict[int, np.ndarray], set[str]]:
    """The bilateral form of a routed act, as group index -> row of pair columns.

    NATO's act as done by every key member, the spill to Russia's trust in NATO
    counted once.

    Args:
        builder: The scenario's template builder.
        o: A routed act (:func:`is_routed`).
        key_members: The key members present in the scenario (at least one).

    Returns:
        The template rows (unrounded, like :meth:`TemplateBuilder.rows`) and the
        Figure 1 entries they read.
    """
    out: dict[int, np.ndarray] = {}
    entries: set[str] = set()
    w = builder.width
    for k in key_members:  # outside the alliance's institutions: no lever modifier
        for g, vec in builder.rows(k, o.action, (o.targets[0],), plain=True).items():
            out[g] = out.get(g, np.zeros(w)) + vec
        entries |= builder.last_entries
    for vec in out.values():  # the alliance hears of it once, not once per member
        vec[w - 1] /= len(key_members)
    return out, entries


def routed_rows(
    builder: TemplateBuilder,
    occs: Sequence[Occurrence],
    actions: dict[str, tables.Action],
    key_members: Sequence[str],
) -> tuple[np.ndarray, list[dict[int, np.ndarray]], list[set[str]]]:
    """Which of ``occs`` are routed, their bilateral forms, and the entries each reads.

    Returns:
        ``(mask, rows, entries)``: a bool mask over ``occs``, then one template
        (rows) and one set of Figure 1 entries per routed act, in order. With no key
        member in the scenario nothing is routed.
    """
    mask = np.array([bool(key_members) and is_routed(o, actions) for o in occs], dtype=bool)
    rows, entries = [], []
    for o, routed in zip(occs, mask, strict=True):
        if routed:
            form, used = bilateral_rows(builder, o, key_members)
            rows.append(form)
            entries.append(used)
    return mask, rows, entries
