"""The one event strip: a run's acts marked on the time axis under a trust chart.

Used by the fan chart of ``natosim run`` / ``natosim plot`` and by the web
page's live chart. It takes an event table with the columns of ``events.csv``
(``year, actor, action, target, origin``; with a ``replicate`` column only the
first replicate is drawn) and reads each act through :mod:`sim.model.events`.

Lanes from the top: names of the main West acts, West acts scheduled, West acts
chosen, outside shocks, Russia's chosen acts, Russia's scheduled acts, names of
its main acts. Colour: how the other side read the act (red hostile, green
friendly, grey unread or a shock).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from sim.model import events as E
from sim.results.figures.style import NEUTRAL, tone_color

#: Origins of events, in the order of ``events.csv``.
ORIGINS = ("scheduled", "chosen", "shock")

#: Height of each lane: (side, origin).
LANE_Y = {
    ("west", "scheduled"): 1.3,
    ("west", "chosen"): 0.6,
    ("world", "shock"): 0.0,
    ("rus", "chosen"): -0.6,
    ("rus", "scheduled"): -1.3,
}
#: Marker of each origin: ■ scheduled, ● chosen, ◆ shock.
MARKS = {
    "scheduled": {"marker": "s", "ms": 5.5, "alpha": 0.95},
    "chosen": {"marker": "o", "ms": 3.5, "alpha": 0.6},
    "shock": {"marker": "D", "ms": 4.5, "alpha": 0.9},
}

#: Short names for the labels on the time axis.
SHORT = {
    "enlargement_wave": "enlargement",
    "membership_promise": "MAP / promise",
    "partnership_for_peace": "PfP",
    "nrc_engagement": "forum talks",
    "nrc_rejuvenation": "forum founded",
    "nrc_suspension": "forum suspended",
    "missile_shield_deployment": "missile shield",
    "shield_cancellation": "shield scrapped",
    "joint_shield_offer": "joint shield",
    "reset": "reset",
    "out_of_area_intervention": "out-of-area op",
    "humanitarian_intervention": "R2P intervention",
    "democracy_promotion": "colour revolution",
    "recognition": "recognition",
    "arms_control_exit": "arms-control exit",
    "use_of_force": "use of force",
    "energy_pressure": "gas cut-off",
    "aggressive_narrative": "harsh rhetoric",
    "cyber_operation": "cyber attack",
    "counter_deployment": "counter-missiles",
    "bilateral_deal": "bilateral deal",
    "joint_counterterrorism": "counter-terrorism",
    "joint_nonproliferation": "non-proliferation",
    "joint_afghanistan": "Afghanistan",
    "joint_counter_piracy": "anti-piracy",
    "joint_counter_narcotics": "anti-narcotics",
    "joint_peacekeeping": "peacekeeping",
    "membership_request": "membership bid",
}

#: Scheduled acts weighing at least this much (magnitude x |reading|) are named.
LABEL_WEIGHT = 0.5
#: Above this many years the names no longer fit: only the marks are drawn.
MAX_LABELLED_SPAN = 45


def short_name(action: str) -> str:
    """The label of an action on the time axis."""
    return SHORT.get(action, action.replace("_", " "))


def shown_events(events: pd.DataFrame | None, origins: Sequence[str] = ORIGINS) -> pd.DataFrame:
    """The rows the strip draws: the first replicate, the given origins."""
    if events is None or events.empty:
        return pd.DataFrame(columns=["year", "actor", "action", "target", "origin"])
    ev = events[events.origin.isin(list(origins))]
    if "replicate" in ev:
        ev = ev[ev.replicate == events.replicate.min()]
    return ev


def event_strip(
    ax: Any,
    events: pd.DataFrame | None,
    *,
    span: int | None = None,
    origins: Sequence[str] = ORIGINS,
    message: str = "",
) -> None:
    """Mark events on an axis below a trust chart (sharing its years).

    Args:
        ax: The strip's axis.
        events: Event table (columns of ``events.csv``), or None.
        span: Years the chart spans (default: the events' range); above
            :data:`MAX_LABELLED_SPAN` the acts are not named.
        origins: Which origins to draw.
        message: Text shown on the strip (e.g. why no events are shown).
    """
    ax.set_ylim(-6.6, 6.6)
    ax.set_yticks([0.9, -0.9], ["NATO / West", "Russia"], fontsize=8)
    ax.axhline(0, color="#ccc", lw=0.6, zorder=1)
    ax.tick_params(axis="y", length=0)
    for s in ("top", "right", "left"):
        ax.spines[s].set_visible(False)
    if message:
        ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", color="#555")
    ev = shown_events(events, origins)
    if span is None:
        span = int(ev.year.max() - ev.year.min()) if len(ev) else 0
    groups: dict[tuple[int, str, str], list[tuple[str, str, str]]] = {}
    for row in ev.itertuples(index=False):
        target = "" if pd.isna(row.target) else str(row.target)
        if row.origin == "shock":
            lane = "world"
        else:
            lane = "rus" if E.side(row.actor, row.action) == "russia" else "west"
        groups.setdefault((int(row.year), lane, row.origin), []).append(
            (row.actor, row.action, target)
        )
    points: dict[tuple[str, str], tuple[list[float], list[float]]] = {}
    labels: list[tuple[int, str, tuple[str, str, str]]] = []
    for (year, lane, origin), group in groups.items():
        y = LANE_Y[(lane, origin)]
        n = len(group)
        for k, act in enumerate(group):
            x = year + (k - (n - 1) / 2) * min(0.16, 0.8 / n)
            color = NEUTRAL if origin == "shock" else _color(*act)
            xs, ys = points.setdefault((origin, color), ([], []))
            xs.append(x)
            ys.append(y)
        if origin == "scheduled":
            best = max(group, key=lambda a: E.weight(*a))
            if E.weight(*best) >= LABEL_WEIGHT:
                labels.append((year, lane, best))
    for (origin, color), (xs, ys) in points.items():
        ax.plot(xs, ys, ls="", color=color, zorder=3, label=f"_{origin}", **MARKS[origin])
    if span > MAX_LABELLED_SPAN:
        return
    for year, lane, act in labels:
        up = lane == "west"
        ax.text(
            year,
            1.85 if up else -1.85,
            short_name(act[1]),
            rotation=90,
            fontsize=7,
            color=_color(*act),
            ha="center",
            va="bottom" if up else "top",
        )


def _color(actor: str, action: str, target: str) -> str:
    reading = E.readings(actor, action, target).other
    return tone_color(reading.valence if reading else None)
