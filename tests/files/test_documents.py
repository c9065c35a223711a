"""The one bounded reader: every hostile file is one InputError naming it, read in bounded time."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sim.files.documents import read_document, read_json
from sim.files.errors import InputError
from sim.files.limits import MAX_DEPTH, MAX_DOCUMENT_BYTES, MAX_VALUES


def _error(path: Path, what: str = "scenario") -> InputError:
    with pytest.raises(InputError) as info:
        read_document(path, what)
    err = info.value
    assert "\n" not in str(err)
    assert len(str(err)) < 1200
    return err


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


BILLION_LAUGHS = "name: x\nparameters:\n  nrc_share:\n" + "".join(
    f"    - &{c} [{','.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
).replace(
    "    - &b", '    - &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n    - &b', 1
)


@pytest.mark.timeout(20)
def test_a_yaml_alias_bomb_under_parameters_is_refused_before_it_expands(tmp_path: Path) -> None:
    path = _write(tmp_path, "bomb.yaml", BILLION_LAUGHS)
    assert path.stat().st_size < 1000  # 10**9 leaves once expanded
    err = _error(path)
    assert err.path == str(path)
    assert f"more than {MAX_VALUES:,} values" in err.message
    assert "(line 9," in err.message


def test_an_alias_inside_the_node_it_names_is_refused(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, "cycle.yaml", "name: x\nevents: &a [1, *a]\n"))
    assert "alias *a lies inside the node it names" in err.message


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("arrays.toml", "name = 'x'\n[parameters]\nnrc_share = " + "[" * 5000 + "]" * 5000),
        ("tables.toml", "name = 'x'\nt = " + "{a = " * 5000 + "1" + "}" * 5000),
        ("flow.yaml", "name: x\nparameters:\n  nrc_share: " + "[" * 5000 + "]" * 5000),
        ("block.yaml", "name: x\n" + "".join(" " * i + f"k{i}:\n" for i in range(600)) + "v"),
    ],
)
def test_deep_nesting_is_refused_without_recursing(name: str, text: str, tmp_path: Path) -> None:
    err = _error(_write(tmp_path, name, text))
    assert f"nested deeper than {MAX_DEPTH} levels" in err.message


def test_dotted_keys_nesting_too_deep_name_the_field(tmp_path: Path) -> None:
    keys = ".".join(f"k{i}" for i in range(MAX_DEPTH + 2))
    err = _error(_write(tmp_path, "dotted.toml", f"name = 'x'\n{keys} = 1\n"))
    assert err.field is not None and err.field.startswith("k0.k1.k2")
    assert f"nested deeper than {MAX_DEPTH} levels" in err.message


def test_sixteen_levels_are_accepted(tmp_path: Path) -> None:
    value = "[" * MAX_DEPTH + "1" + "]" * MAX_DEPTH
    data = read_document(_write(tmp_path, "ok.toml", f"a = {value}\n"))
    assert isinstance(data["a"], list)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (f"seed = {10**400}\n", "integers have at most 64 bits"),
        ("seed = " + "9" * 5000 + "\n", "a number has more than 4300 digits"),
    ],
)
def test_numbers_too_large_are_refused(text: str, says: str, tmp_path: Path) -> None:
    err = _error(_write(tmp_path, "big.toml", "name = 'x'\n" + text))
    assert says in err.message
    assert len(err.message) < 200


def test_a_yaml_key_given_twice_is_refused_as_toml_does(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, "dup.yaml", "name: x\nseed: 1\nname: y\n"))
    assert err.message == "key 'name' is given twice (line 3, column 1)"
    err = _error(_write(tmp_path, "dup.toml", "name = 'x'\nname = 'y'\n"))
    assert err.message.startswith("malformed TOML:")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("name: !!python/object/apply:os.system ['true']\n", "python tags are not allowed"),
        ("name: x\n---\nname: y\n", "a second document (line 2, column 1)"),
        ("? [a, b]\n: 1\n", "found unhashable key"),
        ("1: x\nname: y\n", "key 1 must be text"),
        ("- a\n- b\n", "top level must be a table of keys"),
    ],
)
def test_yaml_problems_are_one_line(text: str, says: str, tmp_path: Path) -> None:
    assert says in _error(_write(tmp_path, "bad.yaml", text)).message


@pytest.mark.timeout(20)
def test_special_files_are_refused_at_once(tmp_path: Path) -> None:
    assert _error(Path("/dev/zero")).message == "a character device, not a regular file"
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)  # no writer: reading would block forever
    assert _error(fifo).message == "a FIFO (named pipe), not a regular file"
    assert _error(tmp_path).message == "is a directory, not a scenario file"


def test_symbolic_links_are_followed_and_loops_refused(tmp_path: Path) -> None:
    real = _write(tmp_path, "real.toml", "name = 'x'\n")
    (tmp_path / "link.toml").symlink_to(real)
    assert read_document(tmp_path / "link.toml") == {"name": "x"}
    (tmp_path / "a.toml").symlink_to(tmp_path / "b.toml")
    (tmp_path / "b.toml").symlink_to(tmp_path / "a.toml")
    assert "symbolic link loop" in _error(tmp_path / "a.toml").message
    (tmp_path / "dangling.toml").symlink_to(tmp_path / "nowhere.toml")
    err = _error(tmp_path / "dangling.toml")
    assert err.message == f"symbolic link to a missing file ({tmp_path / 'nowhere.toml'})"


def test_a_file_over_the_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    with path.open("wb") as fh:
        fh.truncate(MAX_DOCUMENT_BYTES + 1)  # sparse: nothing to read anyway
    err = _error(path)
    assert err.message == (
        f"file is {MAX_DOCUMENT_BYTES + 1:,} bytes, more than the limit of "
        f"{MAX_DOCUMENT_BYTES:,} bytes"
    )


def test_text_problems(tmp_path: Path) -> None:
    path = tmp_path / "bin.toml"
    path.write_bytes(b"name = '\xff'\n")
    assert _error(path).message == "not UTF-8 text (byte 8)"
    assert _error(_write(tmp_path, "empty.toml", " \n")).message == "file is empty"
    assert _error(tmp_path / "nul\0.toml").message == "a file name cannot contain a NUL character"


def test_manifests_are_read_with_the_same_checks(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(InputError, match="nested deeper than"):
        read_json(path)
    path.write_text('{"seeds": [' + ",".join(["1"] * 200_000) + "]}")
    assert len(read_json(path)["seeds"]) == 200_000  # a large run's seeds are fine
