"""The comparison page over a century: size and drawing time, a point a week (as written) vs a point a day.

    python benchmarks/century_page.py

A results folder of two strategies and a benchmark with random daily returns
on 1926-07-01 .. 2025-05-30 weekdays (25,800 days) is rendered twice: as
rotsim writes it (past 30 years, a point a week) and with a point a day. For
each it prints the page's size, the seconds to render it in Python and, where
Debian's chromium and chromium-driver are installed, the seconds headless
Chromium takes to draw every chart (median of 3; a busy machine's figures
vary by 2x). Printed, never asserted.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from compare_fakes import fake_run  # noqa: E402


def _folder(tmp: Path) -> Path:
    """The results folder tests/test_century_page.py draws its page from: the same days and returns."""
    days = pd.bdate_range("1926-07-01", "2025-05-30")
    rng = np.random.default_rng(11)
    returns = {
        "Small-cap thrust": rng.normal(0.0004, 0.012, len(days)),
        "First cuts": rng.normal(0.0003, 0.010, len(days)),
        "Market": rng.normal(0.0003, 0.011, len(days)),
    }
    return fake_run(tmp / "run", days, bench=("Market", "FF:Mkt"), returns=returns)


def _draw_seconds(page: Path, repeat: int = 3) -> float | None:
    from browser import CHROMIUM_ARGS, browser_paths

    paths = browser_paths()
    if isinstance(paths, str):
        print(f"  (no browser timing: {paths})")
        return None
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as profile:
            options = webdriver.ChromeOptions()
            options.binary_location = paths[0]
            for arg in (*CHROMIUM_ARGS, f"--user-data-dir={profile}"):
                options.add_argument(arg)
            driver = webdriver.Chrome(options=options, service=Service(executable_path=paths[1]))
            try:
                driver.get("about:blank")
                t = time.perf_counter()
                driver.get(page.resolve().as_uri())
                WebDriverWait(driver, 120).until(
                    lambda d: d.execute_script("return document.body.getAttribute('data-charts-ready')")
                )
                times.append(time.perf_counter() - t)
            finally:
                driver.quit()
    return statistics.median(times)


def main() -> None:
    from simulator.pages import html_page
    from simulator.pages.comparison import compare, load_run

    with tempfile.TemporaryDirectory() as tmp:
        folder = _folder(Path(tmp))
        for name, points in (("a point a week (as written)", None), ("a point a day", "daily")):
            chosen = (lambda _, p=points: p) if points else html_page.points_for
            with mock.patch.object(html_page, "points_for", chosen):
                t = time.perf_counter()
                html = html_page.render(compare([load_run(folder)]), Path(tmp), html_page.PageInfo("century", []))
                seconds = time.perf_counter() - t
            page = Path(tmp) / f"{points or 'weekly'}.html"
            page.write_text(html, encoding="utf-8")
            drawn = _draw_seconds(page)
            shown = f", Chromium draws it in {drawn:.2f} s" if drawn is not None else ""
            print(f"{name}: {page.stat().st_size / 1e6:.2f} MB, rendered in {seconds:.2f} s{shown}")


if __name__ == "__main__":
    main()
