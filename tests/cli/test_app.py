"""``natosim app``: argument checks, the server command line, Ctrl-C handling.

No server is started here (see ``test_app_browser.py`` for the real one).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from sim.cli import app as app_cli
from sim.cli.main import main
from sim.web import server
from tests.paths import ROOT


@pytest.fixture
def no_server(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], dict[str, str]]]:
    """Record what would be served instead of starting a server."""
    calls: list[tuple[list[str], dict[str, str]]] = []

    def fake_serve(cmd, env) -> int:
        calls.append((list(cmd), dict(env)))
        return 0

    monkeypatch.setattr(app_cli, "serve", fake_serve)
    return calls


def _error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


def test_bad_scenario_file_is_one_line_exit_2(tmp_path, capsys, no_server) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\n[time]\nstart = 1991\nend = 1980\n')
    assert main(["app", str(bad)]) == 2
    line = _error_line(capsys)
    assert str(bad) in line and "time" in line and "end (1980) is before start" in line
    assert no_server == []


def test_bad_parameter_in_scenario_names_file_and_field(tmp_path, capsys, no_server) -> None:
    bad = tmp_path / "lever.toml"
    bad.write_text(
        textwrap.dedent(
            """
            name = "lever"
            [time]
            start = 1991
            end = 2000
            [parameters]
            nrc_share = 3.0
            """
        )
    )
    assert main(["app", str(bad)]) == 2
    line = _error_line(capsys)
    assert "lever.toml: parameters" in line and "nrc_share" in line
    assert no_server == []


def test_missing_scenario_exit_2(capsys, no_server) -> None:
    assert main(["app", "no_such_scenario"]) == 2
    assert "file not found" in _error_line(capsys)
    assert no_server == []


@pytest.mark.parametrize("port", ["0", "65536", "-1", "100000"])
def test_bad_port_exit_2(port, capsys, no_server) -> None:
    assert main(["app", "--port", port]) == 2
    assert "--port" in _error_line(capsys)
    assert no_server == []


def test_non_numeric_port_exit_2(capsys, no_server) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["app", "--port", "http"])
    assert exc.value.code == 2
    assert no_server == []


def test_bad_host_exit_2(capsys, no_server) -> None:
    assert main(["app", "--host", "example.org"]) == 2
    assert "--host" in _error_line(capsys)
    assert no_server == []


def test_port_in_use_exit_2(capsys, no_server) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert main(["app", "--port", str(port)]) == 2
    assert f"--port {port}" in _error_line(capsys)
    assert no_server == []


def test_serves_on_loopback_by_default(capsys, no_server, monkeypatch) -> None:
    monkeypatch.setenv("HOST", "0.0.0.0")  # solara's own default would follow $HOST
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert main(["app", "no_kosovo", "--port", str(port)]) == 0
    ((cmd, env),) = no_server
    assert cmd[:5] == [sys.executable, "-m", "solara", "run", "sim.web.page"]
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1"
    assert cmd[cmd.index("--port") + 1] == str(port)
    assert {"--production", "--no-open", "--no-check-version"} <= set(cmd)
    assert "HOST" not in env
    assert env[server.SCENARIO_ENV] == str(ROOT / "scenarios" / "no_kosovo.toml")
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"
    assert env["SOLARA_ASSETS_PROXY"] == "True"
    assert "samesite" in env["PYTHONWARNINGS"]  # a warning at every page load, noise here
    out = capsys.readouterr()
    assert f"http://127.0.0.1:{port}/" in out.out
    assert out.err == ""


def test_server_env_keeps_the_users_warning_filters() -> None:
    env = server.server_env(Path("x.toml"), {"PYTHONWARNINGS": "error", "HOST": "0.0.0.0"})
    assert env["PYTHONWARNINGS"].startswith("error,ignore:Cookies")
    assert "HOST" not in env


def test_host_option_widens_with_a_warning(capsys, no_server) -> None:
    with socket.socket() as s:
        s.bind(("0.0.0.0", 0))
        port = s.getsockname()[1]
    assert main(["app", "--host", "0.0.0.0", "--port", str(port)]) == 0
    ((cmd, _),) = no_server
    assert cmd[cmd.index("--host") + 1] == "0.0.0.0"
    assert "reachable from other machines" in capsys.readouterr().err


def test_scenario_path_is_resolved(tmp_path, no_server) -> None:
    own = tmp_path / "mine.toml"
    own.write_text('extends = "{}"\nname = "mine"\n'.format(ROOT / "scenarios" / "historical"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert main(["app", str(own), "--port", str(port)]) == 0
    ((_, env),) = no_server
    assert env[server.SCENARIO_ENV] == str(own.resolve())


SLEEPER = textwrap.dedent(
    """
    import os, sys
    from sim.web.server import serve
    child = [sys.executable, "-c", "import time\\ntry:\\n time.sleep(60)\\nexcept KeyboardInterrupt:\\n pass"]
    sys.exit(serve(child, dict(os.environ)))
    """
)


def _serve_in_subprocess() -> tuple[subprocess.Popen, psutil.Process]:
    proc = subprocess.Popen(
        [sys.executable, "-c", SLEEPER],
        start_new_session=True,
        stderr=subprocess.PIPE,
        text=True,
    )
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 20
    while not parent.children() and time.monotonic() < deadline:
        time.sleep(0.05)
    (child,) = parent.children()
    return proc, child


def _exited(child: psutil.Process, timeout: float = 5.0) -> bool:
    """Whether the server process has exited (a zombie, not yet reaped, has)."""
    with contextlib.suppress(psutil.TimeoutExpired):
        child.wait(timeout)
    try:
        return not child.is_running() or child.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_ctrl_c_stops_parent_and_server() -> None:
    proc, child = _serve_in_subprocess()
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal does on Ctrl-C
    assert proc.wait(15) == 0
    assert "server stopped" in proc.stderr.read()
    proc.stderr.close()
    assert _exited(child, timeout=0.0)  # serve() waits for its server before it exits


def test_sigterm_is_passed_to_the_server() -> None:
    proc, child = _serve_in_subprocess()
    proc.send_signal(signal.SIGTERM)  # to the parent only
    assert proc.wait(15) == 0
    proc.stderr.close()
    assert _exited(child)
