"""A report that fails never loses the run's results: the rest is written, the failure named, exit code 1."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from conftest import only_run


def _config(tmp_path: Path, n: int = 2) -> Path:
    books = [
        "{name: static_weights, label: Large, params: {weights: {large_cap: 1.0}}}",
        "{name: static_weights, label: Half small, params: {weights: {large_cap: 0.5, small_cap: 0.5}}}",
        "{name: static_weights, label: Small, params: {weights: {small_cap: 1.0}}}",
    ][:n]
    cfg = tmp_path / "c.yaml"
    cfg.write_text(
        "name: rep\n"
        "data: {source: sample, start: 2010-01-04, end: 2011-12-30}\n"
        "universe: {large_cap: SPY, small_cap: IWM}\n"
        "benchmark: SPY\n"
        "strategies:\n" + "".join(f"  - {b}\n" for b in books) + "report: {tearsheets: true}\n"
    )
    return cfg


def _run(capsys, cfg: Path, out: Path) -> tuple[int, str, str]:
    from simulator.cli import main

    code = main(["run", str(cfg), "--out", str(out)])
    got = capsys.readouterr()
    return code, got.out, got.err


@pytest.fixture
def fake_tearsheets(monkeypatch):  # noqa: ANN201
    """Tearsheets written in this process, quickly, as a small page; the one for "Half small" fails half-written."""
    import simulator.reports.tearsheet as tearsheet
    import simulator.reports.tearsheet_pool as pool

    def write(returns, benchmark, path: Path, title: str, strategy_title: str, *args) -> None:  # noqa: ANN001
        path.write_text(f"<html>{strategy_title}")
        if strategy_title == "Half small":
            raise ValueError("quantstats could not draw this\nsecond line of its message")
        path.write_text(f"<html>{strategy_title}</html>")

    monkeypatch.setattr(tearsheet, "write_tearsheet", write)
    monkeypatch.setattr(pool.os, "cpu_count", lambda: 1)  # in this process, where the fake is
    return write


def test_a_failing_tearsheet_leaves_the_rest_written(tmp_path: Path, capsys, monkeypatch, fake_tearsheets) -> None:
    import simulator.reports.tearsheet as tearsheet

    monkeypatch.setattr(tearsheet, "write_multi_tearsheet", lambda *a, **k: None)  # no all-strategies report
    out = tmp_path / "out"
    code, stdout, err = _run(capsys, _config(tmp_path, 3), out)
    assert code == 1, err
    folder = only_run(out, "rep")
    assert sorted(p.name for p in (folder / "tearsheets").iterdir()) == ["large.html", "small.html"]  # no half file
    for name in ("metrics.csv", "returns.csv", "config.yaml", "manifest.json", "index.html"):
        assert (folder / name).is_file(), name
    metrics = pd.read_csv(folder / "metrics.csv", index_col=0)
    assert list(metrics.index) == ["Large", "Half small", "Small", "S&P 500 (SPY)"]
    reason = "tearsheet of 'Half small' not written: ValueError: quantstats could not draw this"
    assert json.loads((folder / "manifest.json").read_text())["failed_reports"] == {
        "tearsheets/half-small.html": reason
    }
    assert f"{folder / 'tearsheets' / 'half-small.html'}: {reason}" in err
    assert "1 report(s) not written" in err and "Traceback" not in err
    assert "wrote" in stdout  # the results are listed as usual


def test_every_tearsheet_failing_still_writes_the_tables(tmp_path: Path, capsys, monkeypatch) -> None:
    import simulator.reports.tearsheet as tearsheet

    def broken(*args) -> None:  # noqa: ANN002
        raise RuntimeError("no fonts")

    monkeypatch.setattr(tearsheet, "write_tearsheet", broken)
    out = tmp_path / "out"
    code, _, err = _run(capsys, _config(tmp_path, 1), out)
    assert code == 1
    folder = only_run(out, "rep")
    assert not (folder / "tearsheets").exists()  # no empty folder either
    failed = json.loads((folder / "manifest.json").read_text())["failed_reports"]
    assert failed == {"tearsheets/large.html": "tearsheet of 'Large' not written: RuntimeError: no fonts"}
    assert (folder / "metrics.csv").is_file() and (folder / "weights" / "large.csv").is_file()


def test_quantstats_report_of_all_failing_leaves_the_page_without_it(
    tmp_path: Path, capsys, monkeypatch, fake_tearsheets
) -> None:
    import simulator.reports.tearsheet as tearsheet

    def broken(returns, benchmark, path: Path, *args, **kwargs) -> None:  # noqa: ANN001, ANN003
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("<html>half")
        raise KeyError("Information Ratio")

    monkeypatch.setattr(tearsheet, "write_multi_tearsheet", broken)
    cfg = _config(tmp_path, 2)
    cfg.write_text(cfg.read_text().replace("Half small", "Half"))  # so that no tearsheet fails
    out = tmp_path / "out"
    code, _, err = _run(capsys, cfg, out)
    assert code == 1
    folder = only_run(out, "rep")
    page = (folder / "index.html").read_text()
    assert "all_strategies.html" not in page and "large.html" in page
    assert not (folder / "tearsheets" / "all_strategies.html").exists()
    failed = json.loads((folder / "manifest.json").read_text())["failed_reports"]
    assert failed == {
        "tearsheets/all_strategies.html": "quantstats' report of all strategies not written: KeyError: 'Information Ratio'"
    }
    assert "all_strategies.html" in err


def test_a_failing_comparison_page(tmp_path: Path, capsys, monkeypatch, fake_tearsheets) -> None:
    import simulator.pages.write as compare_report
    import simulator.reports.tearsheet as tearsheet

    monkeypatch.setattr(tearsheet, "write_multi_tearsheet", lambda *a, **k: None)

    def broken(*args) -> str:  # noqa: ANN002
        raise TypeError("cannot draw a chart of nothing")

    monkeypatch.setattr(compare_report, "render", broken)
    out = tmp_path / "out"
    code, _, err = _run(capsys, _config(tmp_path, 3), out)
    assert code == 1
    folder = only_run(out, "rep")
    assert not (folder / "index.html").exists()
    failed = json.loads((folder / "manifest.json").read_text())["failed_reports"]
    assert set(failed) == {"tearsheets/half-small.html", "index.html"}
    assert failed["index.html"] == (
        "comparison page and quantstats' report of all strategies not written: TypeError: cannot draw a chart of nothing"
    )
    assert "2 report(s) not written" in err


def test_a_run_without_failures_says_so(tmp_path: Path, capsys) -> None:
    cfg = _config(tmp_path, 1)
    cfg.write_text(cfg.read_text().replace("tearsheets: true", "tearsheets: false"))
    code, _, err = _run(capsys, cfg, tmp_path / "out")
    assert code == 0 and err == ""
    folder = only_run(tmp_path / "out", "rep")
    assert json.loads((folder / "manifest.json").read_text())["failed_reports"] == {}
