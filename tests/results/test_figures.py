"""What each figure shows: axes, titles, lines, bands, event marks, legends, file formats."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_hex
from matplotlib.image import AxesImage
from matplotlib.patches import Rectangle

from sim.results import figures
from sim.results.figures import events as strip_mod
from sim.results.figures import style

YEARS = list(range(2000, 2011))
PAIRS = (("NATO", "RUS"), ("RUS", "NATO"))

EVENTS = pd.DataFrame(
    [
        (0, 2001, "NATO", "enlargement_wave", "POL", "scheduled"),
        (0, 2001, "NATO", "nrc_engagement", "RUS", "scheduled"),
        (0, 2003, "RUS", "use_of_force", "GEO", "scheduled"),
        (0, 2004, "WORLD", "threat_shock", "terrorism", "shock"),
        (0, 2005, "RUS", "energy_pressure", "UKR", "chosen"),
        (1, 2006, "NATO", "enlargement_wave", "EST", "scheduled"),  # another replicate
    ],
    columns=["replicate", "year", "actor", "action", "target", "origin"],
)


def _traj(replicates: int = 3, pairs=PAIRS) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    rows = [
        (r, y, o, t, float(rng.uniform(0.2, 0.8)))
        for r in range(replicates)
        for y in YEARS
        for o, t in pairs
    ]
    return pd.DataFrame(rows, columns=["replicate", "year", "observer", "target", "trust"])


def _marks(ax) -> list:
    return [ln for ln in ax.get_lines() if ln.get_label().lstrip("_") in strip_mod.ORIGINS]


def _points(ax) -> list[tuple[float, float, str]]:
    return [
        (float(x), float(y), to_hex(ln.get_color()))
        for ln in _marks(ax)
        for x, y in zip(ln.get_xdata(), ln.get_ydata(), strict=True)
    ]


def _legend(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


# --------------------------------------------------------------------------- savefig

MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-"}


def _is(fmt: str, data: bytes) -> bool:
    if fmt == "svg":
        return data.startswith(b"<?xml") and b"<svg" in data[:2000]
    return data.startswith(MAGIC[fmt])


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_savefig_writes_the_format_of_the_suffix(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"fan.{fmt}"
    figures.trust_fan(_traj(), EVENTS, target)
    assert _is(fmt, target.read_bytes())
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no temporary left


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_savefig_writes_the_format_asked_for(tmp_path: Path, fmt: str) -> None:
    buf = io.BytesIO()
    figures.compare_scenarios({"a": _traj()}, buf, fmt=fmt)
    assert _is(fmt, buf.getvalue())
    target = tmp_path / "no_suffix"
    figures.heatmap(_runs(), "x", "y", "out", target, fmt=fmt)
    assert _is(fmt, target.read_bytes())


def test_savefig_defaults_to_png_and_refuses_other_formats(tmp_path: Path) -> None:
    buf = io.BytesIO()
    style.savefig(figures.trust_fan_figure(_traj(), None), buf)
    assert _is("png", buf.getvalue())
    with pytest.raises(ValueError, match="jpg"):
        figures.trust_fan(_traj(), None, tmp_path / "x.jpg")
    assert not (tmp_path / "x.jpg").exists()


# --------------------------------------------------------------------------- fan


def test_trust_fan_shows_median_and_two_bands_per_pair() -> None:
    fig = figures.trust_fan_figure(_traj(), EVENTS, title="my title")
    ax, strip = fig.axes
    assert ax.get_title() == "my title"
    assert ax.get_ylabel() == "trust (0 = none, 1 = full)"
    assert ax.get_ylim() == (0.0, 1.0)
    assert strip.get_xlabel() == "year"
    medians = [ln for ln in ax.get_lines() if ln.get_label().endswith("(median)")]
    assert [ln.get_label() for ln in medians] == ["NATO → RUS (median)", "RUS → NATO (median)"]
    assert [to_hex(ln.get_color()) for ln in medians] == [style.NATO_COLOR, style.RUS_COLOR]
    traj = _traj()
    want = traj[(traj.observer == "NATO") & (traj.target == "RUS")].groupby("year").trust.median()
    assert np.allclose(medians[0].get_ydata(), want.to_numpy())
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) == 4  # 50 % and 90 % bands
    assert _legend(ax) == ["NATO → RUS (median)", "RUS → NATO (median)"]
    assert ax.get_legend().get_title().get_text() == "bands: 50 % and 90 % of 3 runs"


def test_trust_fan_marks_the_scheduled_events_and_shocks_of_the_first_replicate() -> None:
    fig = figures.trust_fan_figure(_traj(), EVENTS)
    strip = fig.axes[1]
    points = _points(strip)
    # chosen acts (they differ between replicates) and replicate 1 are not drawn
    assert sorted(round(x) for x, _, _ in points) == [2001, 2001, 2003, 2004]
    by_year = {round(x): (y, c) for x, y, c in points}
    assert by_year[2003] == (strip_mod.LANE_Y[("rus", "scheduled")], style.HOSTILE)
    assert by_year[2004] == (0.0, style.NEUTRAL)
    west = sorted(c for x, y, c in points if round(x) == 2001)
    assert west == sorted([style.HOSTILE, style.FRIENDLY])  # enlargement; Council talks
    labels = {t.get_text() for t in strip.texts}
    assert {"enlargement", "use of force"} <= labels
    assert [t.get_text() for t in strip.get_yticklabels()] == ["NATO / West", "Russia"]


def test_trust_fan_without_events_says_so() -> None:
    strip = figures.trust_fan_figure(_traj(), None).axes[1]
    assert _marks(strip) == []
    assert [t.get_text() for t in strip.texts] == ["events not recorded"]


def test_out_of_sample_fan_shades_the_years_after_the_fit() -> None:
    fig = figures.out_of_sample_figure(_traj(), fitted_until=2005)
    (ax,) = fig.axes
    assert ax.get_xlabel() == "year"
    assert ax.get_title().startswith("Calibrated history continued")
    spans = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(spans) == 1 and spans[0].get_x() == pytest.approx(2005.5)
    assert "out of sample (no data used)" in [t.get_text() for t in ax.texts]
    assert len([ln for ln in ax.get_lines() if ln.get_label().endswith("(median)")]) == 2


# --------------------------------------------------------------------------- event strip


def test_event_strip_lanes_and_colours_follow_the_other_sides_reading() -> None:
    fig = figures.trust_fan_figure(_traj(), None)
    ax = fig.axes[1]
    ax.cla()
    figures.event_strip(ax, EVENTS, span=10)
    points = _points(ax)
    assert len(points) == 5  # every event of replicate 0, chosen included
    chosen = [(y, c) for x, y, c in points if round(x) == 2005]
    assert chosen == [(strip_mod.LANE_Y[("rus", "chosen")], style.HOSTILE)]  # gas cut-off
    assert {t.get_text() for t in ax.texts} == {"enlargement", "use of force"}


def test_event_strip_names_no_acts_on_long_spans() -> None:
    ax = figures.trust_fan_figure(_traj(), None).axes[1]
    ax.cla()
    figures.event_strip(ax, EVENTS, span=strip_mod.MAX_LABELLED_SPAN + 1)
    assert len(_points(ax)) == 5
    assert list(ax.texts) == []


# --------------------------------------------------------------------------- others


def test_compare_scenarios_draws_one_line_and_band_per_scenario() -> None:
    fig = figures.compare_figure({"base": _traj(), "other": _traj(2)}, pair=("RUS", "NATO"))
    (ax,) = fig.axes
    assert [ln.get_label() for ln in ax.get_lines()] == ["base", "other"]
    assert _legend(ax) == ["base", "other"]
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) == 2
    assert ax.get_xlabel() == "year"
    assert ax.get_ylabel() == "trust RUS → NATO"
    assert ax.get_title() == "RUS → NATO across scenarios (median and 50 % band)"
    assert [to_hex(ln.get_color()) for ln in ax.get_lines()] == list(style.PALETTE[:2])


def _runs() -> pd.DataFrame:
    xs, ys = [0.0, 0.5, 1.0], [1.0, 2.0]
    rows = [(x, y, x + 10 * y + r) for x in xs for y in ys for r in (0.0, 1.0)]
    return pd.DataFrame(rows, columns=["x", "y", "out"])


def test_heatmap_shows_the_mean_of_each_cell() -> None:
    fig = figures.heatmap_figure(_runs(), "x", "y", "out")
    ax = fig.axes[0]
    (im,) = [a for a in ax.get_images() if isinstance(a, AxesImage)]
    data = np.asarray(im.get_array())
    assert data.shape == (2, 3)
    assert data[0].tolist() == [20.5, 21.0, 21.5]  # y = 2 on top
    assert data[1].tolist() == [10.5, 11.0, 11.5]
    assert len(ax.texts) == 6 and ax.texts[0].get_text() == "20.50"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x", "y")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "0.5", "1"]
    assert ax.get_title() == "out over x and y"
    assert fig.axes[1].get_ylabel() == "mean out"  # the colour bar


def test_sensitivity_bars_one_bar_per_parameter_and_index() -> None:
    sens = pd.DataFrame(
        [
            ("o", p, "sobol", i, v, 0.05)
            for p, v in (("a", 0.6), ("b", 0.2), ("c", 0.1))
            for i in ("S1", "ST")
        ]
        + [("other", "a", "sobol", "S1", 0.9, 0.1)],
        columns=["outcome", "parameter", "method", "index", "value", "conf"],
    )
    fig = figures.sensitivity_figure(sens, "o")
    (ax,) = fig.axes
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 6
    assert sorted(round(b.get_height(), 6) for b in bars) == [0.1, 0.1, 0.2, 0.2, 0.6, 0.6]
    assert _legend(ax) == ["S1", "ST"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    assert ax.get_title() == "Sensitivity of o"
    assert ax.get_ylabel() == "index (bars: 95 % interval)"


def test_calibration_fit_one_panel_per_series_with_data_and_model() -> None:
    rows = [
        (s, o, t, y, 1.0 + 0.1 * i, 1.0, 0.8, 1.2)
        for s, o, t in (("usa_rus", "NATO", "RUS"), ("rus_usa", "RUS", "NATO"))
        for i, y in enumerate(YEARS)
    ]
    table = pd.DataFrame(
        rows,
        columns=["series", "observer", "target", "year", "distance", "model_median",
                 "model_q05", "model_q95"],
    )  # fmt: skip
    band = table[["series", "year"]].assign(post_q05=0.9, post_q95=1.1)
    fig = figures.calibration_figure(
        table, posterior_band=band, stats={"usa_rus": "r = 0.84"}, split_year=2005
    )
    assert len(fig.axes) == 2
    top, bottom = fig.axes
    assert top.get_title() == "usa_rus  vs  trust NATO → RUS   [r = 0.84]"
    assert bottom.get_title() == "rus_usa  vs  trust RUS → NATO"
    assert bottom.get_xlabel() == "year"
    assert top.yaxis_inverted()
    assert _legend(top) == [
        "model: 5-95 % of replicates",
        "posterior 5-95 %",
        "model NATO → RUS (median)",
        "UNGA data",
        "split check: train ≤ 2005",
    ]
    data = next(ln for ln in top.get_lines() if ln.get_label() == "UNGA data")
    assert np.allclose(data.get_ydata(), table.distance[:11])
    assert fig._suptitle.get_text().startswith("Model against UNGA")


def test_the_package_keeps_every_figure_importable() -> None:
    from sim.results.figures import (  # noqa: F401
        bands,
        calibration_fit,
        compare_scenarios,
        heatmap,
        out_of_sample_fan,
        pair_label,
        sensitivity_bars,
        trust_fan,
    )

    assert pair_label("NATO", "RUS") == "NATO → RUS"
