"""What reports say a strategy holds and when, and the HINDSIGHT mark."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.config import load_config
from simulator.reports.holdings import holdings_brief, holdings_summary

from conftest import ROOT, SHARED_DATA
from property_settings import PROPERTY

CONFIGS = sorted((ROOT / "configs").glob("*.yaml"))


def _on_real_data(path: Path) -> bool:
    return load_config(path).config.data.source in ("csv", "auto")  # auto reads the --data-dir folder when given


# Only the configs on real data need ../shared/data (and skip without it); the synthetic demo always runs.
CONFIG_PARAMS = [pytest.param(p, id=p.stem, marks=[pytest.mark.real_data] if _on_real_data(p) else []) for p in CONFIGS]


def _targets() -> tuple[pd.DataFrame, pd.Series]:
    idx = pd.bdate_range("2024-01-01", periods=10)
    iwm = [1, 1, 1, 0, 0, 1, 1, 1, 0.5, 0.5]
    targets = pd.DataFrame({"IWM": iwm, "SPY": [1 - x for x in iwm]}, index=idx)
    signal = pd.Series([x == 1 for x in iwm], index=idx)
    return targets, signal


def test_holdings_summary_counts_mixes_and_spells() -> None:
    targets, signal = _targets()
    h = holdings_summary(targets, signal)
    assert h["mixes"] == [
        {"weights": {"IWM": 1.0}, "share_of_days": 0.6, "days": 6},
        {"weights": {"SPY": 1.0}, "share_of_days": 0.2, "days": 2},  # tie with the 50/50: chosen first
        {"weights": {"IWM": 0.5, "SPY": 0.5}, "share_of_days": 0.2, "days": 2},
    ]
    assert h["signal"] == {
        "on_share": 0.6, "spell_count": 2, "spells": [["2024-01-01", "2024-01-03"], ["2024-01-08", "2024-01-10"]]
    }  # fmt: skip
    assert holdings_brief(h) == "holds IWM (60% of days), SPY (20%), 1 other mix; signal on 60% of days"


def test_many_mixes_are_capped_and_counted() -> None:
    idx = pd.bdate_range("2024-01-01", periods=20)
    targets = pd.DataFrame({"IWM": [i / 20 for i in range(20)]}, index=idx)  # 20 mixes, one day each, rest cash
    h = holdings_summary(targets)
    assert len(h["mixes"]) == 8 and h["other_mixes"] == {"count": 12, "share_of_days": 0.6, "days": 12}
    assert h["mixes"][0]["weights"] == {} and "signal" not in h  # day one is all cash
    assert holdings_brief(h).startswith("holds cash (5% of days), IWM 5% + cash 95% (5%), 18 other mixes")


def test_title_marks_hindsight_and_synthetic(registry) -> None:
    from simulator.pipeline.execute import tearsheet_title
    from simulator.pipeline.plan import PlannedStrategy

    s = registry.get("rate_cut_regime")
    targets, signal = _targets()
    held = holdings_summary(targets, signal)
    plain = PlannedStrategy("First cut", s, s.resolve_params({}), {}, {})
    marked = replace(plain, params=s.resolve_params({"hindsight_recession_filter": True}))
    assert tearsheet_title(plain, held, "S&P 500 (SPY)", False) == (
        "First cut vs S&P 500 (SPY)",
        "holds IWM (60% of days), SPY (20%), 1 other mix; signal on 60% of days",
    )
    title, _ = tearsheet_title(marked, held, "S&P 500 (SPY)", True)
    assert title == "HINDSIGHT — First cut vs S&P 500 (SPY) — SYNTHETIC DATA"
    # a label that already says so (configs/rate_cut_regime.yaml's) is not marked twice
    said = replace(marked, label="First cut (HINDSIGHT)")
    assert tearsheet_title(said, held, "S&P 500 (SPY)", False)[0] == "First cut (HINDSIGHT) vs S&P 500 (SPY)"


@pytest.mark.real_data
def test_rate_cut_config_manifest_says_what_and_when(tmp_path: Path, shared_data: Path, registry) -> None:
    from simulator.pipeline.execute import execute

    loaded = load_config(ROOT / "configs" / "rate_cut_regime.yaml")
    report = loaded.config.report.model_copy(update={"tearsheets": False})
    loaded = replace(loaded, config=loaded.config.model_copy(update={"report": report}))
    result = execute(loaded, registry, data_dir=shared_data, out=tmp_path)
    manifest = json.loads((result.folder / "manifest.json").read_text())
    known, hindsight = manifest["strategies"]
    assert known["hindsight"] is None
    assert "hindsight_recession_filter" in hindsight["hindsight"]
    assert [m["weights"] for m in known["holdings"]["mixes"]] == [{"SPY": 1.0}, {"IWM": 1.0}]
    # the fed target's history before the run (its warm-up) shows 2001-01-03 as a first cut
    assert [s[0] for s in known["holdings"]["signal"]["spells"]] == [
        "2001-01-03",
        "2007-09-18",
        "2019-07-31",
        "2024-09-18",
    ]
    # recessions began within a year of the 2007 and 2019 cuts (January 2008, March 2020)
    assert [s[0] for s in hindsight["holdings"]["signal"]["spells"]] == ["2024-09-18"]


@pytest.mark.parametrize("path", CONFIG_PARAMS)
def test_every_config_plans_against_its_data(path: Path, registry) -> None:
    from simulator.pipeline.plan import make_plan

    loaded = load_config(path)
    real = _on_real_data(path)  # and so marked real_data: the folder is there
    plan = make_plan(loaded, registry, SHARED_DATA if real else None)
    assert len(plan.strategies) == len(loaded.config.strategies)
    cfg = loaded.config
    if real:
        from simulator.pipeline.execute import load_market

        assert (
            cfg.engine.fees_bps == 5 and cfg.engine.slippage_bps == 2 and cfg.engine.lag == 1 and cfg.benchmark == "SPY"
        )
        market = load_market(plan)  # the market `run` and `validate` build
        # it starts on the earliest day every ticker has a price, and no input is cut short
        assert market.start == max(market.prices[t].first_valid_index() for t in plan.tickers)
        assert not [w for w in market.warnings if "the run" in w], market.warnings  # not moved by missing data


@PROPERTY
@given(seed=st.integers(0, 2**32 - 1), tickers=st.integers(0, 4), days=st.integers(0, 60))
def test_mixes_are_the_distinct_rounded_rows_by_days_held(seed: int, tickers: int, days: int) -> None:
    """Counted row by row in plain Python: the positive weights rounded to 4 places, most-held first."""
    rng = np.random.default_rng(seed)
    # few distinct values, so mixes repeat; NaN, 0, -0.0 and shorts are all "not held"; 1/3 and 0.33334 round apart
    choices = np.array([np.nan, 0.0, -0.0, -0.2, 0.25, 1 / 3, 0.33334, 0.333333, 0.5, 1.0])
    values = choices[rng.integers(0, len(choices), size=(days, tickers))]
    targets = pd.DataFrame(
        values, columns=[f"T{i}" for i in range(tickers)], index=pd.bdate_range("2020-01-01", periods=days)
    )
    counts: dict[tuple[tuple[str, float], ...], int] = {}
    for row in values.tolist():
        key = tuple((f"T{i}", round(w, 4)) for i, w in enumerate(row) if round(w, 4) > 0)  # NaN > 0 is False
        counts[key] = counts.get(key, 0) + 1  # a dict keeps the order of first appearance: ties stay in it
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])  # a stable sort
    h = holdings_summary(targets)
    expected = [{"weights": dict(k), "share_of_days": round(c / days, 4), "days": c} for k, c in ranked[:8]]
    assert h["mixes"] == expected
    rest = ranked[8:]
    if rest:
        left = sum(c for _, c in rest)
        assert h["other_mixes"] == {"count": len(rest), "share_of_days": round(left / days, 4), "days": left}
    else:
        assert "other_mixes" not in h
