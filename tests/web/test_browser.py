"""The interactive page (``natosim app``) in headless Chromium.

One server for the module, started through the real command line on a free
loopback port; each test gets a fresh browser context (a fresh session, hence
a fresh model). The last test stops the server the way Ctrl-C does.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from sim import load_scenario, run
from sim.web.adapter import AppModel
from sim.web.figure import trust_figure
from tests.paths import ROOT

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHART = ".natosim-trust-chart img.widget-image"
READOUT = ".natosim-readout"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK), reason=f"{CHROMIUM} is not installed"),
]


# --------------------------------------------------------------------------- server


@dataclass
class Server:
    proc: subprocess.Popen
    url: str
    port: int
    log: Path
    startup: float


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(log: Path, cwd: Path) -> Server:
    env = {k: v for k, v in os.environ.items() if k != "HOST"}
    for attempt in range(3):
        port = _free_port()
        t0 = time.monotonic()
        with log.open("ab") as fh:
            proc = subprocess.Popen(
                [sys.executable, "-m", "sim.cli", "app", "historical", "--port", str(port)],
                cwd=cwd,
                env=env,
                stdout=fh,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # own process group: the test can "press Ctrl-C"
            )
        url = f"http://127.0.0.1:{port}/"
        deadline = t0 + 60
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(url + "readyz", timeout=1) as r:
                    if r.status == 200:
                        return Server(proc, url, port, log, time.monotonic() - t0)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        _kill(proc)
        if attempt == 2:
            pytest.fail(f"natosim app did not start; log:\n{log.read_text()}")
    raise AssertionError("unreachable")


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        except ProcessLookupError:
            pass


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("app")
    srv = _start(tmp / "server.log", tmp)
    print(f"natosim app ready in {srv.startup:.1f} s at {srv.url}")
    yield srv
    _kill(srv.proc)


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server: Server) -> Iterator[object]:
    ctx = browser.new_context(viewport={"width": 1500, "height": 1900})
    origin = server.url.rstrip("/")
    blocked: list[str] = []

    def offline(route) -> None:
        if route.request.url.startswith(origin):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    ctx.route("**/*", offline)
    pg = ctx.new_page()
    pg.errors = []
    pg.on(
        "console",
        lambda m: m.type == "error" and pg.errors.append(f"{m.text} {m.location.get('url', '')}"),
    )
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.goto(server.url)
    yield pg
    ctx.close()
    assert blocked == [], "the page asked for something outside the server"


def _chart(page) -> tuple[str, str]:
    """(blob URL, SHA-256 of the PNG bytes) of the trust chart.

    The page swaps the image, and revokes the old blob URL, while the model plays
    or is reset; an image swapped between reading its URL and fetching it is read
    again from the element (up to 20 times), so the digest is always of an image
    the page showed.
    """
    page.locator(CHART).wait_for(state="attached")
    src, digest = page.evaluate(
        """async (sel) => {
            for (let i = 0; ; i++) {
                const src = document.querySelector(sel).getAttribute('src');
                try {
                    const b = await (await fetch(src)).arrayBuffer();
                    const h = await crypto.subtle.digest('SHA-256', b);
                    const hex = Array.from(new Uint8Array(h))
                        .map(x => x.toString(16).padStart(2, '0')).join('');
                    return [src, hex];
                } catch (e) {
                    (window.__harnessMisses ||= []).push(src);  // for _assert_no_error
                    if (i >= 20) throw e;
                    await new Promise(r => setTimeout(r, 50));
                }
            }
        }""",
        CHART,
    )
    return src, digest


def _years_done(page) -> int:
    m = re.search(r"year (\d+) of \d+ simulated", page.locator(READOUT).inner_text())
    return int(m.group(1)) if m else -1


def _exact(page) -> tuple[int, float, float]:
    """Year and exact NATO→Russia, Russia→NATO trust shown by the page."""
    text = page.locator(".natosim-exact").inner_text()
    m = re.search(r"year=(\d+) NATO→Russia=(\S+) Russia→NATO=(\S+)", text)
    assert m, text
    return int(m.group(1)), float(m.group(2)), float(m.group(3))


def _expected(scenario: str, seed: int, year: int, **overrides: float) -> tuple[float, float]:
    res = run(scenario, seed=seed, **overrides)
    i = list(res.years).index(year)
    return float(res.series("NATO", "RUS")[0, i]), float(res.series("RUS", "NATO")[0, i])


def _wait_years(page, n: int, timeout: float = 30_000) -> None:
    page.wait_for_function(
        """(n) => { const m = document.body.innerText.match(/year (\\d+) of \\d+ simulated/);
                    return m && parseInt(m[1]) >= n; }""",
        arg=n,
        timeout=timeout,
    )


def _assert_no_error(page) -> None:
    body = page.locator("body").inner_text()
    assert "Traceback" not in body
    assert "error in step" not in body
    assert page.locator(".v-alert.error").count() == 0
    # the harness's own reads of an image the page had already swapped are not the page's
    misses = page.evaluate("() => window.__harnessMisses || []")
    assert [e for e in page.errors if not any(m and m in e for m in misses)] == []


def _set_slider(page, name: str, key: str, value: str) -> None:
    from playwright.sync_api import expect

    slider = page.get_by_role("slider", name=name)
    slider.focus()
    slider.press(key)
    expect(slider).to_have_attribute("aria-valuenow", value)


# --------------------------------------------------------------------------- tests


def test_lever_and_play_change_the_chart_and_match_run(page, server: Server) -> None:
    from playwright.sync_api import expect

    expect(page.locator(CHART)).to_be_visible(timeout=60_000)
    expect(page.get_by_text("What am I looking at?")).to_be_visible()
    expect(page.locator(".v-tabs")).to_be_hidden()  # one page: no "PAGE 0" tab to choose
    expect(page.locator(READOUT)).to_contain_text("Nothing simulated yet")
    _, before = _chart(page)

    _set_slider(page, "Play Interval (ms)", "Home", "1")
    expect(page.locator(".natosim-pending")).to_have_count(0)
    _set_slider(page, "Lever 2", "End", "1")  # all of the agenda through the Council
    # until Reset the page says the slider waits, and the run on show is the old one
    expect(page.locator(".natosim-pending")).to_contain_text("Lever 2")
    expect(page.locator(READOUT)).not_to_contain_text("nrc_share")
    page.get_by_role("button", name="Reset").click()  # Mesa applies parameters on Reset
    expect(page.locator(READOUT)).to_contain_text("--set nrc_share=1.0")
    expect(page.locator(".natosim-pending")).to_have_count(0)

    t0 = time.monotonic()
    page.get_by_role("button", name="▶").click()
    _wait_years(page, 22)  # plays to the end of the scenario, then stops by itself
    expect(page.get_by_role("button", name="Step")).to_be_disabled()
    print(f"played 22 years in {time.monotonic() - t0:.1f} s")
    expect(page.locator(".natosim-exact")).to_contain_text("year=2012")
    page.wait_for_timeout(300)  # the chart image and the text arrive in separate messages

    year, nato_rus, rus_nato = _exact(page)
    assert year == 2012
    _, after = _chart(page)
    assert after != before, "the trust chart did not change"

    # the same numbers as natosim run, and the lever mattered
    assert (nato_rus, rus_nato) == _expected("historical", 1991, year, nrc_share=1.0)
    assert (nato_rus, rus_nato) != _expected("historical", 1991, year)

    # member bars and the event log with each side's reading
    n_states = len(run("historical").compiled.states)
    assert page.locator(".natosim-member").count() == n_states
    log = page.locator(".natosim-event-log")
    assert log.locator("tbody tr").count() > 10
    expect(log).to_contain_text("scheduled")
    expect(log).to_contain_text("chosen by the actor")
    expect(log).to_contain_text("the shield is one of Russia's zones of tension")

    # this run's events.csv, as natosim run writes it
    with page.expect_download(timeout=60_000) as got:
        page.get_by_role("button", name="Download events.csv").click()
    events = run("historical", seed=1991, nrc_share=1.0).events.to_csv(index=False).encode()
    assert Path(got.value.path()).read_bytes() == events
    # named by the page's command folder: seed and a digest of the settings
    assert re.fullmatch(
        r"historical_seed1991_[0-9a-f]{6}_events\.csv", got.value.suggested_filename
    )
    with page.expect_download(timeout=60_000) as got:
        page.get_by_role("button", name="Download the chart (PNG)").click()
    assert Path(got.value.path()).read_bytes().startswith(b"\x89PNG")
    assert got.value.suggested_filename.endswith("_chart.png")

    _assert_no_error(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "app.png"), full_page=True)


@pytest.mark.parametrize(("width", "height"), [(390, 844), (768, 1024)])
def test_a_phone_or_tablet_gets_the_panels_stacked(browser, server: Server, width, height):
    from playwright.sync_api import expect

    ctx = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = ctx.new_page()
        page.goto(server.url)
        expect(page.locator(READOUT)).to_be_visible(timeout=60_000)
        drawer = page.locator(".v-navigation-drawer").first
        box = drawer.bounding_box()
        assert box is not None and box["width"] < width  # room beside it
        for n in (1, 2, 3):  # the side bar opens with the page on a small screen
            page.get_by_role("button", name="Step").click()
            _wait_years(page, n, 10_000)
        if width > 600:  # a tablet: the side bar is beside the page; its menu button closes it
            chart = page.locator(CHART).bounding_box()
            assert chart is not None and chart["x"] >= box["x"] + box["width"]
            page.locator(".v-app-bar .v-app-bar__nav-icon, .v-app-bar button").first.click()
        else:
            page.mouse.click(width - 10, height // 2)  # a tap beside the side bar closes it
        expect(drawer).not_to_be_in_viewport(timeout=10_000)
        tiles = page.locator(".vue-grid-item").evaluate_all(
            "els => els.map(e => e.getBoundingClientRect())"
            ".filter(r => r.width > 0).map(r => [r.x, r.y, r.width])"
        )
        assert len(tiles) == 4
        assert all(abs(x - tiles[0][0]) < 1 and w > 0.9 * (width - 40) for x, _, w in tiles)
        assert [y for _, y, _ in tiles] == sorted(y for _, y, _ in tiles)  # one under another
        log = page.locator(".natosim-event-log")
        expect(log.locator("table")).to_be_visible()
        log_width = log.evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert log_width[0] <= log_width[1]  # the log fits its panel: no sideways scrolling
    finally:
        ctx.close()


def test_on_a_tablet_step_and_the_chart_are_on_screen_together(browser, server: Server):
    """The side bar (Step lives in it) sits beside the chart, not over it."""
    from playwright.sync_api import expect

    ctx = browser.new_context(viewport={"width": 768, "height": 1024}, has_touch=True)
    try:
        page = ctx.new_page()
        page.goto(server.url)
        expect(page.locator(CHART)).to_be_visible(timeout=60_000)
        step = page.get_by_role("button", name="Step")
        before = page.locator(CHART).get_attribute("src")
        step.tap()
        _wait_years(page, 1, 10_000)
        expect(page.locator(CHART)).not_to_have_attribute("src", before or "", timeout=10_000)
        drawer = page.locator(".v-navigation-drawer").first.bounding_box()
        chart = page.locator(CHART).bounding_box()
        assert drawer is not None and chart is not None
        right = drawer["x"] + drawer["width"]
        assert chart["x"] >= right and chart["x"] + chart["width"] <= 768  # beside, whole
        assert chart["width"] > 0.5 * (768 - right)
        # nothing lies over the chart: the point at its centre is the chart itself
        at = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('.natosim-trust-chart') !== null",
            [chart["x"] + chart["width"] / 2, chart["y"] + chart["height"] / 2],
        )
        assert at
        step.tap()  # the side bar stays open while stepping
        _wait_years(page, 2, 10_000)
        assert page.locator(".v-navigation-drawer").first.bounding_box() == drawer
        # and while the page is touched: a tap on the chart or the note leaves it open
        page.locator(CHART).tap()
        page.touchscreen.tap(768 - 20, 20 + drawer["height"] // 2)
        page.wait_for_timeout(1_000)  # a closing drawer slides out within 0.2 s
        assert page.locator(".v-navigation-drawer").first.bounding_box() == drawer
        step.tap()
        _wait_years(page, 3, 10_000)
        assert "Traceback" not in page.locator("body").inner_text()
    finally:
        ctx.close()


def test_scenario_picker_and_seed(page) -> None:
    from playwright.sync_api import expect

    expect(page.locator(CHART)).to_be_visible(timeout=60_000)
    page.get_by_role("link", name="nrc_rejuvenated", exact=True).click()  # opens it afresh
    expect(page.locator(READOUT)).to_contain_text("nrc_rejuvenated")
    # the controls start at the scenario's own settings
    own = load_scenario("nrc_rejuvenated").resolved_parameters()
    for name, param in (("Lever 1", "sg_entrepreneurship"), ("Lever 2", "nrc_share")):
        slider = page.get_by_role("slider", name=name)
        expect(slider).to_have_attribute("aria-valuenow", format(own[param], "g"))  # JS number

    seed = page.get_by_label("Seed")
    seed.fill("abc")
    seed.press("Enter")
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(".natosim-warning")).to_contain_text("not a whole number")

    seed.fill("7")
    seed.press("Enter")
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(READOUT)).to_contain_text("seed 7")
    for n in (1, 2, 3):
        page.get_by_role("button", name="Step").click()
        _wait_years(page, n, 10_000)
    expect(page.locator(".natosim-exact")).to_contain_text("year=1993")
    year, nato_rus, rus_nato = _exact(page)
    assert (nato_rus, rus_nato) == _expected("nrc_rejuvenated", 7, year)
    _assert_no_error(page)


def _png_of(model: AppModel) -> str:
    """SHA-256 of the trust chart of ``model`` as the page draws it (PNG, no options)."""
    buf = io.BytesIO()
    trust_figure(model).savefig(buf, format="png")
    return hashlib.sha256(buf.getvalue()).hexdigest()


def _stepped(years: int, **overrides: float) -> AppModel:
    """The page's model of the historical scenario (seed 1991) after ``years`` steps."""
    model = AppModel(scenario_file="historical", seed="1991", **overrides)
    for _ in range(years):
        model.step()
    return model


