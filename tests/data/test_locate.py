"""``find_input``: a bare name is a file beside the referring one, else a bundled file."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.data import locate
from sim.files.errors import InputError
from sim.model.resolve import load_scenario


def test_a_folder_named_like_the_parent_does_not_hide_the_bundled_file(tmp_path: Path) -> None:
    """A run folder `historical/` beside a calibrated scenario that extends "historical"."""
    (tmp_path / "historical").mkdir()
    (tmp_path / "mine.toml").write_text('name = "mine"\nextends = "historical"\n')
    assert locate.find_input("historical", "scenario", tmp_path) == (
        locate.bundled_scenario("historical").resolve()
    )
    assert load_scenario(tmp_path / "mine.toml").name == "mine"


def test_a_file_beside_it_still_comes_first(tmp_path: Path) -> None:
    (tmp_path / "historical").mkdir()
    (tmp_path / "historical.toml").write_text('name = "historical"\n')
    assert locate.find_input("historical", "scenario", tmp_path) == tmp_path / "historical.toml"


def test_a_folder_of_no_bundled_name_is_said_to_be_a_folder(tmp_path: Path) -> None:
    (tmp_path / "results").mkdir()
    with pytest.raises(InputError, match="is a directory, not a scenario file"):
        load_scenario(locate.find_input("results", "scenario", tmp_path))
