"""The four claim configs (configs/claims/) on ../shared/data: what each study measures, recomputed with pandas.

Each config runs once, in-process, without its bootstrap and sensitivity
grid (they do not change the figures checked here). The figures are
recomputed from the CSV files themselves: events from the published rule
(a one-day gain or spread at 12 decimals), forward returns by shifting the
file's own rows, calendar years by grouping its closes. The first cuts
(1995-07-06, 1998-09-29, 2024-09-18) are the dates rate_cut_regime's
docstring lists for a year without a cut, less those followed by a
recession within a year by the NBER's dates (2001, 2007, 2019).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from simulator.cli import main

ROOT = Path(__file__).resolve().parents[1]
CLAIMS = ("russell_thrust", "iwm_qqq_spread", "first_fed_cut", "election_cycle")
TOL = 1e-9


@pytest.fixture(scope="module")
def studies(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("claims")
    out = {}
    for name in CLAIMS:
        cfg = yaml.safe_load((ROOT / "configs" / "claims" / f"{name}.yaml").read_text())
        cfg["study"]["bootstrap"] = {"reps": 0}
        cfg["study"].pop("sensitivity", None)
        path = tmp / f"{name}.yaml"
        path.write_text(yaml.safe_dump(cfg, sort_keys=False))
        assert main(["study", str(path), "--data-dir", str(shared_data), "--out", str(tmp / "out")]) == 0
        (folder,) = (tmp / "out" / cfg["name"]).iterdir()
        out[name] = folder
    return out


def _close(shared: Path, name: str, column: str) -> pd.Series:
    frame = pd.read_csv(shared / name, parse_dates=["date"], index_col="date")
    return frame[column]


def _summary(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / "study_summary.csv").set_index(["asset", "measure", "horizon"])


def test_russell_thrust_counts_107_days_and_their_forward_returns(studies: dict[str, Path], shared_data: Path) -> None:
    rut = _close(shared_data, "index_RUT.csv", "close")
    gain = rut.pct_change().round(12)
    events = gain.index[(gain >= 0.035) & (gain.index <= "2024-07-16")]
    assert len(events) == 107  # as published
    summary = _summary(studies["russell_thrust"])
    for h in (63, 252, 504):
        fwd = (rut.shift(-h) / rut - 1).loc[events].dropna()
        row = summary.loc[("^RUT", "return", h)]
        assert row["n"] == len(fwd) and row["mean"] == pytest.approx(fwd.mean(), abs=TOL)
        assert row["median"] == pytest.approx(fwd.median(), abs=TOL)
    assert summary.loc[("^RUT", "return", 504), "n_past_data"] == 2  # 2024-07-11 and -16: past 2026-02-20


def test_iwm_qqq_spread_days_and_both_legs(studies: dict[str, Path], shared_data: Path) -> None:
    iwm = _close(shared_data, "etf_IWM.csv", "adj_close")
    qqq = _close(shared_data, "etf_QQQ.csv", "adj_close").loc[iwm.index[0] :]
    spread = (iwm.pct_change() - qqq.pct_change()).round(12)
    events = spread.index[(spread >= 0.04) & (spread.index <= "2024-07-10")]
    assert len(events) == 24  # one more than the 23 published
    summary = _summary(studies["iwm_qqq_spread"])
    for asset, p in (("IWM", iwm), ("QQQ", qqq)):
        for h in (63, 252):
            fwd = (p.shift(-h) / p - 1).loc[events].dropna()
            assert summary.loc[(asset, "return", h), "mean"] == pytest.approx(fwd.mean(), abs=TOL)
    table = pd.read_csv(studies["iwm_qqq_spread"] / "events.csv")
    assert list(pd.to_datetime(table["date"])) == list(events)


def test_first_fed_cut_on_the_sp600(studies: dict[str, Path], shared_data: Path) -> None:
    sp600 = _close(shared_data, "index_SP600.csv", "close")
    table = pd.read_csv(studies["first_fed_cut"] / "events.csv")
    assert list(table["date"]) == ["1995-07-06", "1998-09-29", "2024-09-18"]
    summary = _summary(studies["first_fed_cut"])
    for h in (21, 63, 252):
        fwd = (sp600.shift(-h) / sp600 - 1).loc[["1995-07-06", "1998-09-29"]]
        row = summary.loc[("^SP600", "return", h)]
        assert row["n"] == 2 and row["n_past_data"] == 1  # ^SP600 ends on 2020-04-16
        assert row["mean"] == pytest.approx(fwd.mean(), abs=TOL)
    claim = pd.read_csv(studies["first_fed_cut"] / "claim.csv")
    assert set(claim["verdict"]) <= {"reproduced", "different"}
    page = (studies["first_fed_cut"] / "study.html").read_text()
    assert "HINDSIGHT" in page  # the recession condition reads the future


def test_election_cycle_years_of_xlf_and_the_market(studies: dict[str, Path], shared_data: Path) -> None:
    periods = pd.read_csv(studies["election_cycle"] / "periods.csv").set_index(["asset", "group"])
    xlf = _close(shared_data, "etf_XLF.csv", "adj_close")
    year_end = xlf.groupby(xlf.index.year).last()
    years = (year_end / year_end.shift(1) - 1).loc[1999:2025]  # 1998 has no close before it; 2026 is partial
    for cycle, group in ((0, "4 election year"), (1, "1 first year")):
        chosen = years[[y % 4 == cycle for y in years.index]]
        assert periods.loc[("XLF", group), "mean"] == pytest.approx(chosen.mean(), abs=TOL)
        assert periods.loc[("XLF", group), "n"] == len(chosen)
    ff = pd.read_csv(shared_data / "ff_F-F_Research_Data_Factors_daily.csv", skiprows=4, index_col=0)
    ff = ff[pd.to_numeric(ff["RF"], errors="coerce").notna()]
    ff.index = pd.to_datetime(ff.index.str.strip())
    level = (1 + (ff["Mkt-RF"].astype(float) + ff["RF"].astype(float)) / 100).cumprod()
    # on the benchmark's (^GSPC's) trading days from its first, as a run aligns every ticker: Ken French's
    # Saturday sessions before 1952 count in the next trading day, sometimes the next year's
    gspc = _close(shared_data, "index_GSPC.csv", "close").index
    days = level.index[level.index < gspc[0]].append(gspc[gspc <= level.index[-1]])
    on_days = level.reindex(level.index.union(days)).ffill().loc[days]
    year_end = on_days.groupby(on_days.index.year).last()
    full = (year_end / year_end.shift(1) - 1).loc[1927:2025]  # 1926 starts in July; 2026 ends in April
    assert periods.loc[("FF:Mkt", "1 first year"), "all_mean"] == pytest.approx(full.mean(), abs=1e-9)
