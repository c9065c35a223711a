"""The one error formatter: one line, bounded, whatever value it is asked to show."""

from __future__ import annotations

from sim.files.errors import MAX_MESSAGE_CHARS, InputError, shown


def test_shown_never_walks_a_large_value() -> None:
    leaf: list[object] = ["lol"] * 9
    for _ in range(9):  # what a YAML alias bomb builds: 9**10 leaves, shared
        leaf = [leaf] * 9
    text = shown(leaf)
    assert len(text) <= 80
    assert text.startswith("[[[[")
    assert shown(list(range(10**6))) == "[0, 1, 2, 3, 4, 5, ...]"
    assert shown("x" * 10**6).startswith("'xxxx") and len(shown("x" * 10**6)) <= 80


def test_shown_bounds_integers_without_converting_them() -> None:
    assert shown(10**400) == "<an integer of about 400 digits>"
    assert shown(2**63 - 1) == "9223372036854775807"
    assert shown(True) == "True"


def test_an_input_error_is_one_bounded_line() -> None:
    err = InputError("a\nb.toml", "events[0]\n.year", "bad\r\nvalue " + "x" * 10_000)
    text = str(err)
    assert "\n" not in text and "\r" not in text
    assert len(err.message) <= MAX_MESSAGE_CHARS
    assert text.startswith("a b.toml: events[0] .year: bad  value xxx")
    assert str(InputError("--workers: must be at least 1")) == "--workers: must be at least 1"
