"""Claimed vs measured: the verdicts on hand-made tables, each side of the tolerance and of the test.

The rule (simulator/study/claims.py): reproduced when the measured mean is
within ``tolerance`` of the published one (counts: within
``count_tolerance`` of it), else different, with the causes the study can
see; distinguishable from the baseline when the Holm p-value is below 0.05.
"""

from __future__ import annotations

import pandas as pd
import pytest

from simulator.study.claims import ClaimFigures, compare_claim


def _summary(mean_63: float, p_63: float, past: int = 0) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event": "e", "asset": "X", "measure": ["return", "return", "excess over B"], "horizon": [63, 252, 63],
            "mean": [mean_63, 0.2, 9.9], "p_value": [p_63, 0.5, 0.0], "n_past_data": [0, past, 0],
        }
    )  # fmt: skip


def _claim(**kw: object) -> ClaimFigures:
    base: dict[str, object] = {"source": "s", "published": pd.Timestamp("2024-01-02"), "tolerance": 0.02}
    return ClaimFigures(**{**base, **kw})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("measured", "verdict"), [(0.06, "reproduced"), (0.04, "reproduced"), (0.08, "reproduced"), (0.0399, "different")]
)
def test_mean_within_the_tolerance_reproduces(measured: float, verdict: str) -> None:
    rows = compare_claim(_claim(mean={"X": {63: 0.06}}), _summary(measured, 0.01), None, None)
    (row,) = rows.itertuples()
    assert row.verdict == verdict and row.measured == measured and row.claimed == 0.06
    assert row.difference == pytest.approx(measured - 0.06)


@pytest.mark.parametrize(("p", "words"), [(0.049, "distinguishable from"), (0.05, "not distinguishable")])
def test_the_baseline_test_at_five_percent(p: float, words: str) -> None:
    rows = compare_claim(_claim(mean={"X": {63: 0.06}}), _summary(0.06, p), None, None)
    assert rows.loc[0, "versus_baseline"].startswith(words)


def test_a_different_count_and_windows_past_the_data_are_named_as_causes() -> None:
    claim = _claim(events=100, count_tolerance=0.1, mean={"X": {252: 0.5}}, note="another index")
    rows = compare_claim(claim, _summary(0.06, 0.01, past=3), None, 111).set_index("figure")
    assert rows.loc["events", "verdict"] == "different"  # 11 > 10% of 100
    why = rows.loc["mean", "why"]
    assert rows.loc["mean", "verdict"] == "different"
    assert "111 events measured, 100 published" in why and "3 event window(s)" in why and "another index" in why
    assert compare_claim(_claim(events=100), None, None, 110).loc[0, "verdict"] == "reproduced"  # exactly 10%


def test_a_figure_not_measured_says_so() -> None:
    rows = compare_claim(_claim(mean={"X": {21: 0.01}}), _summary(0.06, 0.01), None, None)
    assert rows.loc[0, "verdict"] == "not measured"


def test_group_means_and_all_periods() -> None:
    periods = pd.DataFrame(
        {"asset": "X", "group": ["1 first year", "4 election year"], "mean": [0.23, 0.05], "all_mean": 0.12,
         "p_value": [0.2, 0.9], "first": "1999", "last": "2025"}
    )  # fmt: skip
    claim = _claim(group_mean={"X": {"1 first year": 0.22, "4 election year": 0.117, "all": 0.122}})
    rows = compare_claim(claim, None, periods, None).set_index("at")
    assert list(rows["verdict"]) == ["reproduced", "different", "reproduced"]
    assert rows.loc["all", "measured"] == 0.12 and "measured over 1999..2025" in rows.loc["all", "why"]
