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
    """Marks as (x, y, colour); the marker and fill are in :func:`_shapes`."""
    return [(x, y, c) for x, y, c, _, _ in _shapes(ax)]


def _shapes(ax) -> list[tuple[float, float, str, str, bool]]:
    """Marks as (x, y, colour, marker, filled)."""
    return [
        (
            float(x),
            float(y),
            to_hex(ln.get_color()),
            ln.get_marker(),
            to_hex(ln.get_markerfacecolor()) != "#ffffff",
        )
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
    # colour: whose act (Russia vermillion, NATO blue, shock grey); shape: how it was read
    by_year = {round(x): (y, c, m, f) for x, y, c, m, f in _shapes(strip)}
    rus = strip_mod.LANE_Y[("rus", "scheduled")]
    assert by_year[2003] == (rus, style.RUS_COLOR, style.TONE_MARKERS["hostile"], True)
    assert by_year[2004] == (0.0, style.NEUTRAL, "D", True)
    west = sorted((c, m) for x, y, c, m, _ in _shapes(strip) if round(x) == 2001)
    assert west == [(style.NATO_COLOR, "^"), (style.NATO_COLOR, "v")]  # talks; enlargement
    names = {t.get_text() for t in strip.texts}
    assert {"enlargement", "use of force: Georgia"} <= names
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
    chosen = [(y, c, m, f) for x, y, c, m, f in _shapes(ax) if round(x) == 2005]
    # energy pressure: Russia's, read as hostile, chosen (an open mark)
    assert chosen == [(strip_mod.LANE_Y[("rus", "chosen")], style.RUS_COLOR, "v", False)]
    assert {t.get_text() for t in ax.texts} == {"enlargement", "use of force: Georgia"}


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
    medians = [ln for ln in ax.get_lines() if not ln.get_label().startswith("_")]
    assert [ln.get_label() for ln in medians] == ["base", "other"]
    assert _legend(ax) == ["base", "other", "thin lines: 50 % of runs"]
    # bands are two thin lines per scenario, not translucent fills that blend into grey
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) == 0
    assert sum(ln.get_label() == "_band" for ln in ax.get_lines()) == 4
    assert ax.get_xlabel() == "year"
    assert ax.get_ylabel() == "trust RUS → NATO"
    assert ax.get_title() == "RUS → NATO across scenarios (median and 50 % band)"
    assert [to_hex(ln.get_color()) for ln in medians] == list(style.PALETTE[:2])
    assert [ln.get_linestyle() for ln in medians] == ["-", "--"]  # apart in grey print too


def _runs() -> pd.DataFrame:
    xs, ys = [0.0, 0.5, 1.0], [1.0, 2.0]
    rows = [(x, y, x + 10 * y + r) for x in xs for y in ys for r in (0.0, 1.0)]
    return pd.DataFrame(rows, columns=["x", "y", "out"])


def test_heatmap_shows_the_median_of_each_cell() -> None:
    fig = figures.heatmap_figure(_runs(), "x", "y", "out")
    ax = fig.axes[0]
    (im,) = [a for a in ax.get_images() if isinstance(a, AxesImage)]
    data = np.asarray(im.get_array())
    assert data.shape == (2, 3)
    assert data[0].tolist() == [20.5, 21.0, 21.5]  # y = 2 on top
    assert data[1].tolist() == [10.5, 11.0, 11.5]
    assert len(ax.texts) == 6 and ax.texts[0].get_text() == "20.50"
    assert ax.get_xlabel().splitlines()[0] == "x" and ax.get_ylabel() == "y"
    assert "median over its runs" in ax.get_xlabel()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "0.5", "1"]
    assert ax.get_title() == "out over x and y"
    assert fig.axes[1].get_ylabel() == "median out"  # the colour bar
    skewed = pd.concat([_runs(), pd.DataFrame([(0.0, 1.0, 110.0)], columns=["x", "y", "out"])])
    (im,) = figures.heatmap_figure(skewed, "x", "y", "out").axes[0].get_images()
    assert np.asarray(im.get_array())[1, 0] == 11.0  # median of 10, 11 and 110, not the mean


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
    assert ax.get_ylabel() == "index (whiskers: 95 % interval)"
    assert len(_whiskers(ax)) == 6


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
    assert top.get_title() == "usa rus, against NATO's trust in Russia   [r = 0.84]"
    assert bottom.get_title() == "rus usa, against Russia's trust in NATO"
    assert bottom.get_xlabel() == "year"
    # the years are ticked as years, whatever the window (1992-2012 gave 1992.5, 1997.5)
    long = pd.concat([table.assign(year=table.year - 8), table.assign(year=table.year + 2)])
    wide = figures.calibration_figure(long.drop_duplicates(["series", "year"]))
    wide.canvas.draw()
    for ax in wide.axes:
        assert ax.get_xlim()[0] < 1993 and ax.get_xlim()[1] > 2011
        assert all(float(t).is_integer() for t in ax.get_xticks()), ax.get_xticks()
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


