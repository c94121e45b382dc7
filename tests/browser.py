"""Open a page in headless Chromium (Debian's chromium + chromium-driver) and report what happened.

Used by the browser tests, and by hand to look at a page:
``python tests/browser.py results/demo/<run-id>/index.html shot.png [width]`` (e.g. 390: a phone).

A visit's screenshot is the window's view (the top of the page) unless
``ROTSIM_TESTS_FULL_SCREENSHOTS=1`` asks for the whole page, as the command
above always does: a whole page's shot lays the page out and paints it again
at its full height, 1-2 Chromium CPU seconds a page, and the tests' check of
it (PNG bytes) is met by the window's part alone.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1360,1000",
    # V8 without its optimizing compilers (TurboFan, Maglev): a page's scripts run once, and plotly's
    # drawing ran 15-20% fewer Chromium CPU seconds interpreted than compiled again while it ran
    # (benchmarks/browser_tests.py); what the scripts compute is the same
    "--js-flags=--no-opt --no-maglev",
)
WIDTH = 1360
PHONE_HEIGHT = 844  # a phone's viewport, for visits at a phone's width
FULL_SCREENSHOTS = "ROTSIM_TESTS_FULL_SCREENSHOTS"  # set to 1: each visit's screenshot is the whole page


@dataclass
class PageVisit:
    """What the browser saw: console messages, every request, and the page's own answers."""

    url: str
    console: list[dict] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)  # per [data-chart] div: name, traces drawn, svg/canvas
    checks: dict = field(default_factory=dict)  # results of interactions (sort, log toggle)
    screenshot: Path | None = None

    @property
    def severe(self) -> list[dict]:
        return [m for m in self.console if m.get("level") == "SEVERE"]

    @property
    def foreign_requests(self) -> list[str]:
        """Requests for anything but the page itself (data: URLs never leave the machine)."""
        return [u for u in self.requests if u.split("#")[0] != self.url and not u.startswith("data:")]


