"""``natosim validate`` of an experiment: the checks of ``sweep`` or ``calibrate``, and its size.

Nothing is run or written: the file, its scenarios and its design are checked as
the command that runs it checks them, and one line says what it would do — a
sweep's design points, runs, memory and disk, a calibration's parameters,
targets and simulations.
"""

from __future__ import annotations

from pathlib import Path

from sim.data import locate
from sim.files.documents import read_document
from sim.files.errors import InputError
from sim.model.file_messages import is_experiment

__all__ = ["experiment_file", "validate_experiment"]


def experiment_file(ref: str) -> Path | None:
    """The experiment file ``ref`` names, or None when it names a scenario (or nothing).

    A bundled experiment's name and a file whose keys are an experiment's count;
    anything else is left to the scenario checks (and their messages).
    """
    try:
        path = locate.find_input(ref, "scenario")
    except InputError:
        try:
            return locate.find_input(ref, "experiment")
        except InputError:
            return None
    if not path.is_file():
        return None
    try:
        data = read_document(path, "scenario")
    except InputError:
        return None
    return path if is_experiment(data) else None


def validate_experiment(path: Path) -> str:
    """Check an experiment as ``sweep`` or ``calibrate`` would and say what it would run.

    Raises:
        InputError: As the command that runs it would, naming the file and field.
    """
    from sim.experiments.calibration.experiment import CalibrationExperiment
    from sim.experiments.schema import load_experiment
    from sim.experiments.size import check_sweep_size
    from sim.files.resources import human_bytes

    exp = load_experiment(path)
    if isinstance(exp, CalibrationExperiment):
        spec = exp.spec
        abc = spec.abc
        names = ", ".join(p.name for p in spec.parameters)
        targets = ", ".join(f"{t.observer}->{t.target} ({t.series})" for t in spec.targets)
        return (
            f"{path}: valid calibration {spec.name!r} of scenario {exp.scenario.name!r}, "
            f"{spec.years[0]}-{spec.years[1]}: {len(spec.parameters)} parameters ({names}) "
            f"against {targets}; {abc.particles} particles, up to {abc.generations} "
            f"generations, {spec.replicates} replicates per particle"
        )
    spec = exp.spec
    # the checks sweep makes before it starts: runs, memory, and disk at its default --out
    size = check_sweep_size(spec, exp.scenario, path, Path("sweeps") / spec.name)
    runs = size.runs
    scenarios = ", ".join(repr(s.name) for s in exp.scenarios)
    return (
        f"{path}: valid sweep {spec.name!r} of {scenarios}: {spec.design} design, "
        f"{size.points:,} points x {spec.replicates} replicate"
        f"{'s' if spec.replicates > 1 else ''} = {runs:,} runs; about "
        f"{human_bytes(size.memory)} of memory and {human_bytes(size.disk)} on disk"
    )
