"""Every command that draws takes --format png|svg|pdf, checked before anything runs."""

from __future__ import annotations

import pytest

from sim.cli.formats import figure_format
from sim.cli.main import main
from sim.files.errors import InputError


def test_format_comes_from_the_option_else_the_extension_else_png() -> None:
    assert figure_format(None, None) == "png"
    assert figure_format("SVG", None) == "svg"
    assert figure_format(None, "out/compare.pdf") == "pdf"
    assert figure_format("pdf", "compare.pdf") == "pdf"
    with pytest.raises(InputError, match="disagree"):
        figure_format("png", "compare.pdf")
    with pytest.raises(InputError, match="extension"):
        figure_format(None, "compare.jpg")
    with pytest.raises(InputError, match="choose png, svg or pdf"):
        figure_format("gif", None)


@pytest.mark.parametrize("command", ["calibrate calibration", "evaluate historical"])
def test_a_bad_format_is_refused_before_any_work(command: str, tmp_path, capsys) -> None:
    out = tmp_path / "o"
    args = [*command.split(), "--out", str(out), "--format", "jpg", "--quiet"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--format 'jpg'" in err
    assert not out.exists()