def _mesa_time(page) -> str:
    """Mesa's own step counter in the sidebar ("Time: 22.0")."""
    return page.get_by_text(re.compile(r"^Time: ")).inner_text()


def _wait_chart(page, want: str, what: str, timeout: float = 30.0, **overrides: float) -> None:
    """Wait until the chart is the PNG ``want``; else fail saying which year it shows."""
    deadline = time.monotonic() + timeout
    while (got := _chart(page)[1]) != want and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    if got == want:
        return
    n = len(_stepped(0).compiled.years)
    shown = next((k for k in range(n + 1) if _png_of(_stepped(k, **overrides)) == got), None)
    pytest.fail(
        f"the chart does not show {what}; readout: {page.locator(READOUT).inner_text()[:80]!r}, "
        f"Mesa: {_mesa_time(page)!r}; the chart is "
        + ("no state of this run" if shown is None else f"the run after {shown} years")
    )


def _play_to_the_end(page, years: int) -> None:
    """Press ▶ and wait until play stops by itself (the model stops running)."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="▶").click()
    expect(page.get_by_role("button", name="❚❚")).to_be_disabled(timeout=120_000)
    expect(page.get_by_role("button", name="Step")).to_be_disabled()
    expect(page.get_by_text(re.compile(r"^Time: "))).to_have_text(f"Time: {years}.0")
    expect(page.locator(READOUT)).to_contain_text(f"year {years} of {years} simulated")


def test_fast_play_chart_keeps_up_and_reset_shows_only_the_new_run(page) -> None:
    """At the fastest play the chart ends where the model ends, and Reset starts it afresh.

    Mesa plays the model in a thread of its own while the page draws: the chart
    must end on the model's last year (the same picture as the model's own
    final state drawn here), as Mesa's step counter and the readout do, and
    after Reset show the new run only.
    """
    from playwright.sync_api import expect

    expect(page.locator(CHART)).to_be_visible(timeout=60_000)
    n = len(_stepped(0).compiled.years)
    last = int(_stepped(0).compiled.years[-1])
    fresh = _png_of(_stepped(0))
    assert _chart(page)[1] == fresh  # the page draws exactly as this process does
    _set_slider(page, "Play Interval (ms)", "Home", "1")

    _play_to_the_end(page, n)
    _wait_chart(page, _png_of(_stepped(n)), f"the last year ({last})")
    year, nato_rus, rus_nato = _exact(page)
    assert year == last
    assert (nato_rus, rus_nato) == _expected("historical", 1991, year)

    # Reset with another setting: the chart starts afresh, then shows the new run only
    _set_slider(page, "Lever 2", "End", "1")
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(READOUT)).to_contain_text("Nothing simulated yet")
    expect(page.get_by_text(re.compile(r"^Time: "))).to_have_text("Time: 0.0")
    _wait_chart(page, fresh, "an empty chart after Reset")
    _play_to_the_end(page, n)
    new_run = _png_of(_stepped(n, nrc_share=1.0))
    assert new_run != _png_of(_stepped(n))
    _wait_chart(page, new_run, "the new run's last year", nrc_share=1.0)
    assert _exact(page)[1:] == _expected("historical", 1991, last, nrc_share=1.0)

    # Reset in the middle of play: nothing of the interrupted run is left
    page.get_by_role("button", name="Reset").click()
    _wait_chart(page, fresh, "an empty chart after Reset")
    page.get_by_role("button", name="▶").click()
    page.wait_for_function(
        "() => { const m = document.body.innerText.match(/Time: ([0-9.]+)/);"
        " return m && parseFloat(m[1]) >= 2; }",
        timeout=60_000,
    )
    page.get_by_role("button", name="Reset").click()
    expect(page.get_by_role("button", name="▶")).to_be_enabled()
    expect(page.locator(READOUT)).to_contain_text("Nothing simulated yet")
    expect(page.get_by_text(re.compile(r"^Time: "))).to_have_text("Time: 0.0")
    _wait_chart(page, fresh, "an empty chart after Reset during play")
    page.get_by_role("button", name="Step").click()
    expect(page.locator(READOUT)).to_contain_text(f"year 1 of {n} simulated")
    _wait_chart(page, _png_of(_stepped(1, nrc_share=1.0)), "the new run's first year")
    _assert_no_error(page)


def _listening(pids: set[int]) -> set[str]:
    """``ip:port`` on which any of the processes listens (TCP)."""
    return {
        f"{c.laddr.ip}:{c.laddr.port}"
        for pid in pids
        for c in psutil.Process(pid).net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN
    }


def test_server_listens_on_loopback_only(server: Server) -> None:
    parent = psutil.Process(server.proc.pid)
    pids = {parent.pid, *(c.pid for c in parent.children(recursive=True))}
    assert _listening(pids) == {f"127.0.0.1:{server.port}"}


def test_ctrl_c_stops_the_server_cleanly(server: Server) -> None:
    """Ctrl-C (SIGINT to the process group, as a terminal sends it) stops everything."""
    children = psutil.Process(server.proc.pid).children(recursive=True)
    assert children, "the server runs in a child process"
    t0 = time.monotonic()
    os.killpg(server.proc.pid, signal.SIGINT)
    assert server.proc.wait(15) == 0
    print(f"stopped in {time.monotonic() - t0:.2f} s")
    _, alive = psutil.wait_procs(children, timeout=5)
    assert alive == []
    log = server.log.read_text()
    assert "Traceback" not in log, log
    assert "server stopped" in log