def _whiskers(ax) -> list:
    """The error-bar segments of an axis (one per bar with an interval)."""
    from matplotlib.collections import LineCollection

    return [
        seg for c in ax.collections if isinstance(c, LineCollection) for seg in c.get_segments()
    ]


def test_morris_sigma_gets_no_zero_width_interval() -> None:
    sens = pd.DataFrame(
        [("o", p, "morris", "mu_star", v, 0.1) for p, v in (("a", 0.5), ("b", 0.3))]
        + [("o", p, "morris", "sigma", v, float("nan")) for p, v in (("a", 0.2), ("b", 0.1))],
        columns=["outcome", "parameter", "method", "index", "value", "conf"],
    )
    ax = figures.sensitivity_figure(sens, "o").axes[0]
    assert _legend(ax) == ["μ*", "σ"]
    assert len([p for p in ax.patches if isinstance(p, Rectangle)]) == 4
    assert len(_whiskers(ax)) == 2  # only μ* has intervals
    assert ax.get_ylabel() == "index (whiskers: 95 % interval; none for σ)"


def test_calibration_titles_say_what_the_series_are() -> None:
    from sim.results.figures.calibration import series_label

    assert series_label("dist_rus_usa_all") == "UN voting distance: Russia to the United States"
    assert series_label("mean_dist_rus_nato_members_fp").endswith("(final-passage votes)")
    rows = [("dist_rus_usa_all", "RUS", "USA", y, 1.0, 1.0, 0.9, 1.1) for y in YEARS]
    cols = ["series", "observer", "target", "year", "distance", "model_median", "model_q05",
            "model_q95"]  # fmt: skip
    (ax,) = figures.calibration_figure(pd.DataFrame(rows, columns=cols)).axes
    assert ax.get_title() == (
        "UN voting distance: Russia to the United States, against Russia's trust in the United States"
    )


def test_compare_draws_every_direction_and_the_outcome_asked_for() -> None:
    trajs = {"base": _traj(), "other": _traj(2)}
    values = {"base": np.array([0.1, 0.2, 0.3]), "other": np.array([0.5, 0.6])}
    fig = figures.compare_figure(trajs, outcome="final_trust_rus_nato", values=values)
    nato, rus, box = fig.axes
    assert nato.get_title().startswith("NATO → RUS") and rus.get_title().startswith("RUS → NATO")
    assert box.get_title() == "final_trust_rus_nato per scenario"
    assert [t.get_text() for t in box.get_xticklabels()] == ["base", "other"]
    assert _legend(box) == ["median", "25-75 %", "whiskers: 5-95 %"]
    medians = [ln for ln in box.get_lines() if len(ln.get_ydata()) == 2 and ln.get_ydata()[0]
               == ln.get_ydata()[1]]  # fmt: skip
    assert {round(float(ln.get_ydata()[0]), 3) for ln in medians} >= {0.2, 0.55}


def test_the_strip_has_a_legend_for_every_kind_of_mark_and_a_caption() -> None:
    fig = figures.trust_fan_figure(_traj(), EVENTS)
    strip = fig.axes[1]
    assert _legend(strip) == [
        "act of NATO or a member",
        "act of Russia",
        "read as hostile by the other side",
        "read as friendly by the other side",
        "outside shock",
    ]
    caption = style.caption_of(fig)
    assert caption.startswith("Marks: the scenario's scheduled events and outside shocks")
    assert "not drawn" in caption
    web = figures.trust_fan_figure(_traj(), None)
    assert style.caption_of(web) == "No events are marked: this folder has no events.csv."


def _scheduled(rows) -> pd.DataFrame:
    return pd.DataFrame(
        [(0, y, "NATO", a, t, "scheduled") for y, a, t in rows],
        columns=["replicate", "year", "actor", "action", "target", "origin"],
    )


