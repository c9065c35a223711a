"""The page's downloads: this run's tables, as ``natosim run`` writes them."""

from __future__ import annotations

import solara

from sim.model.runner import run
from sim.web.adapter import AppModel

__all__ = ["Downloads", "run_files"]


def run_files(model: AppModel) -> dict[str, bytes]:
    """This run's ``trajectory.csv`` and ``events.csv`` over the whole span, as ``natosim run``.

    The page's model is ``run(scenario, seed, **overrides)`` with one replicate
    (tested), so the files are that run's, whatever year the page has reached.
    """
    res = run(model.scenario_spec, seed=model.seed, **model.changed_parameters())
    return {
        "trajectory.csv": res.trajectory.to_csv(index=False).encode(),
        "events.csv": res.events.to_csv(index=False).encode(),
    }


@solara.component
def Downloads(model: AppModel) -> None:  # noqa: N802
    """Buttons that download this run's tables (computed when clicked)."""
    stem = f"{model.scenario_spec.name}_seed{model.seed}"
    with solara.Row(classes=["natosim-downloads"]):
        for name in ("trajectory.csv", "events.csv"):
            solara.FileDownload(
                lambda name=name: run_files(model)[name],
                filename=f"{stem}_{name}",
                label=f"Download {name}",
                mime_type="text/csv",
            )
