"""The page's trust chart: both directions year by year, the year's acts below.

Colours come from :mod:`sim.results.figures.style` and the acts are drawn by
the one event strip (:func:`sim.results.figures.events.event_strip`), as in the
fan charts of ``natosim run``; the events are the model's own log
(:func:`sim.model.events.event_rows`), chosen acts included.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.model.events import event_rows, events_frame
from sim.model.mesa_model import DiplomacyModel
from sim.results.figures.events import event_strip, strip_caption
from sim.results.figures.style import NATO_COLOR, NEUTRAL, RUS_COLOR, add_caption

#: The lines of the chart: model reporter, colour, width, style, legend label.
LINES = (
    ("trust_nato_rus", NATO_COLOR, 2.2, "-", "NATO's trust in Russia"),
    ("trust_rus_nato", RUS_COLOR, 2.2, "-", "Russia's trust in NATO"),
    ("nrc_strength", NEUTRAL, 1.2, ":", "NATO–Russia Council strength (0 = no forum, 1 = full)"),
)


def trust_figure(model: DiplomacyModel) -> Figure:
    """Trust in both directions over the reported years, events on the time axis.

    Args:
        model: The model being shown.

    Returns:
        A matplotlib figure (not attached to pyplot).
    """
    comp = model.compiled
    df = model.datacollector.get_model_vars_dataframe()
    lo, hi = int(comp.report_from), int(comp.years[-1])
    fig = Figure(figsize=(11.5, 6.8), dpi=100, layout="constrained")
    ax, strip = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3.0, 2.4]})
    if not df.empty:
        years = df["year"].to_numpy()
        for col, color, lw, ls, _ in LINES:
            marks = {"marker": "o", "ms": 3.5} if ls == "-" else {}
            ax.plot(years, df[col], color=color, lw=lw, ls=ls, **marks)
        ax.axvline(years[-1], color="#999", lw=0.8)
    else:
        msg = "Press Step (one year) or ▶ (play)"
        if model.year >= int(comp.years[0]):
            msg = f"Warming up: {model.year} (the scenario reports from {lo})"
        ax.text((lo + hi) / 2, 0.5, msg, ha="center", va="center", fontsize=12, color="#555")
    # a little above 1, so that a Council at full strength is not hidden by the frame
    ax.set_ylim(0, 1.02)
    ax.set_yticks([0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.set_xlim(lo - 0.7, hi + 0.7)
    ax.set_ylabel("trust (0 = none, 1 = full)")
    ax.grid(alpha=0.3)
    ax.tick_params(labelbottom=False)
    handles = [Line2D([], [], color=c, lw=lw, ls=ls, label=lab) for _, c, lw, ls, lab in LINES]
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0, 1),
        fontsize=8.5,
        ncol=3,
        frameon=False,
        borderaxespad=0.2,
    )
    strip.set_xlabel("year", labelpad=1)
    strip.set_xticks(list(range(lo, hi + 1, max(1, (hi - lo + 1) // 12))))
    info = event_strip(strip, events_frame(event_rows(model)), span=hi - lo)
    add_caption(fig, strip_caption(info, listed="the event log below"))
    return fig
