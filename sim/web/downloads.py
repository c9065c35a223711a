"""The page's downloads: this run's files, as ``natosim run`` writes them, and the chart."""

from __future__ import annotations

import io
import json

import solara

from sim.model.runner import run
from sim.results.rundir import manifest
from sim.web.adapter import AppModel
from sim.web.figure import trust_figure

__all__ = ["Downloads", "chart_png", "run_files"]

#: The files of a run, and their media types.
FILES = {
    "trajectory.csv": "text/csv",
    "events.csv": "text/csv",
    "manifest.json": "application/json",
}


def run_files(model: AppModel) -> dict[str, bytes]:
    """This run's ``trajectory.csv``, ``events.csv`` and ``manifest.json``, as ``natosim run``.

    The page's model is ``run(scenario, seed, **overrides)`` with one replicate
    (tested), so the files are that run's over its whole span, whatever year the
    page has reached. The tables are byte for byte those of ``natosim run`` with
    the page's command; the manifest records the same scenario, seed and
    parameters (with the files the page offers).
    """
    res = run(model.scenario_spec, seed=model.seed, **model.changed_parameters())
    about = manifest(res, {"files": list(FILES), "written_by": "natosim app"})
    return {
        "trajectory.csv": res.trajectory.to_csv(index=False).encode(),
        "events.csv": res.events.to_csv(index=False).encode(),
        "manifest.json": (json.dumps(about, indent=2, sort_keys=True) + "\n").encode(),
    }


def chart_png(model: AppModel) -> bytes:
    """The chart as the page shows it now (up to the year reached), as a PNG for a handout."""
    with model.lock:
        fig = trust_figure(model)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150)
    return buf.getvalue()


@solara.component
def Downloads(model: AppModel) -> None:  # noqa: N802
    """Buttons that download this run's files and the chart (computed when clicked).

    The files are named as the page's command names its folder
    (``NAME_seedSEED``, with a digest of the changed settings), so two
    settings' downloads do not share names.
    """
    stem = model.run_name()
    with solara.Row(classes=["natosim-downloads"]):
        for name, mime in FILES.items():
            solara.FileDownload(
                lambda name=name: run_files(model)[name],
                filename=f"{stem}_{name}",
                label=f"Download {name}",
                mime_type=mime,
            )
        solara.FileDownload(
            lambda: chart_png(model),
            filename=f"{stem}_chart.png",
            label="Download the chart (PNG)",
            mime_type="image/png",
        )
