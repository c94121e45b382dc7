"""study.html in a real browser: headless Chromium draws every average path, logs no error, requests nothing else.

A study on the synthetic market with two event sets, one of them marked
HINDSIGHT (rate_cut_regime's hindsight recession filter), and a label
holding markup: it must show as text, never run. Needs Debian's
``chromium`` and ``chromium-driver``; skips without them locally, fails in
CI (``CI=true``). The screenshot is saved as ``page.png`` in the test's
temporary folder (the window's view; the whole page with
``ROTSIM_TESTS_FULL_SCREENSHOTS=1``).
"""

from __future__ import annotations

from pathlib import Path

from simulator.cli import main

LABEL = "Thrust <script>window.injected=1</script>"
CONFIG = f"""\
name: sb
data: {{source: sample, start: 2001-01-02, end: 2014-12-31}}
universe: {{large_cap: SPY, small_cap: IWM}}
benchmark: SPY
strategies:
  - name: small_cap_thrust
    label: "{LABEL}"
    params: {{threshold: 0.03}}
  - name: rate_cut_regime
    label: First cut
    params: {{hindsight_recession_filter: true, span_days: 120}}
report: {{tearsheets: false, risk_free: zero}}
study:
  assets: [small_cap, large_cap]
  horizons: [21, 63]
  bootstrap: {{reps: 20}}
  sensitivity: {{param: threshold, values: [0.02, 0.03]}}
  periods: {{by: year, label: signal, strategy: First cut}}
  claim:
    source: a made-up note
    published: 2010-01-04
    mean: {{small_cap: {{21: 0.01}}}}
"""


def test_study_page_renders_offline_with_its_marks(chromium, tmp_path: Path) -> None:  # noqa: ANN001
    (tmp_path / "sb.yaml").write_text(CONFIG)
    assert main(["study", str(tmp_path / "sb.yaml"), "--out", str(tmp_path / "out")]) == 0
    (folder,) = (tmp_path / "out" / "sb").iterdir()
    page = folder / "study.html"
    seen = chromium.visit(page, tmp_path / "page.png")

    assert seen.severe == [], seen.severe
    assert page.resolve().as_uri() in seen.requests and seen.foreign_requests == []
    assert seen.checks["injected"] is None  # the label's markup is text
    assert len(seen.charts) == 4  # two event sets x two assets
    for chart in seen.charts:
        assert chart["traces"] == 4 and chart["drawn_paths"] >= 3 and chart["height"] > 150, chart
        assert {"after events", "baseline (every day)"} <= set(chart["legend"]), chart
    assert seen.checks["synthetic_banner"].startswith("SYNTHETIC DATA")
    text = page.read_text()
    assert "HINDSIGHT" in text and "Claimed vs measured" in text and LABEL not in text
    assert seen.screenshot and seen.screenshot.stat().st_size > 30_000


def test_page_marks_hindsight_out_of_sample_and_escapes_names() -> None:
    import pandas as pd

    from simulator.pages.study import StudyPage, render_study

    manifest = {"rotsim_study": "x", "events": {"Cut": {"hindsight": "reads <NBER> dates"}}, "method": {}}
    oos = pd.DataFrame({"event": ["Cut after 2020-01-02", "Other"], "asset": ["<b>A</b>", "B"], "mean": [0.1, 0.2]})
    html = render_study(StudyPage(manifest, None, None, None, oos, None, None, None))
    section = html[html.index('id="oos"') :]
    assert section.count('class="hindsight-mark"') == 1  # the hindsight set's later events, not the other set
    assert "<b>A</b>" not in html and "&lt;b&gt;A&lt;/b&gt;" in html and "reads &lt;NBER&gt; dates" in html
