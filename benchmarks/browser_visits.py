"""What a browser test's page visit costs: each page at its own URL, or each through the one URL tests/browser.py uses.

    python benchmarks/browser_visits.py [pages]   # default 6 pages, each a comparison page of its own

V8 reuses plotly.js's compiled code only for a script of the same URL, so
``Browser.visit`` opens every page from one path. Here the same pages are
visited both ways, alternately, in one browser: the wall seconds of each
visit after the first (the first compiles plotly.js cold either way), and
Chromium's CPU seconds over them. Needs chromium, chromium-driver and psutil.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import Browser  # noqa: E402
from compare_fakes import markup_page  # noqa: E402


def chromium_cpu() -> float:
    """CPU seconds of this process's descendants (chromedriver, Chromium and its renderers) so far."""
    total = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 6
    print(f"load average {' '.join(f'{x:.2f}' for x in psutil.getloadavg())} (figures on a busy machine vary)")
    with tempfile.TemporaryDirectory() as tmp:
        pages = [markup_page(Path(tmp) / f"p{i}") for i in range(count)]
        browser = Browser(Path(tmp) / "profile")
        try:
            browser.visit(pages[0], Path(tmp) / "shot.png")  # start Chromium, compile plotly.js once
            seconds: dict[str, list[float]] = {"own URL": [], "one URL": []}
            cpu = dict.fromkeys(seconds, 0.0)
            one_url = browser._view
            for page in pages[1:]:
                for way in seconds:
                    # a view path of the page's own is a URL no earlier visit had: as visits were before
                    browser._view = page.parent / "own" / page.name if way == "own URL" else one_url
                    before, start = chromium_cpu(), time.perf_counter()
                    browser.visit(page, Path(tmp) / "shot.png")
                    seconds[way].append(time.perf_counter() - start)
                    cpu[way] += chromium_cpu() - before
        finally:
            browser.quit()
    for way, values in seconds.items():
        print(
            f"{way}: {len(values)} visits, median {statistics.median(values):.2f} s wall, "
            f"total {sum(values):.1f} s wall, Chromium CPU {cpu[way]:.1f} s"
        )


if __name__ == "__main__":
    main()
