"""The declaration of every model parameter: name, default, admissible range, meaning.

One table, read through :mod:`sim.model.params` (names, defaults, checks). The
order of :data:`PARAMS` is the order of the parameter arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["PARAMS", "ParamDef"]


@dataclass(frozen=True)
class ParamDef:
    """Declaration of one model parameter.

    Attributes:
        name: Identifier used in files and on the command line.
        default: Value used when a scenario says nothing.
        low: Smallest admissible value.
        high: Largest admissible value.
        kind: ``"lever"`` (a choice) or ``"uncertainty"`` (a fact unknown).
        doc: One-line meaning.
    """

    name: str
    default: float
    low: float
    high: float
    kind: Literal["lever", "uncertainty"]
    doc: str


PARAMS: tuple[ParamDef, ...] = (
    # The article's three levers (Kanet & Larive 2012, conclusion).
    ParamDef(
        "sg_entrepreneurship",
        0.3,
        0.0,
        1.0,
        "lever",
        "Secretary general's policy entrepreneurship: makes NATO's cooperative moves "
        "likelier and better received in Moscow.",
    ),
    ParamDef(
        "nrc_share",
        0.25,
        0.0,
        1.0,
        "lever",
        "Share of the real agenda handled in the NATO-Russia forum rather than in "
        "bilateral channels with the key members: Russia reads NATO's joint acts "
        "against shared threats as NATO's in that share and as the key members' in "
        "the rest; the forum also buffers hostile shocks to the dyad.",
    ),
    ParamDef(
        "nato_globalism",
        0.6,
        0.0,
        1.0,
        "lever",
        "Nature of NATO: 0 = collective defence only, 1 = collective security with "
        "global reach (out-of-area missions, open door); scales how often NATO acts "
        "beyond its area and how threatening Moscow finds it.",
    ),
    ParamDef(
        "two_tier",
        0.5,
        0.0,
        1.0,
        "uncertainty",
        "Split between old western and new eastern members: how much harsher the new "
        "members read Russia and how much lower their trust baseline is.",
    ),
    ParamDef(
        "proximity",
        0.5,
        0.0,
        1.0,
        "uncertainty",
        "Part of Russia's hostile act aimed at a place that the members share by how near "
        "they are to it (balance of threat, Walt 1987); the rest, what the act shows of "
        "Russia's intentions, all read alike.",
    ),
    # How perception turns into belief (Bayesian reading, after Kydd).
    ParamDef(
        "hostile_weight",
        0.45,
        0.1,
        1.5,
        "uncertainty",
        "Diagnosticity of hostile acts: log-likelihood ratio per unit of perceived hostility.",
    ),
    ParamDef(
        "friendly_weight",
        0.3,
        0.05,
        1.0,
        "uncertainty",
        "Diagnosticity of friendly acts (smaller than hostile: damage outpaces repair).",
    ),
    # How an act is read, computed from Figure 1 (see sim/model/readings.py).
    ParamDef(
        "fig_tension",
        0.8,
        0.0,
        3.0,
        "uncertainty",
        "Weight of a zone of tension of the reader's own Figure 1 column that an act engages.",
    ),
    ParamDef(
        "fig_area",
        0.4,
        0.0,
        2.0,
        "uncertainty",
        "Weight of the other side acting in one of the reader's own areas of action.",
    ),
    ParamDef(
        "fig_cooperation",
        0.5,
        0.0,
        2.0,
        "uncertainty",
        "Weight of a possible area of cooperation of the reader's column (an entry printed "
        "with a question mark: times a weight drawn per run, uniform in [0, 1]).",
    ),
    ParamDef(
        "fig_threat",
        0.3,
        0.0,
        2.0,
        "uncertainty",
        "Weight of a perceived outside threat of the reader's column that an act addresses "
        "(also scaled by the threat's salience).",
    ),
    ParamDef(
        "fig_strategy",
        0.4,
        0.0,
        2.0,
        "uncertainty",
        "Weight of the reader's own strategy for action served by the other's act.",
    ),
    ParamDef(
        "fig_increase",
        0.8,
        0.0,
        2.0,
        "uncertainty",
        "Weight of the reader's own strategy to increase cooperation served by the other's act.",
    ),
    ParamDef(
        "lens_gain",
        0.3,
        0.0,
        2.0,
        "uncertainty",
        "Zero-sum lens: loss read into each gain of the other side with third parties.",
    ),
    ParamDef(
        "lens_bloc",
        0.2,
        0.0,
        2.0,
        "uncertainty",
        "Military-bloc lens: threat read into each military step of the other side.",
    ),
    ParamDef(
        "lens_reach",
        0.2,
        0.0,
        2.0,
        "uncertainty",
        "Defence-structure lens: overreach read into the other's action in its areas of action.",
    ),
    ParamDef(
        "lens_discount",
        0.2,
        0.0,
        0.5,
        "uncertainty",
        "Discount of the other's cooperative acts by a reader without lens; doubled by a Cold "
        "War mentality lens, removed by a non-zero-sum lens.",
    ),
    ParamDef(
        "lens_declining",
        0.5,
        0.0,
        1.0,
        "uncertainty",
        "Declining-power lens: how much less the chooser weighs the other's objections (its "
        "trust) when choosing acts the other reads as hostile.",
    ),
    # Decisions from a reassurance game (after Kydd 2005; see docs/ODD.md).
    ParamDef(
        "reassurance",
        1.0,
        0.0,
        3.0,
        "uncertainty",
        "Log-odds of a new-beginning act (reset, forum, shield offer, deal) per unit of the "
        "addressee's distrust of the chooser: a security seeker reassures a rival who doubts it.",
    ),
    ParamDef(
        "reciprocity",
        0.75,
        0.0,
        4.0,
        "uncertainty",
        "Log-odds of answering in kind per unit of last year's reading of the target's acts: "
        "hostility invites a hostile act, friendliness a cooperative one (Goldstein 1991).",
    ),
    ParamDef(
        "confrontation_cost",
        0.5,
        0.0,
        3.0,
        "uncertainty",
        "Log-odds of a new-beginning act per unit of confrontation accumulated between NATO "
        "and Russia (the rising cost of confrontation).",
    ),
    ParamDef(
        "cost_decay",
        0.3,
        0.0,
        1.0,
        "uncertainty",
        "Yearly fraction by which accumulated confrontation fades.",
    ),
    ParamDef(
        "cost_relief",
        0.7,
        0.0,
        1.0,
        "uncertainty",
        "Share of the accumulated confrontation a new beginning releases.",
    ),
    ParamDef(
        "turnover_reset",
        0.3,
        0.0,
        1.0,
        "uncertainty",
        "Share by which a new leader's beliefs, and the other side's beliefs about it, return "
        "to their long-run anchor.",
    ),
    ParamDef(
        "turnover_rate",
        0.15,
        0.0,
        1.0,
        "uncertainty",
        "Yearly chance of a change of leader in Moscow and in Washington, in the years a "
        "scenario draws them (turnover_from).",
    ),
    ParamDef(
        "memory",
        0.08,
        0.0,
        0.5,
        "uncertainty",
        "Yearly fraction by which trust log-odds relax toward the baseline (forgetting).",
    ),
    ParamDef(
        "surprise",
        1.0,
        0.0,
        1.0,
        "uncertainty",
        "How much expectation discounts news: hostile acts weigh 1 + s(2t - 1) and "
        "friendly acts 1 - s(2t - 1) times their reading, for the observer's trust t.",
    ),
    ParamDef(
        "baseline_drift",
        0.1,
        0.0,
        0.5,
        "uncertainty",
        "Yearly fraction by which the baseline itself moves toward current trust "
        "(hysteresis: lasting estrangement or rapprochement becomes the new normal).",
    ),
    ParamDef(
        "baseline_trust",
        0.5,
        0.2,
        0.8,
        "uncertainty",
        "Starting baseline toward which memory relaxes in the absence of news "
        "(the baseline then drifts with experience, see baseline_drift).",
    ),
    ParamDef(
        "initial_trust",
        0.68,
        0.3,
        0.9,
        "uncertainty",
        "Trust between Russia and NATO (and old members) at the start (the 1991 honeymoon).",
    ),
    ParamDef(
        "nrc_buffer",
        0.5,
        0.0,
        1.0,
        "uncertainty",
        "How much a fully used NATO-Russia forum damps hostile shocks to the NATO-Russia "
        "dyad (and amplifies friendly ones).",
    ),
    ParamDef(
        "alliance_spill",
        0.5,
        0.0,
        1.0,
        "uncertainty",
        "How much Moscow blames members for the alliance's acts, and the alliance for a "
        "member's acts.",
    ),
    ParamDef(
        "trust_sensitivity",
        1.0,
        0.0,
        3.0,
        "uncertainty",
        "How strongly trust steers choices: log-odds of choosing per unit of the bounded "
        "trust term 4 * (trust - 1/2), which lies in [-2, 2].",
    ),
    ParamDef(
        "activity",
        0.0,
        -2.0,
        2.0,
        "uncertainty",
        "Shift of every chosen action's base log-odds (more or fewer chosen acts per year).",
    ),
    ParamDef(
        "noise",
        0.08,
        0.0,
        0.5,
        "uncertainty",
        "Standard deviation of yearly unmodelled shocks to trust log-odds.",
    ),
    ParamDef(
        "rus_assertiveness",
        0.0,
        -2.0,
        3.0,
        "uncertainty",
        "Russian great-power assertiveness added to the log-odds of hostile Russian acts "
        "(leadership shocks add to it).",
    ),
    ParamDef(
        "threat_decay",
        0.35,
        0.0,
        1.0,
        "uncertainty",
        "Yearly decay of a shared threat's salience after a shock.",
    ),
    ParamDef(
        "alliance_trust",
        0.8,
        0.5,
        0.95,
        "uncertainty",
        "Trust among allies (key members and the first new members) at the start, and the "
        "level it relaxes toward.",
    ),
    ParamDef(
        "bilateral_buffer",
        0.5,
        0.0,
        1.0,
        "uncertainty",
        "How much a key member's own bilateral channel with Moscow absorbs Russia's hostile "
        "acts, when the whole agenda is outside the NATO-Russia forum (scaled by 1 - nrc_share).",
    ),
    ParamDef(
        "member_voice",
        0.5,
        0.0,
        1.0,
        "uncertainty",
        "Weight of the members (vote-weighted) in NATO's collective reading of Russia and in "
        "its collective decisions.",
    ),
    ParamDef(
        "consensus",
        0.3,
        0.0,
        1.0,
        "uncertainty",
        "Weight of the most distrustful member in NATO's decisions (0 = weighted vote, "
        "1 = unanimity).",
    ),
)