def browser_paths() -> tuple[str, str] | str:
    """(chromium, chromedriver) paths, or why they cannot be used."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not (chromium and driver):
        return "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
    return chromium, driver


class Browser:
    """One headless Chromium for every page a test process opens.

    Starting Chromium and chromedriver takes about 1.6 s, and the first page
    about 2.5 s more than the next ones (V8 compiles plotly.js's 4.6 MB cold,
    then reuses the code): a browser a page cost each browser test 4 s. V8
    reuses a script's compiled code only for a script of the same URL (an
    inline script's URL is its page's), so :meth:`visit` opens each page from
    one path, a copy of it: at its own path each page cost 2 s more. Each
    visit starts from a blank page with the logs drained and the viewport set
    to its width, so nothing one page did is seen by the next; after an error
    the browser is closed and the next visit starts a new one.
    """

    def __init__(self, profile: Path) -> None:
        self.profile = profile  # a fresh user-data folder
        self._driver = None  # selenium's WebDriver, started by the first visit
        self._view = profile / "rotsim-view" / "index.html"  # where visit opens each page (a copy)

    def _started(self):  # noqa: ANN202 - selenium's WebDriver
        if self._driver is None:
            from selenium import webdriver
            from selenium.webdriver.chrome.service import Service

            paths = browser_paths()
            if isinstance(paths, str):
                raise RuntimeError(paths)
            chromium, chromedriver = paths
            os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager look for drivers online
            options = webdriver.ChromeOptions()
            options.binary_location = chromium
            for arg in (*CHROMIUM_ARGS, f"--user-data-dir={self.profile}"):
                options.add_argument(arg)
            options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
            self._driver = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
        return self._driver

    def quit(self) -> None:
        if self._driver is not None:
            driver, self._driver = self._driver, None
            driver.quit()

    def visit(
        self,
        page: Path,
        shot: Path,
        timeout: float = 60.0,
        width: int = WIDTH,
        interact: str | None = None,
        full_page: bool | None = None,
    ) -> PageVisit:
        """Open ``page`` (file://), wait for its charts, try its controls, and save a screenshot.

        Requires Chromium and chromedriver (see :func:`browser_paths`). Sets
        ``shot`` (PNG): the window's view, or the whole page with
        ``full_page`` (default: whether ``ROTSIM_TESTS_FULL_SCREENSHOTS=1``).
        A ``width`` below the desktop's opens the page as a phone of that
        width would. ``interact``: the page's own controls to try instead of
        the comparison page's, as an asynchronous script (its last argument
        is the callback that returns the checks; the controls may redraw
        after a delay).
        """
        if full_page is None:
            full_page = os.environ.get(FULL_SCREENSHOTS) == "1"
        try:
            return self._visit(page, shot, timeout, width, interact, full_page)
        except BaseException:
            self.quit()  # a browser in an unknown state opens no other page
            raise

    def tearsheet_charts(self, page: Path) -> tuple[list[dict], list[dict]]:
        """Open a tearsheet: each drawn chart's slot, box and marks, and the console's messages."""
        try:
            driver = self._blank(WIDTH)
            driver.get(page.resolve().as_uri())
            return driver.execute_script(_TEARSHEET_JS), driver.get_log("browser")
        except BaseException:
            self.quit()
            raise

    def _blank(self, width: int):  # noqa: ANN202 - selenium's WebDriver
        """The browser on a blank page ``width`` wide, with nothing an earlier page logged or loaded."""
        driver = self._started()
        driver.get("about:blank")  # the last page's scripts stop before the viewport changes
        if width != WIDTH:
            driver.execute_cdp_cmd(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": PHONE_HEIGHT, "deviceScaleFactor": 1, "mobile": False},
            )
        else:
            driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        driver.get_log("browser")  # drop what earlier pages (and the start page) logged and loaded
        driver.get_log("performance")
        return driver

    def _visit(
        self, page: Path, shot: Path, timeout: float, width: int, interact: str | None, full_page: bool
    ) -> PageVisit:
        from selenium.common.exceptions import TimeoutException
        from selenium.webdriver.support.ui import WebDriverWait

        driver = self._blank(width)
        url = page.resolve().as_uri()
        result = PageVisit(url)
        # the pages are self-contained: a copy elsewhere requests what the page would (the copy's
        # own request is recorded as the page's; anything else it asks for is foreign either way)
        self._view.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, self._view)
        view = self._view.resolve().as_uri()
        driver.get(view)
        try:
            # asked every 0.1 s, not selenium's 0.5: a visit goes on 0.2 s sooner on average once the charts are drawn
            WebDriverWait(driver, timeout, poll_frequency=0.1).until(
                lambda d: d.execute_script("return document.body && document.body.getAttribute('data-charts-ready')")
            )
        except TimeoutException:
            raise AssertionError(
                f"charts not drawn within {timeout:.0f} s; console: {driver.get_log('browser')}"
            ) from None
        result.charts = driver.execute_script(_CHARTS_JS)
        if interact is None:
            result.checks = driver.execute_script(_INTERACT_JS)
        else:
            driver.set_script_timeout(timeout)
            result.checks = driver.execute_async_script(interact)
        result.screenshot = _screenshot(driver, shot, width, full_page)
        result.console = driver.get_log("browser")
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] in ("Network.requestWillBeSent", "Network.webSocketCreated"):
                params = message["params"]
                asked = params.get("request", {}).get("url") or params.get("url", "")
                base, hash_, fragment = asked.partition("#")
                result.requests.append(url + hash_ + fragment if base == view else asked)
        return result


# each rotsim chart: the slot it is in, its drawn size, and the drawn size of its marks
_TEARSHEET_JS = """
return Array.prototype.map.call(document.querySelectorAll('svg.rotsim-chart'), function (svg) {
  var slot = svg.parentElement.id || svg.parentElement.parentElement.id;
  var r = svg.getBoundingClientRect();
  var marks = svg.querySelector('g.plot, g.heatmap'), m = marks ? marks.getBBox() : {width: 0, height: 0};
  return {slot: slot, width: r.width, height: r.height, marks_width: m.width, marks_height: m.height,
          top: r.top + window.scrollY, bottom: r.bottom + window.scrollY};
});
"""


def _screenshot(driver, path: Path, width: int, full_page: bool) -> Path:  # noqa: ANN001 - selenium WebDriver
    """Save the window's view as PNG at ``path``, or the whole page ``width`` wide with ``full_page``."""
    import base64

    params: dict = {"format": "png"}  # the window's view: painted already, nothing laid out again
    if full_page:
        height = driver.execute_script("return document.documentElement.scrollHeight")
        params |= {
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        }
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", params)
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


