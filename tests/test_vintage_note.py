"""The data-vintage note: a strategy that reads today's revised figures says so in every report, milder than HINDSIGHT."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from simulator.config import load_config

from conftest import ROOT

NOTE = "INDPRO and CPIAUCSL as revised since, not as first published (dated by publication)"


def test_the_note_ends_the_tearsheet_subtitle_and_leaves_the_title(registry) -> None:
    from simulator.pipeline.execute import tearsheet_title
    from simulator.pipeline.plan import PlannedStrategy

    s = registry.get("growth_inflation_quads")
    p = PlannedStrategy("Quads", s, s.resolve_params({}), {}, {})
    title, sub = tearsheet_title(p, {"mixes": []}, "S&P 500 (SPY)", False)
    assert title == "Quads vs S&P 500 (SPY)"  # no HINDSIGHT mark: the dates are right, the figures later ones
    assert sub.endswith(f" — data vintage: {NOTE}")
    assert "vintage" not in tearsheet_title(p, {"mixes": []}, "S&P 500 (SPY)", True)[1]  # generated: no vintage
    plain = registry.get("small_cap_thrust")
    assert "vintage" not in tearsheet_title(replace(p, strategy=plain), {"mixes": []}, "SPY", False)[1]


def test_the_terminal_summary_carries_the_note_without_marking_the_row() -> None:
    from rich.console import Console

    from simulator.engine.metrics import COLUMNS
    from simulator.reports.console import metrics_table

    metrics = pd.DataFrame([[0.05] * len(COLUMNS)] * 2, index=["Quads", "SPY"], columns=list(COLUMNS))
    term = Console(width=200, record=True)
    term.print(metrics_table(metrics, "run", vintage={"Quads": NOTE}))
    text = term.export_text()
    assert f"data vintage Quads: {NOTE}" in text and "HINDSIGHT" not in text


def test_the_comparison_card_carries_the_note() -> None:
    from simulator.pages.tables import glance

    days = pd.bdate_range("2020-01-01", periods=300)
    returns = pd.DataFrame({"Quads": 0.001, "SPY": 0.0005}, index=days)
    metrics = pd.DataFrame(
        {"cagr": [0.2, 0.1], "max_drawdown": [-0.1, -0.2], "sharpe": [1.0, 0.5]}, index=["Quads", "SPY"]
    )
    colours = {"Quads": "#123456", "SPY": "#654321"}
    html = glance(metrics, returns, "SPY", colours, {}, {"Quads": NOTE})
    assert f'<p class="vintage-note">data vintage: {NOTE}</p>' in html
    assert "hindsight" not in html  # the milder caveat: not the HINDSIGHT card
    assert "vintage-note" not in glance(metrics, returns, "SPY", colours)


@pytest.mark.real_data
def test_a_quads_run_writes_the_note_to_the_manifest_and_the_page(tmp_path: Path, shared_data: Path, registry) -> None:
    from simulator.pages.comparison import load_run
    from simulator.pipeline.execute import execute

    loaded = load_config(ROOT / "configs" / "growth_inflation_quads.yaml")
    report = loaded.config.report.model_copy(update={"tearsheets": False})
    loaded = replace(loaded, config=loaded.config.model_copy(update={"report": report}))
    result = execute(loaded, registry, data_dir=shared_data, out=tmp_path)
    manifest = json.loads((result.folder / "manifest.json").read_text())
    notes = {s["label"]: (s["vintage"], s["hindsight"]) for s in manifest["strategies"]}
    assert notes["Quads (industrial production)"] == (NOTE, None)
    assert notes["Quads (real GDP)"] == (NOTE.replace("INDPRO", "GDPC1"), None)
    assert result.vintage["Quads (industrial production)"] == NOTE and not result.hindsight
    assert load_run(result.folder).vintage["Quads (real GDP)"].startswith("GDPC1")
    page = (result.folder / "index.html").read_text()
    assert page.count('class="vintage-note"') == 3
