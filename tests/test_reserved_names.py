"""Names rotsim keeps for itself cannot be taken by a ticker or a label.

The engine keeps cash apart from the tickers (no column stands for it), so a
real ticker CASH is traded like any other (figures from numpy bookkeeping written in the tests);
the two column names the results files add to the tickers, 'date' and
'cash', are refused as tickers at the config line that names them.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulator.cli import main

from reference import reference_book as _reference_book

CONFIG = """\
name: reserved
data: {{source: csv, dir: data, start: 2010-01-04, end: 2011-12-30}}
universe:
  large_cap: SPY
  small_cap: {ticker}
benchmark: {benchmark}
engine: {{fees_bps: 10, slippage_bps: 5}}
strategies:
  - name: static_weights
    label: {label}
    rebalance: monthly
    params: {{weights: {{large_cap: 0.5, small_cap: 0.4}}}}
report: {{tearsheets: false, risk_free: zero}}
"""


def _folder(tmp_path: Path, ticker: str, *more: str) -> pd.DataFrame:
    """A CSV folder with SPY, ``ticker`` (the synthetic market's IWM) and ``more`` (copies of SPY); the prices."""
    from simulator.data.sources.sample import SampleSource

    raw = SampleSource(seed=7).load_prices(["SPY", "IWM"])
    prices = pd.DataFrame({"SPY": raw["SPY"], ticker: raw["IWM"], **{m: raw["SPY"] for m in more}})
    prices = prices.loc["2009-06-01":"2011-12-30"].round(4)
    (tmp_path / "data").mkdir()
    for t in prices:
        prices[t].rename("adj_close").rename_axis("date").to_csv(tmp_path / "data" / f"{t}.csv")
    return prices


def _run(tmp_path: Path, capsys, ticker: str, label: str = "cash", benchmark: str = "SPY") -> tuple[int, str]:  # noqa: ANN001
    cfg = tmp_path / "reserved.yaml"
    cfg.write_text(CONFIG.format(ticker=ticker, label=label, benchmark=benchmark))
    code = main(["run", str(cfg), "--out", str(tmp_path / "out")])
    return code, " ".join(capsys.readouterr().err.split())


@pytest.mark.parametrize("label", ["cash", "CASH"])
def test_a_ticker_named_CASH_is_traded_like_any_other(tmp_path: Path, capsys, label: str) -> None:  # noqa: ANN001
    prices = _folder(tmp_path, "CASH")
    code, err = _run(tmp_path, capsys, "CASH", label)
    assert code == 0, err
    (folder,) = (tmp_path / "out" / "reserved").iterdir()

    # numpy: bought at the first close with the decision of the day before, back to target every month
    span = prices.loc[:"2011-12-30"]
    first = span.index.get_loc(pd.Timestamp("2010-01-04"))
    span = span.iloc[first - 1 :]  # the last warm-up day, then the run
    weights = pd.DataFrame({"SPY": 0.5, "CASH": 0.4}, index=span.index)
    month = span.index.to_period("M")
    trade_days = np.r_[False, True, (month[2:] != month[1:-1])]
    value, held = _reference_book(span, weights, 1, trade_days, fees=0.001, slippage=0.0005)
    expected = value[1:] / value[:-1] - 1  # the first day's is the cost of the first purchase

    returns = pd.read_csv(folder / "returns.csv", index_col=0, parse_dates=True)
    assert returns.index.equals(span.index[1:])
    assert np.abs(returns[label].to_numpy() - expected).max() < 1e-10
    book = pd.read_csv(folder / "weights" / "cash.csv", index_col=0, parse_dates=True)
    assert list(book.columns) == ["SPY", "CASH", "cash"]
    assert np.abs(book[["SPY", "CASH"]].to_numpy() - held[1:]).max() < 1e-10
    assert np.abs(book["cash"].to_numpy() - (1 - held[1:].sum(axis=1))).max() < 1e-10
    trades = pd.read_csv(folder / "trades" / "cash.csv", parse_dates=["date"])
    cash_fills = trades[trades["ticker"] == "CASH"]
    assert len(cash_fills) == 24  # the first purchase and 23 monthly rebalances
    slipped = np.where(cash_fills["side"] == "buy", 1.0005, 0.9995)
    paid = 0.001 * cash_fills["size"] * span["CASH"].loc[cash_fills["date"]].to_numpy() * slipped
    assert cash_fills["fees"].to_numpy() == pytest.approx(paid.to_numpy(), rel=1e-9)


@pytest.mark.parametrize(
    ("ticker", "benchmark", "line", "why"),
    [
        ("cash", "SPY", 5, "the uninvested share in the weights files"),
        ("date", "SPY", 5, "the date column of the results' tables"),
        ("IWM", "cash", 6, "the uninvested share in the weights files"),
    ],
)
def test_a_ticker_named_like_a_results_column_is_refused_at_its_line(
    tmp_path: Path,
    capsys,
    ticker: str,
    benchmark: str,
    line: int,
    why: str,  # noqa: ANN001
) -> None:
    _folder(tmp_path, ticker, *([benchmark] if benchmark != "SPY" else []))
    name = ticker if benchmark == "SPY" else benchmark
    code, err = _run(tmp_path, capsys, ticker, "Half and half", benchmark)
    assert code == 2
    assert f"reserved.yaml:{line}: ticker '{name}' is a reserved name ({why})" in err, err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


def test_a_default_ticker_named_like_a_results_column_is_refused(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    _folder(tmp_path, "IWM", "cash")
    (tmp_path / "plug.py").write_text(
        textwrap.dedent("""\
        import pandas as pd
        from simulator import StrategyInput, hookimpl, strategy

        @strategy(default_tickers={"money": "cash"})
        def parks_cash(data: StrategyInput) -> pd.DataFrame:
            return pd.DataFrame({"money": 0.5}, index=data.index)

        @hookimpl
        def register_strategies(register):
            register(parks_cash)
    """)
    )
    cfg = tmp_path / "reserved.yaml"
    text = CONFIG.format(ticker="IWM", label="x", benchmark="SPY") + "plugins: [plug.py]\n"
    cfg.write_text(text.replace("strategies:\n", "strategies:\n  - name: parks_cash\n"))
    code = main(["run", str(cfg), "--out", str(tmp_path / "out")])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2
    assert (
        "reserved.yaml:9: strategy 'parks_cash' reads role 'money' from its default ticker 'cash', a reserved name"
        in err
    ), err


def test_an_older_folder_listing_interest_fills_as_CASH_keeps_its_turnover(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    """Results written before the cash asset left the tickers list its fills as ticker CASH; compare skips them."""
    from simulator.pages.comparison import compare, load_run

    cfg = tmp_path / "old.yaml"
    cfg.write_text(
        textwrap.dedent("""\
        name: old
        data: {source: sample, start: 2010-01-04, end: 2011-12-30}
        universe: {large_cap: SPY}
        engine: {cash_earns: risk_free, lookahead_checks: 0}
        strategies:
          - {name: static_weights, label: Half, rebalance: monthly, params: {weights: {large_cap: 0.5}}}
        report: {tearsheets: false}
    """)
    )
    assert main(["run", str(cfg), "--out", str(tmp_path / "out")]) == 0, capsys.readouterr().err
    (folder,) = (tmp_path / "out" / "old").iterdir()
    before = compare([load_run(folder)]).metrics.loc["Half", "turnover"]
    trades = pd.read_csv(folder / "trades" / "half.csv")
    assert set(trades["ticker"]) == {"SPY"}  # cash is not traded: only tickers have fills
    interest = trades.assign(ticker="CASH", value=trades["value"] * 0.9)  # as an older rotsim wrote them
    pd.concat([trades, interest]).to_csv(folder / "trades" / "half.csv", index=False)
    assert compare([load_run(folder)]).metrics.loc["Half", "turnover"] == before
