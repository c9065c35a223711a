"""Why the member-level ideal-point file is not a calibration target (a reported check).

EU members coordinate their UN votes, so Russia's distance to one EU member barely
differs from its distance to another in the same year, and what does differ across
members is largely UN bloc politics (P5 seats, Turkey's agenda), not NATO's two
tiers. :func:`member_level_check` measures this on the data and compares the
new-minus-old gap with the model's; nothing is fitted to that file.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.data.tables import states
from sim.data.unga import load_idealpoint_members, load_idealpoint_summary
from sim.experiments.calibration.mapping import FitStats
from sim.model.result import RunResult

__all__ = ["EU_ACCESSION", "P5_MEMBERS", "member_level_check"]

#: EU accession year of the NATO members in the ideal-point data (public record; the UK
#: left on 31 January 2020). Used only to show that EU members vote together in the UN.
EU_ACCESSION: dict[str, int] = {
    "BEL": 1958,
    "FRA": 1958,
    "DEU": 1958,
    "ITA": 1958,
    "LUX": 1958,
    "NLD": 1958,
    "DNK": 1973,
    "GBR": 1973,
    "GRC": 1981,
    "ESP": 1986,
    "PRT": 1986,
    "FIN": 1995,
    "SWE": 1995,
    "CZE": 2004,
    "EST": 2004,
    "HUN": 2004,
    "LVA": 2004,
    "LTU": 2004,
    "POL": 2004,
    "SVK": 2004,
    "SVN": 2004,
    "BGR": 2007,
    "ROU": 2007,
    "HRV": 2013,
}


#: NATO members with a permanent UN Security Council seat: their UN votes follow P5
#: politics, so they are left out of the EU panel of :func:`member_level_check`.
P5_MEMBERS = ("FRA", "GBR", "USA")


def _two_way(x: np.ndarray) -> tuple[float, float, float]:
    """Shares of variance from row (year) and column (country) effects, within-row sd."""
    grand = x.mean()
    year_eff = x.mean(axis=1, keepdims=True) - grand
    ctry_eff = x.mean(axis=0, keepdims=True) - grand
    ss_tot = float(((x - grand) ** 2).sum())
    ss_year = float((year_eff**2).sum() * x.shape[1])
    ss_ctry = float((ctry_eff**2).sum() * x.shape[0])
    return ss_year / ss_tot, ss_ctry / ss_tot, float(np.mean(x.std(axis=1)))


def member_level_check(
    result: RunResult, rus_nato_map: FitStats, years: tuple[int, int] = (2004, 2012)
) -> dict[str, Any]:
    """Why the member-level ideal-point file is not used as a calibration target.

    EU members coordinate their UN votes, so Russia's distance to one EU member barely
    differs from its distance to another in the same year, and what does differ across
    members is largely UN bloc politics (P5 seats, Turkey's agenda), not NATO's two
    tiers. In ``years`` (default 2004–2012, when the central and eastern members were
    in both NATO and the EU) this returns:

    * ``pol_minus_deu``: mean and largest absolute dist(RUS, POL) − dist(RUS, DEU);
    * ``rus_idealpoint_halfwidth``: mean half-width of the 90 % posterior interval of
      Russia's own ideal point (the measurement error of one ideal point);
    * ``eu_panel``: for the non-P5 NATO members in the EU in all those years, the shares
      of the variance of Russia's distance due to year and to country effects
      (balanced two-way decomposition) and the mean within-year cross-member sd, also
      with France and the UK included;
    * ``series_sd``: sd over the calibration years of the NATO-mean distance (the
      variation the fit does use);
    * ``tier_gap``: new-minus-old mean distance in that panel, against the model's
      new-minus-old gap in median trust (both directions) converted to distance units
      with the RUS→NATO map slope.

    Args:
        result: A run of the fitted historical scenario (member pairs included).
        rus_nato_map: The fitted RUS→NATO trust→distance map.
        years: Inclusive span of the comparison.

    Returns:
        A JSON-ready dict (``fitted`` is False: nothing is fitted to this file).
    """
    y0, y1 = years
    m = load_idealpoint_members()
    piv = m.pivot(index="year", columns="iso3c", values="abs_dist_all").loc[y0:y1]
    pol_deu = piv["POL"] - piv["DEU"]
    summary = load_idealpoint_summary()
    rus = summary.loc[y0:y1]
    halfwidth = float(((rus["rus_idealpointall_q95"] - rus["rus_idealpointall_q5"]) / 2).mean())
    tier = {s.code: s.tier for s in states()}
    nato_acc = m.groupby("iso3c")["nato_accession_year"].first()
    both = [
        c
        for c in piv.columns
        if EU_ACCESSION.get(c, 9999) <= y0
        and nato_acc.get(c, 9999) <= y0
        and c in tier
        and piv[c].notna().all()
    ]
    panel = [c for c in both if c not in P5_MEMBERS]
    share_year, share_ctry, within_sd = _two_way(piv[panel].to_numpy())
    share_year_p5, share_ctry_p5, within_sd_p5 = _two_way(piv[both].to_numpy())
    series_sd = float(summary["mean_dist_rus_nato_members_all"].std(ddof=0))
    new = [c for c in panel if tier[c] == "new"]
    old = [c for c in panel if tier[c] == "old"]
    data_gap = float((piv[new].mean(axis=1) - piv[old].mean(axis=1)).mean())
    yrs = result.years
    mask = (yrs >= y0) & (yrs <= y1)

    def model_gap(direction: str) -> float:
        def trust(codes: list[str]) -> np.ndarray:
            pairs = [("RUS", c) if direction == "rus_to_member" else (c, "RUS") for c in codes]
            return np.mean([np.median(result.series(*p)[:, mask], axis=0) for p in pairs], axis=0)

        return float(np.mean(trust(new) - trust(old)))

    gaps = {d: model_gap(d) for d in ("rus_to_member", "member_to_rus")}
    return {
        "fitted": False,
        "years": [y0, y1],
        "pol_minus_deu": {"mean": float(pol_deu.mean()), "max_abs": float(pol_deu.abs().max())},
        "rus_idealpoint_halfwidth": halfwidth,
        "eu_panel": {
            "members": panel,
            "share_year_effects": share_year,
            "share_country_effects": share_ctry,
            "mean_within_year_sd": within_sd,
            "with_fra_gbr": {
                "share_year_effects": share_year_p5,
                "share_country_effects": share_ctry_p5,
                "mean_within_year_sd": within_sd_p5,
            },
        },
        "series_sd": series_sd,
        "tier_gap": {
            "new_members": new,
            "old_members": old,
            "data_distance_new_minus_old": data_gap,
            "model_trust_new_minus_old": gaps,
            "model_implied_distance_new_minus_old": {
                d: rus_nato_map.slope * g for d, g in gaps.items()
            },
        },
    }
