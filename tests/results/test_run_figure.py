"""``sim.trust_figure``: a run's trust chart as a figure, the one trust.png saves."""

from __future__ import annotations

from pathlib import Path

import pytest
from matplotlib.figure import Figure

import sim
from sim import InputError, run, write_run
from sim.results.run_figure import figure_png


@pytest.fixture(scope="module")
def res() -> sim.RunResult:
    return run("historical", seed=4, replicates=5)


def test_the_figure_is_trust_png(res, tmp_path: Path) -> None:
    fig = sim.trust_figure(res)
    assert isinstance(fig, Figure)
    assert fig.axes[0].get_title() == "historical: NATO-Russia trust (5 replicates)"
    write_run(res, tmp_path / "r")
    assert figure_png(fig) == (tmp_path / "r" / "trust.png").read_bytes()


def test_other_pairs_are_drawn_and_named(res) -> None:
    fig = sim.trust_figure(res, pairs=[("RUS", "UKR"), ("POL", "RUS")])
    ax = fig.axes[0]
    assert ax.get_title() == (
        "historical: Russia's trust in Ukraine; Poland's trust in Russia (5 replicates)"
    )
    medians = {line.get_label(): line.get_ydata() for line in ax.get_lines()}
    want = res.median("RUS", "UKR").to_numpy()
    assert any(len(y) == len(want) and (y == want).all() for y in medians.values())


@pytest.mark.parametrize(
    ("pairs", "says"),
    [
        ([("RUS", "UKX")], "no trust RUS -> UKX in this scenario (did you mean 'UKR'"),
        ([("NATO", "BEL")], "no trust NATO -> BEL in this scenario (NATO's trust in: "),
        ("RUS:POL", "expected (observer, target) pairs"),
        ([("RUS",)], "expected (observer, target) pairs"),
        ([], "pairs is empty"),
    ],
)
def test_a_pair_it_cannot_draw_is_one_line(res, pairs, says: str) -> None:
    with pytest.raises(InputError) as e:
        sim.trust_figure(res, pairs=pairs)
    assert str(e.value).startswith("trust_figure: ") and says in str(e.value)
    assert "\n" not in str(e.value)


def test_matplotlib_waits_until_a_figure_is_asked_for() -> None:
    import subprocess
    import sys

    code = (
        "import sys, sim; r = sim.run('historical'); r.trajectory; a = 'matplotlib' in sys.modules; "
        "sim.trust_figure(r); print(a, 'matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def test_pairs_from_a_generator_a_wrong_result_and_pickling(res) -> None:
    import pickle

    fig = sim.trust_figure(res, pairs=(p for p in [("RUS", "UKR")]))
    assert fig.axes[0].get_title().startswith("historical: Russia's trust in Ukraine")
    assert pickle.loads(pickle.dumps(fig)).axes[0].get_title() == fig.axes[0].get_title()
    with pytest.raises(InputError, match=r"trust_figure: expected a RunResult .*, got str"):
        sim.trust_figure("historical")