def test_the_names_of_one_year_are_one_block_and_none_is_hidden() -> None:
    ev = _scheduled(
        [(2001, "enlargement_wave", "POL"), (2001, "missile_shield_deployment", "POL"),
         (2001, "humanitarian_intervention", "SRB"), (2004, "enlargement_wave", "EST")]
    )  # fmt: skip
    ax = figures.trust_fan_figure(_traj(), None).axes[1]
    ax.cla()
    ax.set_xlim(2000.5, 2010.5)
    info = figures.event_strip(ax, ev, span=10)
    names = sorted(t.get_text() for t in ax.texts if t.get_gid() == "event-name")
    # heaviest reading first: Kosovo is read as globalisation, not R2P, so it comes last
    assert names == [
        "enlargement",
        "enlargement\nmissile shield\nhumanitarian intervention: Serbia",
    ]
    assert (info.named, info.unnamed) == (4, 0)
    assert "more are marked but not named" not in strip_mod.strip_caption(info)
    for t in ax.texts:  # horizontal, readable, inside the strip
        assert t.get_rotation() == 0 and t.get_fontsize() >= style.MIN_FONT
        assert 2000.5 <= t.get_position()[0] <= 2010.5


def test_names_that_find_no_room_are_counted_in_the_caption() -> None:
    ev = _scheduled([(y, "missile_shield_deployment", "POL") for y in range(1990, 2034)])
    ax = figures.trust_fan_figure(_traj(), None).axes[1]
    ax.cla()
    ax.set_xlim(1989.5, 2033.5)
    info = figures.event_strip(ax, ev, span=43)
    shown = [t for t in ax.texts if t.get_gid() == "event-name"]
    assert info.named == len(shown) and info.unnamed == 44 - len(shown) > 0
    caption = strip_mod.strip_caption(info)
    assert f"{info.unnamed} more are marked but not named for lack of room" in caption
    ax.cla()
    long = figures.event_strip(ax, ev, span=strip_mod.MAX_LABELLED_SPAN + 1)
    assert long.span_too_long and "too long to name" in strip_mod.strip_caption(long)
    assert [t for t in ax.texts if t.get_gid() == "event-name"] == []


def _texts(fig) -> list:
    from matplotlib.text import Text

    return [t for t in fig.findobj(Text) if t.get_text().strip() and t.get_visible()]


def test_no_text_is_smaller_than_eight_points() -> None:
    sens = pd.DataFrame(
        [("o", p, "sobol", i, 0.3, 0.05) for p in "abc" for i in ("S1", "ST")],
        columns=["outcome", "parameter", "method", "index", "value", "conf"],
    )
    rows = [("dist_rus_usa_all", "RUS", "USA", y, 1.0, 1.0, 0.9, 1.1) for y in YEARS]
    cols = ["series", "observer", "target", "year", "distance", "model_median", "model_q05",
            "model_q95"]  # fmt: skip
    figs = [
        figures.trust_fan_figure(_traj(), EVENTS),
        figures.out_of_sample_figure(_traj(), fitted_until=2005),
        figures.compare_figure({"a": _traj()}, outcome="o", values={"a": np.ones(3)}),
        figures.heatmap_figure(_runs(), "x", "y", "out"),
        figures.sensitivity_figure(sens, "o"),
        figures.calibration_figure(pd.DataFrame(rows, columns=cols)),
    ]
    for fig in figs:
        small = [(t.get_text(), t.get_fontsize()) for t in _texts(fig) if t.get_fontsize() < 8]
        assert small == [], small


def test_format_and_file_name_must_agree(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"does not match the file name compare\.pdf"):
        figures.compare_scenarios({"a": _traj()}, tmp_path / "compare.pdf", fmt="png")
    assert not (tmp_path / "compare.pdf").exists()
    figures.compare_scenarios({"a": _traj()}, tmp_path / "compare.pdf", fmt="pdf")
    assert _is("pdf", (tmp_path / "compare.pdf").read_bytes())


def test_out_of_sample_keeps_the_note_clear_of_the_legend_and_zooms_to_the_data() -> None:
    traj = _traj()
    ax = figures.out_of_sample_figure(traj, fitted_until=2005).axes[0]
    lo, hi = ax.get_ylim()
    assert lo > 0.1 and hi < 0.9  # fitted to the 5-95 % bands (0.2-0.8), not 0-1
    legend = ax.get_legend()
    assert legend.get_bbox_to_anchor().x0 > ax.bbox.x1 - 1  # outside the chart, on the right


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
