"""A run's trust chart as a matplotlib figure: ``trust.png``, for a notebook or a script.

``natosim run`` and :func:`~sim.results.rundir.write_run` save this figure as
``trust.png``; :func:`trust_figure` hands it back instead, so a notebook shows
it inline and a script can ``fig.savefig("mine.svg")`` or add to its axes.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sim.files.errors import InputError, shown
from sim.model.result import RunResult
from sim.results.figures.style import HEADLINE, pairs_title

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["figure_png", "trust_figure"]


def _pairs(result: RunResult, pairs: Sequence[tuple[str, str]] | None) -> list[tuple[str, str]]:
    """The pairs asked for, checked against those the run tracks."""
    if pairs is None:
        return list(HEADLINE)
    if not isinstance(pairs, str) and hasattr(pairs, "__iter__"):
        pairs = list(pairs)  # a generator too: looked at twice below
    if (
        isinstance(pairs, str)
        or not isinstance(pairs, list)
        or not all(
            isinstance(p, tuple | list) and len(p) == 2 and all(isinstance(c, str) for c in p)
            for p in pairs
        )
    ):
        raise InputError(
            f"trust_figure: pairs {shown(pairs)}: expected (observer, target) pairs, "
            'e.g. [("RUS", "POL")]'
        )
    out = [(str(o), str(t)) for o, t in pairs]
    if not out:
        raise InputError("trust_figure: pairs is empty: name at least one (observer, target)")
    for o, t in out:
        try:
            result.series(o, t)  # its message names a mistyped code or the pairs there are
        except KeyError as exc:
            raise InputError(f"trust_figure: {exc.args[0]}") from None
    return out


def trust_figure(result: RunResult, pairs: Sequence[tuple[str, str]] | None = None) -> Figure:
    """A run's fan chart of trust with its event strip, as ``trust.png`` shows it.

    The median of the replicates with 50 % and 90 % bands, and the run's events
    below. ``from sim import trust_figure``.

    Args:
        result: A run (:func:`sim.run`).
        pairs: The directed pairs to draw, ``(observer, target)`` (default: NATO's
            trust in Russia and Russia's in NATO, as ``trust.png``).

    Returns:
        The matplotlib figure (shown inline by a notebook; ``fig.savefig(path)``).

    Raises:
        InputError: For a pair the run does not track (with a did-you-mean for a
            mistyped code), or ``pairs`` that are not ``(observer, target)`` pairs.
    """
    from sim.results.figures import trust_fan_figure

    if not isinstance(result, RunResult):
        raise InputError(
            f"trust_figure: expected a RunResult (from sim.run), got {type(result).__name__}"
        )
    chosen = _pairs(result, pairs)
    n = len(result.seeds)
    title = f"{result.scenario.name}: {pairs_title(chosen)} ({n} replicates)"
    fig = trust_fan_figure(result.trajectory, result.events, pairs=chosen, title=title)
    # A figure made without pyplot has no picture for IPython until pyplot's inline
    # backend is loaded: a notebook would show "<Figure size 1000x800 with 2 Axes>".
    fig._repr_png_ = functools.partial(figure_png, fig)  # type: ignore[attr-defined]
    return fig


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes, as ``trust.png`` holds it."""
    import io

    from sim.results.figures import savefig

    buf = io.BytesIO()
    savefig(fig, buf, fmt="png")
    return buf.getvalue()
