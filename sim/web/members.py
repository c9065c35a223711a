"""The member panel: each state's trust in Russia now, as a sorted bar chart in HTML."""

from __future__ import annotations

import html

import pandas as pd

from sim.data import tables
from sim.model.agents import StateAgent
from sim.model.consistency import scheduled_events
from sim.model.mesa_model import DiplomacyModel
from sim.model.scenario import Scenario
from sim.results.figures.style import NOT_YET, TIER_COLORS

__all__ = ["TIER_LABELS", "member_frame", "members_html", "scheduled_accessions"]

TIER_LABELS = {
    "old": "member before 1999",
    "new": "member from 1999 (the new tier)",
    "aspirant": "aspirant (Ukraine, Georgia)",
}


def _esc(x: object) -> str:
    return html.escape(str(x))


def member_frame(model: DiplomacyModel) -> pd.DataFrame:
    """Each state's trust toward Russia and Russia's toward it, now, sorted.

    Args:
        model: The model being shown.

    Returns:
        Columns ``code, name, tier, member, accession, trust_in_russia,
        russia_trust``, highest trust in Russia first.
    """
    rows = [
        {
            "code": a.code,
            "name": a.name,
            "tier": a.tier,
            "member": a.is_member,
            "accession": a.accession,
            "trust_in_russia": a.trust_in_russia,
            "russia_trust": a.russia_trust,
        }
        for a in model.agents_by_type[StateAgent]
    ]
    df = pd.DataFrame(rows)
    return df.sort_values("trust_in_russia", ascending=False, kind="stable").reset_index(drop=True)


def scheduled_accessions(scenario: Scenario) -> dict[str, int]:
    """State code -> the year a scheduled enlargement of ``scenario`` admits it.

    What the scenario forces, not the states table: an enlargement the actors
    may choose (a projection, the hindcast) has no year until it happens.
    """
    out: dict[str, int] = {}
    for ev in scheduled_events(scenario):
        if ev.action == "enlargement_wave":
            for t in ev.targets:
                out.setdefault(t, ev.year)
    return out


def members_html(model: DiplomacyModel) -> str:
    """Member-level trust at the current year as a sorted HTML bar chart.

    Bars: each state's trust in Russia; dots: Russia's trust in that state; the
    dashed line: NATO's (the alliance's) trust in Russia.

    Args:
        model: The model being shown.

    Returns:
        HTML (class ``natosim-members``).
    """
    df = member_frame(model)
    nato = model.trust(tables.NATO, tables.RUS)
    when = str(model.year) if model.year >= int(model.compiled.years[0]) else "At the start"
    joins = scheduled_accessions(model.scenario_spec)
    rows = []
    for r in df.itertuples():
        if r.member:  # as this run has it: the actors may enlarge, or not
            color = TIER_COLORS["old" if r.tier == "old" else "new"]
        else:
            color = TIER_COLORS["aspirant"] if r.tier == "aspirant" else NOT_YET
        label = _esc(r.name)
        if not r.member and r.code in joins and joins[r.code] > model.year:
            label += f" <span style='color:#6b6b6b'>(joins {joins[r.code]})</span>"
        rows.append(
            f"<div class='natosim-member' data-code='{_esc(r.code)}' "
            f"data-trust='{r.trust_in_russia!r}' title='{_esc(r.name)}: trust in Russia "
            f"{r.trust_in_russia:.3f}, Russia's trust in it {r.russia_trust:.3f}'>"
            f"<div class='nm-name'>{label}</div><div class='nm-track'>"
            f"<div class='nm-bar' style='width:{100 * r.trust_in_russia:.2f}%;"
            f"background:{color}'></div>"
            f"<div class='nm-nato' style='left:{100 * nato:.2f}%'></div>"
            f"<div class='nm-dot' style='left:{100 * r.russia_trust:.2f}%'></div></div>"
            f"<div class='nm-val'>{r.trust_in_russia:.2f}</div></div>"
        )
    legend = "".join(
        f"<span><i style='background:{c}'></i>{_esc(TIER_LABELS[t])}</span>"
        for t, c in TIER_COLORS.items()
    )
    legend += (
        f"<span><i style='background:{NOT_YET}'></i>not yet a member</span>"
        "<span><b class='nm-dot-key'></b>Russia's trust in it</span>"
        f"<span><b class='nm-nato-key'></b>NATO's trust in Russia ({nato:.2f})</span>"
    )
    return (
        "<div class='natosim-members'>"
        f"<div class='nm-title'><b>{when}: each state's trust in Russia</b> "
        "(bars, highest first; 0 = none, 1 = full)</div>"
        f"<div class='nm-legend'>{legend}</div>{''.join(rows)}</div>"
    )
