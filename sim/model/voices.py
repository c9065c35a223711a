"""The alliance's members heard together: voice-weighted sums and the harshest member.

NATO's view of Russia — in its choices (:func:`sim.model.decide.nato_decision_trust`)
and in its reading of Russia's acts (:func:`sim.model.perceive.collective_reading`) —
blends its own with its current members': their mean weighted by voice and the
lowest of them. Both come from :func:`over_members`, which works on every state at
once and keeps the order of the sums fixed (state by state, as the states are
listed), so a replicate's numbers never depend on its batch.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["over_members"]


def over_members(
    voice: np.ndarray, member: np.ndarray, values: Sequence[np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Voice-weighted sums, the total voice and the lowest value over the members.

    Args:
        voice: Each state's voice ``(S,)``.
        member: Who is a member ``(R, S)`` (bool).
        values: ``V`` arrays ``(R, S)``, one value per replicate and state.

    Returns:
        ``(sums, total, lowest)``: for each value the sum over states of voice times
        membership times value ``(V, R)``; the sum of voice times membership ``(R,)``;
        and for each value its minimum over the members ``(V, R)`` (``inf`` with none).
        Every sum starts from zero and adds the states one by one in their order.
    """
    w = voice[None, :] * member
    # State-major copies ``(S, V + 1, R)`` and ``(S, V, R)``: each state's terms in one block.
    terms = np.ascontiguousarray(np.moveaxis(np.stack([*(w * v for v in values), w]), -1, 0))
    shown = np.moveaxis(np.stack([np.where(member, v, np.inf) for v in values]), -1, 0)
    shown = np.ascontiguousarray(shown)
    sums = np.zeros(terms.shape[1:])
    lowest = np.full(shown.shape[1:], np.inf)
    for s in range(member.shape[1]):
        sums = sums + terms[s]
        lowest = np.minimum(lowest, shown[s])
    return sums[:-1], sums[-1], lowest
