"""How to cite natosim: CITATION.cff is valid, current, and cites the sources."""

from __future__ import annotations

import tomllib

import yaml

import sim
from tests.paths import ROOT


def _cff() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_the_citation_has_what_the_format_requires() -> None:
    cff = _cff()
    for key in ("cff-version", "message", "title", "authors", "type", "version", "license"):
        assert cff.get(key), key
    assert cff["type"] == "software"
    assert all("name" in a or "family-names" in a for a in cff["authors"])


def test_the_citation_names_this_version_and_licence() -> None:
    cff = _cff()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert str(cff["version"]) == project["version"] == sim.__version__
    assert cff["license"] == project["license"]["text"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith(f"{cff['license']} License")


def test_the_citation_cites_the_article_and_the_data_it_is_judged_on() -> None:
    refs = {r["title"]: r for r in _cff()["references"]}
    article = refs["NATO and Russia: A Perpetual New Beginning"]
    assert (article["year"], article["start"], article["end"]) == (2012, 75, 96)
    assert {a["family-names"] for a in article["authors"]} == {"Kanet", "Larivé"}
    voeten = refs["United Nations General Assembly Voting Data"]
    readme = (ROOT / "seeds" / "data" / "README.md").read_text(encoding="utf-8")
    assert voeten["doi"] in readme  # the DOI the data folder cites
