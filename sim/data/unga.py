"""Loaders for the empirical tables shipped in ``seeds/data``.

The UN General Assembly ideal-point tables are the calibration target for simulated
NATO–Russia trust. They are derived from

    Bailey, M. A., Strezhnev, A. & Voeten, E. (2017). Estimating dynamic state preferences
    from United Nations voting data. *Journal of Conflict Resolution* 61(2): 430–56.

    Voeten, E. United Nations General Assembly Voting Data (ideal points, July 2025
    version). Harvard Dataverse, doi:10.7910/DVN/LEJUQZ.

Only 1991–2012 is shipped, on purpose: later years are kept out of the repository so
that post-2012 model behaviour can be judged out of sample. See ``seeds/data/README.md``
and the ``.md`` provenance note next to each CSV.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.data.locate import seeds_dir

__all__ = [
    "DATA_DIR",
    "FIRST_RUSSIAN_YEAR",
    "IDEALPOINT_MEMBERS_FILE",
    "IDEALPOINT_SUMMARY_FILE",
    "load_idealpoint_members",
    "load_idealpoint_summary",
]

#: Folder holding the shipped data tables (``seeds/data``, in a checkout or the wheel).
DATA_DIR: Path = seeds_dir() / "data"

#: The first year whose votes are the Russian Federation's own. The data's 1991 is
#: the Soviet Union's (COW code 365 for that calendar year, ``seeds/data/README.md``):
#: most of its roll calls were cast by the Soviet delegation, before Russia took
#: over the seat at the end of December 1991. Comparisons with the model start here.
FIRST_RUSSIAN_YEAR = 1992

IDEALPOINT_SUMMARY_FILE = "unga_idealpoint_rus_usa_nato_summary_1991_2012.csv"
IDEALPOINT_MEMBERS_FILE = "unga_idealpoint_distance_rus_vs_nato_members_long_1991_2012.csv"


def _path(name: str) -> Path:
    path = DATA_DIR / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found (natosim's data folder is incomplete)")
    return path


def load_idealpoint_summary() -> pd.DataFrame:
    """Load the yearly Russia–USA/NATO UNGA ideal-point summary, 1991–2012.

    Source: Bailey, Strezhnev & Voeten (2017), *Journal of Conflict Resolution* 61(2):
    430–56; data from Voeten's UNGA voting dataset, Harvard Dataverse,
    doi:10.7910/DVN/LEJUQZ (``IdealpointsJuly2025.dta``). Provenance details are in
    ``seeds/data/unga_idealpoint_rus_usa_nato_summary_1991_2012.md``.

    Key columns (ideal-point units, dimensionless; larger distance = less alignment):
    ``rus_idealpointall``, ``usa_idealpointall``, ``dist_rus_usa_all``,
    ``mean_dist_rus_nato_members_all`` (mean over the members of that year),
    ``mean_dist_rus_nato16_all`` (fixed 1991 membership), and the final-passage-vote
    analogues ``*_fp``.

    Returns:
        DataFrame with 22 rows indexed by ``year`` (int, 1991..2012, ascending).
    """
    df = pd.read_csv(_path(IDEALPOINT_SUMMARY_FILE))
    df["year"] = df["year"].astype(int)
    return df.set_index("year").sort_index()


def load_idealpoint_members() -> pd.DataFrame:
    """Load Russia's UNGA ideal-point distance to each (eventual) NATO member, long format.

    Source: Bailey, Strezhnev & Voeten (2017), *Journal of Conflict Resolution* 61(2):
    430–56; data from Voeten's UNGA voting dataset, Harvard Dataverse,
    doi:10.7910/DVN/LEJUQZ. Provenance details are in
    ``seeds/data/unga_idealpoint_distance_rus_vs_nato_members_long_1991_2012.md``.

    One row per (``year``, ``iso3c``) for the 32 current NATO members, 1991–2012, including
    pre-accession years (``nato_member_in_year`` is 0 before ``nato_accession_year``).
    Distances: ``abs_dist_all`` (all votes) and ``abs_dist_fp`` (final-passage votes).

    Returns:
        Long DataFrame with a default RangeIndex, sorted by ``iso3c`` then ``year``.
    """
    df = pd.read_csv(_path(IDEALPOINT_MEMBERS_FILE))
    df["year"] = df["year"].astype(int)
    return df.sort_values(["iso3c", "year"], ignore_index=True)
