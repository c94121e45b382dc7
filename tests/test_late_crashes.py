"""Valid configs that used to crash after the computing: a book that only holds cash, prices that are all empty."""

from __future__ import annotations

import textwrap
from io import StringIO
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import only_run, run_in_process

CASH_PLUGIN = '''
import pandas as pd
from simulator import hookimpl, strategy

@strategy(roles=("large_cap",))
def cash_only(data):
    """Hold nothing: every day all cash."""
    return pd.DataFrame({"large_cap": 0.0}, index=data.index)

@hookimpl
def register_strategies(register):
    register(cash_only)
'''


def _config(tmp_path: Path, strategies: str) -> Path:
    (tmp_path / "cash_plugin.py").write_text(CASH_PLUGIN)
    cfg = tmp_path / "cash.yaml"
    cfg.write_text(
        "name: cash\n"
        "data: {source: sample, start: 2010-01-04, end: 2011-12-30}\n"
        "universe: {large_cap: SPY, small_cap: IWM}\n"
        "plugins: [cash_plugin.py]\n"
        "engine: {cash_earns: nothing}\n"
        "strategies:\n" + textwrap.indent(strategies, "  ") + "report: {tearsheets: true}\n"
    )
    return cfg


def _metric(html: str, row: str) -> list[str]:
    """The cells of one row of a quantstats tearsheet's metrics table."""
    table = next(t for t in pd.read_html(StringIO(html)) if "Metric" in t.columns)
    return table.loc[table["Metric"] == row].iloc[0, 1:].tolist()


def test_a_book_holding_only_cash_gets_its_tearsheet(tmp_path: Path) -> None:
    """quantstats' R² raised on returns that never change: the whole run was lost, with a traceback."""
    cfg = _config(tmp_path, "- {name: cash_only, label: Cash}\n")
    proc = run_in_process("run", str(cfg), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    folder = only_run(tmp_path / "out", "cash")
    assert (pd.read_csv(folder / "returns.csv", index_col=0)["Cash"] == 0).all()
    html = (folder / "tearsheets" / "cash.html").read_text()
    assert _metric(html, "Time in Market") == ["100.0%", "0.0%"]  # benchmark, then the book: never invested
    assert _metric(html, "R^2") == ["-", "-"]  # R² of a flat series is undefined, not an error


def test_cash_beside_other_books_in_every_report(tmp_path: Path) -> None:
    """Two tearsheets (written in parallel) and quantstats' report of all strategies, which holds the cash book."""
    cfg = _config(
        tmp_path,
        "- {name: cash_only, label: Cash}\n"
        "- {name: static_weights, label: Half small, params: {weights: {large_cap: 0.5, small_cap: 0.5}}}\n",
    )
    proc = run_in_process("run", str(cfg), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    folder = only_run(tmp_path / "out", "cash")
    assert {p.name for p in (folder / "tearsheets").iterdir()} == {
        "cash.html",
        "half-small.html",
        "all_strategies.html",
    }
    assert "Cash" in (folder / "tearsheets" / "all_strategies.html").read_text()
    assert (folder / "index.html").is_file()


def test_flat_returns_in_a_tearsheet_written_directly(tmp_path: Path) -> None:
    from simulator.reports.tearsheet import write_tearsheet

    idx = pd.bdate_range("2018-01-01", periods=300)
    bench = pd.Series(np.random.default_rng(3).normal(0.0004, 0.01, len(idx)), index=idx)
    for name, flat in {"zero": 0.0, "constant": 0.0001}.items():
        path = tmp_path / f"{name}.html"
        write_tearsheet(pd.Series(flat, index=idx), bench, path, "t", "Flat", "Bench")
        assert _metric(path.read_text(), "R^2") == ["-", "-"]
    # a book that moves keeps quantstats' R²: the square of its correlation with the benchmark
    moving = bench * 0.5 + pd.Series(np.random.default_rng(4).normal(0, 0.01, len(idx)), index=idx)
    write_tearsheet(moving, bench, tmp_path / "moving.html", "t", "Moving", "Bench")
    r2 = np.corrcoef(moving, bench)[0, 1] ** 2
    assert _metric((tmp_path / "moving.html").read_text(), "R^2")[1] == str(round(r2, 2))


# --- prices that are all empty ---------------------------------------------------------


def _csv_run(tmp_path: Path, files: dict[str, str]) -> tuple[object, Path]:
    data = tmp_path / "data"
    data.mkdir()
    days = pd.bdate_range("2010-01-04", "2011-12-30")
    rng = np.random.default_rng(5)
    for ticker in ("SPY", "IWM"):
        prices = 100 * np.cumprod(1 + rng.normal(0.0003, 0.01, len(days)))
        text = "date,adj_close\n" + "".join(f"{d:%Y-%m-%d},{p:.4f}\n" for d, p in zip(days, prices))
        (data / f"etf_{ticker}.csv").write_text(files.get(ticker, text))
    cfg = tmp_path / "c.yaml"
    cfg.write_text(
        f"name: empty\ndata: {{source: csv, dir: {data}}}\nuniverse: {{large_cap: SPY, small_cap: IWM}}\n"
        "strategies:\n  - {name: static_weights, params: {weights: {large_cap: 0.5, small_cap: 0.5}}}\n"
        "report: {tearsheets: false}\n"
    )
    out = tmp_path / "out"
    return run_in_process("run", str(cfg), "--out", str(out)), out


@pytest.mark.parametrize(
    "ticker, text",
    [
        ("IWM", "date,adj_close\n2010-01-04,\n2010-01-05,\n2010-01-06,\n"),
        ("IWM", "date,adj_close\n2010-01-04,nan\n2010-01-05,NaN\n"),
        ("SPY", "date,adj_close\n2010-01-04,\n2010-01-05,\n"),  # the benchmark
        ("IWM", "date,open,high,low,close,adj_close,volume\n2010-01-04,1,1,1,1,,10\n2010-01-05,1,1,1,1,,10\n"),
    ],
)
def test_a_price_file_with_every_price_empty_is_an_error_naming_the_file(
    tmp_path: Path, ticker: str, text: str
) -> None:
    proc, out = _csv_run(tmp_path, {ticker: text})
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"etf_{ticker}.csv" in proc.stderr and f"{ticker}: no prices" in proc.stderr
    assert not out.exists()


def test_prices_on_no_trading_day_of_the_benchmark_are_an_error(tmp_path: Path) -> None:
    """Every price dated on a weekend: the file has prices, the run's calendar has none of them."""
    proc, out = _csv_run(tmp_path, {"IWM": "date,adj_close\n2010-01-09,50\n2010-01-10,51\n2010-01-16,52\n"})
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "no price on any trading day of the benchmark (SPY) for IWM" in proc.stderr
    assert not out.exists()