# Each chart div: plotly's own record of traces, and what is drawn (SVG paths of
# traces, a canvas for WebGL traces)
_CHARTS_JS = """
return Array.prototype.map.call(document.querySelectorAll('[data-chart]'), function (div) {
  var paths = div.querySelectorAll('.main-svg .trace path, .main-svg .trace .point');
  var drawn = Array.prototype.filter.call(paths, function (p) {
    var d = p.getAttribute('d'); return d && d.length > 20;
  });
  var r = div.getBoundingClientRect();
  return {name: div.getAttribute('data-chart'), traces: (div.data || []).length,
          drawn_paths: drawn.length, svg: div.querySelectorAll('svg.main-svg').length,
          canvas: div.querySelectorAll('canvas').length, width: r.width, height: r.height,
          yaxis_type: div.layout && div.layout.yaxis ? div.layout.yaxis.type : null,
          legend: Array.prototype.map.call(div.querySelectorAll('.legendtext'), function (t) { return t.textContent; }),
          yticks: ticks(div, '.ytick text'), xticks: ticks(div, '.xtick text'),
          tick_overlaps: overlaps(div, '.ytick text').concat(overlaps(div, '.xtick text'))};
});
// the shown tick labels of an axis, and the pairs of them drawn over each other
function shown(div, sel) {
  return Array.prototype.filter.call(div.querySelectorAll(sel), function (t) {
    var r = t.getBoundingClientRect(); return r.width > 0 && r.height > 0 && t.textContent !== '';
  });
}
function ticks(div, sel) { return shown(div, sel).map(function (t) { return t.textContent; }); }
function overlaps(div, sel) {
  var els = shown(div, sel), out = [];
  for (var i = 0; i < els.length; i++) for (var j = i + 1; j < els.length; j++) {
    var a = els[i].getBoundingClientRect(), b = els[j].getBoundingClientRect();
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
      out.push([els[i].textContent, els[j].textContent]);
  }
  return out;
}
"""

# Sort the metrics table by CAGR (best first), then toggle the growth chart to linear
_INTERACT_JS = """
var out = {};
// wider than the window: the reader has to scroll sideways
out.scroll_width = document.scrollingElement.scrollWidth;
out.inner_width = window.innerWidth;
out.title = document.title;
out.injected = window.injected === undefined ? null : window.injected;  // set by a label's <script> if one ran
var banner = document.querySelector('.synthetic');
out.synthetic_banner = banner && banner.offsetHeight > 0 ? banner.textContent : '';
var table = document.getElementById('metrics-table');
out.table_rows = table ? table.tBodies[0].rows.length : 0;
if (table) {
  var heads = table.tHead.rows[0].cells, col = -1;
  for (var i = 0; i < heads.length; i++) if (heads[i].textContent.indexOf('CAGR') === 0) col = i;
  heads[col].click();
  out.sorted_cagr = Array.prototype.map.call(table.tBodies[0].rows, function (r) {
    return parseFloat(r.cells[col].getAttribute('data-v')); });
  out.best_cells = table.querySelectorAll('td.best').length;
}
var growth = document.querySelector('[data-chart=growth]');
if (growth) {
  out.growth_scale_before = growth.layout.yaxis.type;
  var buttons = growth.querySelectorAll('.updatemenu-button');
  for (var j = 0; j < buttons.length; j++)
    if (buttons[j].textContent.indexOf('Linear') >= 0) buttons[j].dispatchEvent(new MouseEvent('click', {bubbles: true}));
  out.growth_scale_after = growth.layout.yaxis.type;
}
return out;
"""


if __name__ == "__main__":
    target, png = Path(sys.argv[1]), Path(sys.argv[2])
    with tempfile.TemporaryDirectory() as profile:
        browser = Browser(Path(profile))
        try:
            seen = browser.visit(target, png, width=int(sys.argv[3]) if len(sys.argv) > 3 else WIDTH, full_page=True)
        finally:
            browser.quit()
    print(json.dumps({k: v for k, v in seen.__dict__.items() if k != "screenshot"}, indent=1, default=str))
    print("foreign requests:", seen.foreign_requests)
    print("severe:", seen.severe)
