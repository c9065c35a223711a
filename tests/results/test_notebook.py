"""natosim in a real Jupyter kernel: what a notebook shows of a figure and of a mistake."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def kernel() -> Iterator[Any]:
    pytest.importorskip("ipykernel")
    manager = pytest.importorskip("jupyter_client.manager")
    km, kc = manager.start_new_kernel(kernel_name="python3")
    try:
        yield kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def _execute(kc: Any, code: str) -> dict[str, Any]:
    """The cell's result data, or its error's content, as a notebook receives them."""
    msg_id = kc.execute(code)
    out: dict[str, Any] = {}
    while True:
        msg = kc.get_iopub_msg(timeout=120)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] in ("execute_result", "error"):
            out = {"type": msg["msg_type"], **msg["content"]}
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return out


def test_a_figure_is_shown_as_a_picture(kernel) -> None:
    """Without pyplot imported: a PNG, not the figure's repr."""
    got = _execute(kernel, "import sim; sim.trust_figure(sim.run('historical', replicates=2))")
    assert got["type"] == "execute_result", got
    assert "image/png" in got["data"], sorted(got["data"])
    assert base64.b64decode(got["data"]["image/png"]).startswith(b"\x89PNG")


def test_a_mistake_is_shown_as_its_one_line(kernel) -> None:
    """An InputError is the user's mistake: the notebook shows its line, not natosim's frames."""
    got = _execute(kernel, "import sim; sim.run('histroical')")
    assert got["type"] == "error" and got["ename"] == "InputError"
    (line,) = got["traceback"]
    assert line.startswith("InputError: ") and "did you mean 'historical'" in line
    # other errors keep their traceback
    got = _execute(kernel, "1 / 0")
    assert got["ename"] == "ZeroDivisionError" and len(got["traceback"]) > 1


def test_a_failing_function_of_ones_own_keeps_its_traceback(kernel) -> None:
    """An InputError caused by the user's own code shows that code's frames."""
    code = (
        "import sim\n"
        "def gap(view):\n"
        "    return view.series('NATO', 'RUZ')[:, -1]\n"
        "sim.run('historical').outcomes(sim.Outcome('gap', function='__main__:gap'))"
    )
    got = _execute(kernel, code)
    assert got["ename"] == "InputError" and len(got["traceback"]) > 1
    assert "gap" in "\n".join(got["traceback"]) and "RUZ" in "\n".join(got["traceback"])
