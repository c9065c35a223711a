"""Messages for experiment files that say what the mistake is.

A scenario handed to ``natosim sweep`` or ``natosim calibrate`` is named as a
scenario, and an unknown key gets the nearest keys of the table it sits in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from sim.experiments.calibration import spec as C
from sim.experiments.outcome_entries import OutcomeEntry
from sim.experiments.ranges import ParamRange
from sim.files.errors import InputError
from sim.model.scenario import Scenario
from sim.model.vocabulary import did_you_mean

__all__ = ["KEY_ALIASES", "not_a_scenario", "unknown_key"]

#: Other tools' words for a sweep's top-level keys (SALib, the EMA Workbench,
#: Mesa's batch_run): the hint names the key they mean here.
KEY_ALIASES = {
    "samples": "n",
    "n_samples": "n",
    "nsamples": "n",
    "points": "n",
    "n_points": "n",
    "n_scenarios": "n",
    "iterations": "replicates",
    "repetitions": "replicates",
    "n_replicates": "replicates",
    "factors": "uncertainties",
    "problem": "uncertainties",
    "random_seed": "seed",
}


def not_a_scenario(path: Path, data: dict[str, Any], experiment_keys: set[str]) -> None:
    """A scenario file given where an experiment is expected is named as such.

    Its keys would otherwise be read as a mistyped experiment (``[parameters]``
    makes a file without ``kind`` look like a calibration).

    Args:
        path: The file.
        data: Its keys.
        experiment_keys: Every key an experiment file may have.

    Raises:
        InputError: If the file has a key only a scenario has.
    """
    if "kind" in data:
        return
    only = (set(Scenario.model_fields) | {"extends"}) - experiment_keys
    found = [k for k in data if k in only]
    if found:
        raise InputError(
            path,
            None,
            f"this is a scenario, not an experiment (it has {', '.join(map(repr, found[:3]))}): "
            f'run it with natosim run, or name it in an experiment (scenario = "{path.name}")',
        )


def unknown_key(err: Any, tags: tuple[str, ...], top: type[BaseModel]) -> str | None:
    """An unknown key as ``unknown key 'hihg' (did you mean 'high'?)``, or None.

    Args:
        err: One pydantic error of an experiment file.
        tags: Union tags in the error's location, left out.
        top: The model the file was validated as (a sweep's or a calibration's):
            its keys are the top level's.

    Returns:
        The message, with the nearest keys of the table the key is in; None for
        an error of another kind.
    """
    if err["type"] not in ("extra_forbidden", "unexpected_keyword_argument"):
        return None
    loc = [p for p in err["loc"] if p not in tags and not isinstance(p, int)]
    key = str(loc[-1]) if loc else ""
    where = str(loc[0]) if len(loc) > 1 else ""
    models: dict[str, Any] = {
        "levers": ParamRange,
        "uncertainties": ParamRange,
        "parameters": ParamRange,
        "outcomes": OutcomeEntry,
        "abc": C.AbcSpec,
        "split": C.SplitSpec,
        "out_of_sample": C.OutOfSampleSpec,
        "targets": C.TargetSpec,
    }
    model = models.get(where)
    if model is not None:
        known = list(getattr(model, "__pydantic_fields__", None) or model.model_fields)
    else:
        known = list(top.model_fields)
    known = [k for k in dict.fromkeys(known) if k != "kind" or not where]
    # the top level's other words, for the keys this kind of file has
    aliases = {k: v for k, v in KEY_ALIASES.items() if v in known} if model is None else None
    return f"unknown key {key!r}{did_you_mean(key, known, aliases)}"
