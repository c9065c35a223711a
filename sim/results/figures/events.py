"""The one event strip: a run's acts marked on the time axis under a trust chart.

Used by the fan chart of ``natosim run`` / ``natosim plot`` and by the web
page's live chart. It takes an event table with the columns of ``events.csv``
(``year, actor, action, target, origin``; with a ``replicate`` column only the
first replicate is drawn, which the caption says) and reads each act through
:mod:`sim.model.events`.

Lanes from the top: names of the main West acts, West acts scheduled, West acts
chosen, outside shocks, Russia's chosen acts, Russia's scheduled acts, names of
its main acts. Colour says whose act it is (NATO's side blue, Russia
vermillion, shocks grey); the marker's shape says how the other side read it
(▼ hostile, ▲ friendly, ● neither); filled marks are scheduled, open marks
chosen, ◆ a shock. Every kind of mark drawn has a legend entry.

Names are horizontal, no smaller than 8 pt, kept inside the strip, each on a
thin leader to its mark, in up to :data:`ROWS` rows a side; every scheduled
act weighty enough is named when there is room, and the caption
(:func:`strip_caption`) counts the ones there was no room for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.model import events as E
from sim.results.figures.style import (
    MIN_FONT,
    NATO_COLOR,
    NEUTRAL,
    RUS_COLOR,
    TONE_LABELS,
    TONE_MARKERS,
    tone,
)

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
#: Colour of each side's marks.
SIDE_COLORS = {"west": NATO_COLOR, "rus": RUS_COLOR, "world": NEUTRAL}
#: Size of each origin's marks.
SIZES = {"scheduled": 6.5, "chosen": 5.0, "shock": 5.5}
#: Heights of the rows of names above the West lanes (mirrored below Russia's).
ROWS = (2.4, 3.6, 4.8, 6.0, 7.2)
#: Half the height of a row.
ROW_HALF = 0.6
#: At most this many names of one year and side.
MAX_LINES = 3
YLIM = 7.2

#: Order of the tones within a year's marks (hostile, neither, friendly; shocks apart).
TONE_ORDER = {"hostile": 0, "neutral": 1, "friendly": 2}

#: Short names for the labels on the time axis (else the action table's label, shortened).
SHORT = {
    "enlargement_wave": "enlargement",
    "membership_promise": "membership promise",
    "partnership_for_peace": "PfP",
    "nrc_engagement": "forum talks",
    "nrc_rejuvenation": "forum founded",
    "nrc_suspension": "forum suspended",
    "missile_shield_deployment": "missile shield",
    "shield_cancellation": "shield scrapped",
    "joint_shield_offer": "joint shield",
    "reset": "reset",
    "out_of_area_intervention": "out-of-area op",
    "humanitarian_intervention": "humanitarian intervention",
    "democracy_promotion": "colour revolution",
    "recognition": "recognition",
    "arms_control_exit": "arms-control exit",
    "use_of_force": "use of force",
    "energy_pressure": "economic pressure",  # a gas cut-off or an embargo
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
#: Acts whose one target is named after the act ("use of force: Georgia").
PLACED = frozenset(
    {
        "use_of_force",
        "out_of_area_intervention",
        "humanitarian_intervention",
        "energy_pressure",
        "cyber_operation",
        "recognition",
        "democracy_promotion",
        "membership_request",
    }
)

#: Scheduled acts weighing at least this much (magnitude x |reading|) are named.
LABEL_WEIGHT = 0.5
#: Above this many years the names no longer fit: only the marks are drawn.
MAX_LABELLED_SPAN = 45
#: Width of a character of the names, in ems (DejaVu Sans, with room to spare).
CHAR_EM = 0.56


def short_name(action: str, target: str = "") -> str:
    """The label of an act on the time axis, e.g. ``"use of force: Georgia"``."""
    base = SHORT.get(action)
    if base is None:
        base = E.label(action, target).split(" (")[0].split(" /")[0]
        base = base[:1].lower() + base[1:]
    parts = [t for t in str(target or "").split(";") if t]
    if action in PLACED and len(parts) == 1 and parts[0] not in ("NATO", "RUS", "OOA"):
        place = E.names().get(parts[0], parts[0]).split(" (")[0]
        return f"{base}: {place}"
    return base


def shown_events(events: pd.DataFrame | None, origins: Sequence[str] = ORIGINS) -> pd.DataFrame:
    """The rows the strip draws: the first replicate, the given origins."""
    if events is None or events.empty:
        return pd.DataFrame(columns=["year", "actor", "action", "target", "origin"])
    ev = events[events.origin.isin(list(origins))]
    if "replicate" in ev:
        ev = ev[ev.replicate == events.replicate.min()]
    return ev


@dataclass
class StripInfo:
    """What a strip drew, for its caption.

    Attributes:
        origins: The origins drawn.
        marks: Number of marks.
        named: Acts named on the strip.
        unnamed: Weighty scheduled acts marked but not named (no room).
        span_too_long: Whether the span was too long to name any act.
        replicates: Replicates in the event table (only the first is drawn).
    """

    origins: tuple[str, ...]
    marks: int = 0
    named: int = 0
    unnamed: int = 0
    span_too_long: bool = False
    replicates: int = 1


def event_strip(
    ax: Any,
    events: pd.DataFrame | None,
    *,
    span: int | None = None,
    origins: Sequence[str] = ORIGINS,
    message: str = "",
    legend: bool = True,
) -> StripInfo:
    """Mark events on an axis below a trust chart (sharing its years).

    Args:
        ax: The strip's axis.
        events: Event table (columns of ``events.csv``), or None.
        span: Years the chart spans (default: the events' range); above
            :data:`MAX_LABELLED_SPAN` the acts are not named.
        origins: Which origins to draw.
        message: Text shown on the strip (e.g. why no events are shown).
        legend: Draw the legend of the marks below the strip.

    Returns:
        What was drawn (see :func:`strip_caption`).
    """
    ax.set_ylim(-YLIM, YLIM)
    ax.set_yticks([0.9, -0.9], ["NATO / West", "Russia"], fontsize=MIN_FONT + 1)
    for tick, color in zip(ax.get_yticklabels(), (NATO_COLOR, RUS_COLOR), strict=True):
        tick.set_color(color)
    ax.axhline(0, color="#ccc", lw=0.6, zorder=1)
    ax.tick_params(axis="y", length=0)
    for s in ("top", "right", "left"):
        ax.spines[s].set_visible(False)
    if message:
        ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", color="#555")
    ev = shown_events(events, origins)
    n_rep = int(events.replicate.nunique()) if events is not None and "replicate" in events else 1
    info = StripInfo(tuple(origins), marks=len(ev), replicates=max(n_rep, 1))
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
    points: dict[tuple[str, str, str], tuple[list[float], list[float]]] = {}
    labels: list[tuple[float, str, list[str], float]] = []
    for (year, lane, origin), group in sorted(groups.items()):
        y = LANE_Y[(lane, origin)]
        n = len(group)
        tones = ["shock" if origin == "shock" else _tone(*act) for act in group]
        # marks of one tone side by side, a little apart, so that a ▲ beside a ▼
        # reads as two marks rather than one shape
        order = sorted(range(n), key=lambda i: TONE_ORDER.get(tones[i], 9))
        for k, i in enumerate(order):
            x = year + (k - (n - 1) / 2) * min(0.2, 0.85 / n)
            t = tones[i]
            xs, ys = points.setdefault((origin, lane, t), ([], []))
            xs.append(x)
            ys.append(y)
        weighty = sorted(
            (a for a in group if origin == "scheduled" and E.weight(*a) >= LABEL_WEIGHT),
            key=lambda a: -E.weight(*a),
        )
        lines = list(dict.fromkeys(short_name(a[1], a[2]) for a in weighty))
        if lines:
            info.unnamed += max(0, len(lines) - MAX_LINES)
            labels.append((float(year), lane, lines[:MAX_LINES], E.weight(*weighty[0])))
    for (origin, lane, t), (xs, ys) in points.items():
        ax.plot(xs, ys, ls="", zorder=3, label=f"_{origin}", **_mark_style(origin, lane, t))
    if legend:
        _legend(ax, {(o, t) for o, _, t in points})
    if span > MAX_LABELLED_SPAN:
        info.span_too_long = bool(labels)
        info.unnamed = sum(len(lines) for _, _, lines, _ in labels)
        ax.set_ylim(-2.0, 2.0)
        return info
    _place_labels(ax, labels, info)
    return info


def _tone(actor: str, action: str, target: str) -> str:
    reading = E.readings(actor, action, target).other
    return tone(reading.valence if reading else None)


def _mark_style(origin: str, lane: str, t: str) -> dict[str, Any]:
    color = SIDE_COLORS[lane]
    marker = "D" if origin == "shock" else TONE_MARKERS[t]
    filled = origin != "chosen"
    return {
        "marker": marker,
        "ms": SIZES[origin] + (0.6 if filled else 0.0),
        "color": color,
        "markerfacecolor": color if filled else "white",
        # a white rim parts filled marks that touch; an open mark is its rim
        "markeredgecolor": "white" if filled else color,
        "markeredgewidth": 0.8 if filled else 1.1,
    }


def _legend(ax: Any, drawn: set[tuple[str, str]]) -> None:
    handles: list[Any] = [
        Patch(color=NATO_COLOR, label="act of NATO or a member"),
        Patch(color=RUS_COLOR, label="act of Russia"),
    ]
    tones = {t for o, t in drawn if o != "shock"}
    grey = {"color": "#444", "ls": "", "ms": 6}
    for t in ("hostile", "friendly", "neutral"):
        if t in tones:
            handles.append(Line2D([], [], marker=TONE_MARKERS[t], label=TONE_LABELS[t], **grey))
    origins = {o for o, _ in drawn}
    if "scheduled" in origins and "chosen" in origins:
        handles.append(Line2D([], [], marker="s", label="filled: scheduled", **grey))
        handles.append(
            Line2D([], [], marker="s", markerfacecolor="white", label="open: chosen", **grey)
        )
    if "shock" in origins:
        shock = {**grey, "color": NEUTRAL}
        handles.append(Line2D([], [], marker="D", label="outside shock", **shock))
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.3),
        ncol=min(4, len(handles)),
        fontsize=MIN_FONT,
        frameon=False,
        handlelength=1.2,
        columnspacing=1.2,
    )


def _place_labels(
    ax: Any, labels: list[tuple[float, str, list[str], float]], info: StripInfo
) -> None:
    """Name each year's weightiest acts (one block per year and side) where there is room.

    Blocks are placed weightiest first, each in the lowest rows with room; a
    block's leader crosses the rows below it, so those keep its place free and
    no block is put where a leader runs. What finds no room is counted.
    """
    x0, x1 = ax.get_xlim()
    fig = ax.get_figure()
    engine = fig.get_layout_engine()
    if engine is not None:  # the axis's width after layout, not before
        engine.execute(fig)
    width_in = max(ax.get_position().width * fig.get_figwidth(), 1e-6)
    per_char = CHAR_EM * MIN_FONT / 72 * (x1 - x0) / width_in
    texts: dict[tuple[str, int], list[tuple[float, float]]] = {}
    leaders: dict[tuple[str, int], list[float]] = {}
    used = {"west": -1, "rus": -1}
    for x, lane, lines, _ in sorted(labels, key=lambda lab: (-lab[3], lab[0])):
        half = (max(map(len, lines)) + 0.3) * per_char / 2
        centre = min(max(x, x0 + half), x1 - half)
        lo, hi = centre - half, centre + half
        height = (len(lines) + 1) // 2  # two lines of names fit in a row
        for r in range(len(ROWS) - height + 1):
            rows = range(r, r + height)
            free = all(
                all(hi <= a or lo >= b for a, b in texts.get((lane, k), []))
                and not any(lo < x_ < hi for x_ in leaders.get((lane, k), []))
                for k in rows
            )
            below = all(not (a < x < b) for k in range(r) for a, b in texts.get((lane, k), []))
            if free and below:
                break
        else:
            info.unnamed += len(lines)
            continue
        for k in rows:
            texts.setdefault((lane, k), []).append((lo, hi))
        for k in range(r):
            leaders.setdefault((lane, k), []).append(x)
        used[lane] = max(used[lane], r + height - 1)
        info.named += len(lines)
        sign = 1 if lane == "west" else -1
        base = ROWS[r] - ROW_HALF
        ax.plot(
            [x, x], [sign * (abs(LANE_Y[(lane, "scheduled")]) + 0.35), sign * (base - 0.1)],
            color="#999", lw=0.5, zorder=2, label="_leader",
        )  # fmt: skip
        ax.text(
            centre, sign * base, "\n".join(lines), fontsize=MIN_FONT,
            color=SIDE_COLORS[lane], ha="center", va="bottom" if sign > 0 else "top",
            linespacing=1.05, gid="event-name",
        )  # fmt: skip
    top = ROWS[used["west"]] + ROW_HALF + 0.3 if used["west"] >= 0 else 2.0
    bottom = ROWS[used["rus"]] + ROW_HALF + 0.3 if used["rus"] >= 0 else 2.0
    ax.set_ylim(-bottom, top)


def strip_caption(info: StripInfo, listed: str = "events.csv") -> str:
    """Which events the strip shows, and which it does not, in one or two sentences."""
    drawn = set(info.origins)
    if "chosen" in drawn:
        what = "Marks: every act of this run (scheduled, chosen by the actors) and outside shocks"
        if info.replicates > 1:
            what += f" (the first of {info.replicates} runs)"
    else:
        what = (
            "Marks: the scenario's scheduled events and outside shocks, the same in every run "
            "(the acts the actors choose differ from run to run and are not drawn)"
        )
    parts = [what + "."]
    if info.span_too_long:
        parts.append(f"The span is too long to name the acts: see {listed}.")
    elif info.unnamed:
        parts.append(
            f"Named: the weightiest scheduled acts; {info.unnamed} more are marked but not "
            f"named for lack of room (all are in {listed})."
        )
    return " ".join(parts)
