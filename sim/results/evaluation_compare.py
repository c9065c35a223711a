"""Two evaluations side by side: what a change of the model or scenario did to the scorecard.

``natosim evaluate --compare BEFORE AFTER`` reads the ``evaluation.json`` of two
folders that ``natosim evaluate`` wrote and sets their targets side by side:
each figure before and after, its change, the verdict before and after, and
whether the change exceeds the Monte Carlo error that each evaluation measured
(its bootstrap range over resamples of the replicates). Nothing is run.

A change is called *beyond* when the two ranges do not overlap, each holding
about 95 % of its resamples; a change whose ranges overlap is *within* them: it
may be the draw of the seeds. Two evaluations on the same seeds share their
random numbers, which narrows the chance in a change without removing it
(where the actors choose differently, the same numbers are drawn on
differently), so a change within the ranges can still be real. The ranges hold
the seeds' chance only: the calibration is held fixed in them, and the
held-out targets leave out the refit's own. Without resamples in either file
there is no such column.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from sim.files.documents import read_json
from sim.files.errors import InputError
from sim.results.scorecard_report import figure_text

__all__ = ["compare_markdown", "read_evaluation"]

FILE = "evaluation.json"
#: The settings of an evaluation that decide its figures' chance (all recorded by it).
META_NUMBERS = ("seed", "replicates", "robustness_draws", "robustness_replicates", "resamples")


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def read_evaluation(folder: str | Path) -> dict[str, Any]:
    """An evaluation folder's ``evaluation.json`` (or that file itself), checked.

    Returns:
        The document: ``meta`` with its ``scenario``, and ``targets``, a list of
        tables with an ``id``, a ``claim``, a ``bar``, a ``value`` (number or
        null) and ``met`` (true, false or null); ``interval`` (two numbers) and
        ``firm`` are read where present.

    Raises:
        InputError: Naming the file and the key that is missing or wrong.
    """
    p = Path(folder)
    wrote = "(a folder `natosim evaluate` wrote, or its evaluation.json)"
    if p.is_dir():
        path = p / FILE
        if not path.exists():
            raise InputError(f"--compare: {p} holds no {FILE} {wrote}")
    elif not p.exists():
        raise InputError(f"--compare: {p}: not found {wrote}")
    elif p.suffix != ".json":
        raise InputError(f"--compare: {p}: is a file, not an evaluation {wrote}")
    else:
        path = p
    doc = read_json(path, "evaluation")
    if not isinstance(doc, dict):
        raise InputError(path, None, "not an evaluation (expected a JSON object)")
    meta = doc.get("meta")
    if not isinstance(meta, dict) or not isinstance(meta.get("scenario"), str):
        raise InputError(path, "meta.scenario", "missing: not an evaluation natosim wrote")
    for key in META_NUMBERS:
        v = meta.get(key)
        if not (isinstance(v, int) and not isinstance(v, bool) and v >= 0):
            raise InputError(path, f"meta.{key}", "missing or not a whole number")
    if not isinstance(meta.get("versions", {}), dict):
        raise InputError(path, "meta.versions", "not a table of package versions")
    for key in ("scenario_sha256", "calibration"):
        if not isinstance(meta.get(key, ""), str | None):
            raise InputError(path, f"meta.{key}", "not text")
    targets = doc.get("targets")
    if not isinstance(targets, list):
        raise InputError(
            path, "targets", "missing or not a list (an evaluation without a scorecard)"
        )
    for i, t in enumerate(targets):
        where = f"targets[{i}]"
        if not isinstance(t, dict) or not isinstance(t.get("id"), str):
            raise InputError(path, f"{where}.id", "missing or not a name")
        for key in ("claim", "bar"):
            if not isinstance(t.get(key), str):
                raise InputError(path, f"{where}.{key}", "missing or not text")
        if t.get("value") is not None and not _number(t["value"]):
            raise InputError(path, f"{where}.value", "not a number or null")
        for key in ("met", "firm", "shifted", "folded"):
            if not (t.get(key) is None or isinstance(t[key], bool)):
                raise InputError(path, f"{where}.{key}", "not true, false or null")
        iv = t.get("interval")
        if iv is not None and not (isinstance(iv, list) and len(iv) == 2 and all(map(_number, iv))):
            raise InputError(path, f"{where}.interval", "not two numbers or null")
    ids = [t["id"] for t in targets]
    twice = sorted({x for x in ids if ids.count(x) > 1})
    if twice:
        raise InputError(path, "targets", f"{twice[0]!r} is listed twice")
    return doc


def _met(m: bool | None) -> str:
    return "–" if m is None else ("yes" if m else "no")


def _verdicts(a: dict[str, Any] | None, b: dict[str, Any] | None) -> str:
    was, now = _met(a["met"] if a else None), _met(b["met"] if b else None)
    return now if was == now else f"**{was} → {now}**"


def _change(a: dict[str, Any] | None, b: dict[str, Any] | None) -> str:
    if not (a and b) or a["value"] is None or b["value"] is None:
        return "–"
    d = b["value"] - a["value"]
    if d == 0:
        return "0"
    return f"{int(d):+d}" if float(d).is_integer() else f"{d:+.3f}"


def _beyond(a: dict[str, Any] | None, b: dict[str, Any] | None) -> str:
    ia, ib = (a or {}).get("interval"), (b or {}).get("interval")
    if not (ia and ib):
        return "–"
    if (a or {}).get("shifted") or (b or {}).get("shifted"):
        return "not judged (a range shifted)"
    apart = ia[1] < ib[0] or ib[1] < ia[0]
    return "**beyond**" if apart else "within"


def _range(t: dict[str, Any] | None) -> str:
    if not t:
        return "not measured"
    iv = t.get("interval")
    span = f" ({figure_text(iv[0])} to {figure_text(iv[1])})" if iv else ""
    mark = " †" if t.get("folded") else ""
    if t.get("shifted"):
        mark += ", shifted"
    elif t.get("firm") is False:
        mark += ", within chance"
    return f"{figure_text(t['value'])}{span}{mark}"


def _count(doc: dict[str, Any]) -> tuple[int, int]:
    rows = doc["targets"]
    return sum(1 for r in rows if r["met"]), sum(1 for r in rows if r["met"] is not None)


def _setting(before: dict[str, Any], after: dict[str, Any]) -> str:
    """What differs between the two evaluations besides the model (seeds, scenario, versions)."""
    ma, mb = before["meta"], after["meta"]
    keys = [k for k in META_NUMBERS if ma[k] != mb[k]]
    differ = [f"{k} {ma[k]} and {mb[k]}" for k in keys]
    if ma.get("calibration") != mb.get("calibration"):
        differ.append(f"calibration {ma.get('calibration')} and {mb.get('calibration')}")
    if {"seed", "replicates"} & set(keys):
        text = (
            f"The two differ in {', '.join(differ)}: their runs are not the same draws, so "
            "read each change against the resamples' ranges."
        )
    else:
        text = (
            f"Both on seed {ma['seed']} with {ma['replicates']} replicates (common random "
            "numbers), which makes a change less a matter of chance but not free of it: where "
            "the actors choose differently, the same seeds are drawn on differently"
            + (f"; they differ in {', '.join(differ)}." if differ else ".")
        )
    scen = (ma["scenario"], mb["scenario"])
    sha = (ma.get("scenario_sha256"), mb.get("scenario_sha256"))
    if scen[0] != scen[1]:
        text += f" Scenarios: `{scen[0]}` and `{scen[1]}`."
    elif sha[0] and sha[1] and sha[0] != sha[1]:
        text += f" The scenario `{scen[0]}` is not the same file in the two (its digest differs)."
    va = ma.get("versions", {}).get("natosim")
    vb = mb.get("versions", {}).get("natosim")
    if va and vb and va != vb:
        text += f" natosim {va} and {vb}."
    return text


def compare_markdown(before: dict[str, Any], after: dict[str, Any], names: tuple[str, str]) -> str:
    """The comparison of two evaluations as Markdown.

    Args:
        before: The earlier evaluation (:func:`read_evaluation`).
        after: The later one.
        names: How to call them (their folders).
    """
    a = {t["id"]: t for t in before["targets"]}
    b = {t["id"]: t for t in after["targets"]}
    order = list(a) + [k for k in b if k not in a]
    (ma, na), (mb, nb) = _count(before), _count(after)
    changed = [k for k in order if k in a and k in b and a[k]["met"] != b[k]["met"]]
    only = [(n, [k for k in order if k in x and k not in y]) for n, x, y in
            ((names[0], a, b), (names[1], b, a))]  # fmt: skip
    ranged = any(t.get("interval") for t in (*a.values(), *b.values()))
    out = [
        f"# `{names[1]}` against `{names[0]}`",
        f"Targets met: {ma} of {na} before, {mb} of {nb} after. "
        + (
            f"Verdicts changed: {', '.join(f'`{k}`' for k in changed)}."
            if changed
            else "No verdict changed."
        )
        + "".join(f" Only in `{n}`: {', '.join(f'`{k}`' for k in ks)}." for n, ks in only if ks),
        _setting(before, after),
    ]
    if ranged:
        out.append(
            "Each figure is given with its range over the bootstrap resamples of the "
            "replicates (about 95 % of them), marked *within chance* where the verdict is "
            "not firm, *shifted* where resampling moves the figure itself (the range "
            "excludes it; the evaluation does not judge it) and † where the figure is a "
            "largest absolute value (its range lies above it on average). *Beyond* marks a "
            "change whose two ranges do not overlap, *within* one whose ranges do: it may be "
            "the draw of the seeds. The ranges hold the seeds' chance only: the calibration "
            "is held fixed in them, so the held-out targets' (`beats_nulls_*`) leave out the "
            "refit's own."
        )
    cols = ["target", "before", "after", "change", "met"] + (
        ["change vs resamples"] if ranged else []
    )
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for k in order:
        ta, tb = a.get(k), b.get(k)
        cells = [f"`{k}`", _range(ta), _range(tb), _change(ta, tb), _verdicts(ta, tb)]
        if ranged:
            cells.append(_beyond(ta, tb))
        lines.append("| " + " | ".join(cells) + " |")
    out.append("\n".join(lines))
    claims = {k: (b.get(k) or a.get(k) or {}).get("claim", "") for k in order}
    bars = {k: (b.get(k) or a.get(k) or {}).get("bar", "") for k in order}
    out.append(
        "What each target asks (bar as in the later evaluation):\n\n"
        + "\n".join(f"- `{k}`: {claims[k]} ({bars[k]})" for k in order)
    )
    return "\n\n".join(out) + "\n"
