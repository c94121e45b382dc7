"""`rotsim study CONFIG`, in-process on the synthetic market: the files, their figures, and bad input.

The figures are recomputed here from the synthetic market's prices with
pandas (the events from the rule written out, forward returns by shift),
not read from another path through the study. Bad input (no events, an
empty event set, a horizon longer than the data, an asset missing, an
unknown event set, a key in error) exits 2 naming the config's line and
writes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulator.cli import main

CONFIG = """\
name: st
description: a thrust study on the synthetic market
data:
  source: sample
  start: 2001-01-02
  end: 2012-12-31
universe:
  large_cap: SPY
  small_cap: IWM
benchmark: SPY
strategies:
  - name: small_cap_thrust
    label: Thrust
    params: {threshold: 0.025, hold: 21}
  - name: static_weights
    label: Hold
report: {tearsheets: false, risk_free: zero}
study:
  events: [Thrust]
  assets: [small_cap, QQQ]
  horizons: [21, 63]
  entry: next_close
  events_until: 2011-06-30
  bootstrap: {reps: 50, seed: 3}
  sensitivity: {param: threshold, values: [0.02, 0.025, 0.03]}
  periods: {by: year, label: election_cycle}
  claim:
    source: a made-up note
    published: 2010-06-30
    events: 40
    mean: {small_cap: {21: 0.01, 63: 0.5}}
    tolerance: 0.02
"""


def _study(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> tuple[int, str]:
    cfg = tmp_path / "study.yaml"
    cfg.write_text(text)
    code = main(["study", str(cfg), "--out", str(tmp_path / "out")])
    out = capsys.readouterr()
    return code, " ".join((out.out + out.err).split())


@pytest.fixture(scope="module")
def study_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("study")
    (tmp / "study.yaml").write_text(CONFIG)
    assert main(["study", str(tmp / "study.yaml"), "--out", str(tmp / "out")]) == 0
    (folder,) = (tmp / "out" / "st").iterdir()
    return folder


def _market() -> pd.DataFrame:
    from simulator.data.sources.sample import SampleSource

    raw = SampleSource(seed=7).load_prices(["SPY", "IWM", "QQQ"])
    prices = pd.DataFrame(raw)
    return prices.loc["2001-01-02":"2012-12-31"]


def test_writes_the_files(study_folder: Path) -> None:
    names = {p.name for p in study_folder.iterdir()}
    assert {"study_summary.csv", "events.csv", "manifest.json", "study.html", "config.yaml", "claim.csv"} <= names
    assert {"sensitivity.csv", "periods.csv", "out_of_sample.csv", "paths.csv"} <= names
    summary = pd.read_csv(study_folder / "study_summary.csv")
    required = "event asset horizon n n_independent mean median hit_rate baseline_mean excess_vs_baseline t_stat p_value ci_low ci_high"
    assert set(required.split()) <= set(summary.columns)
    manifest = json.loads((study_folder / "manifest.json").read_text())
    assert manifest["assets"] == {"small_cap": "IWM", "QQQ": "QQQ"} and manifest["data"]["synthetic"] is True


def test_summary_agrees_with_pandas(study_folder: Path) -> None:
    prices = _market()
    gain = prices["IWM"].pct_change(fill_method=None).round(12)
    events = gain.index[(gain >= 0.025) & (gain.index <= "2011-06-30")]
    summary = pd.read_csv(study_folder / "study_summary.csv").set_index(["asset", "measure", "horizon"])
    assert len(events) > 5
    for h in (21, 63):
        for asset in ("IWM", "QQQ"):
            fwd = prices[asset].shift(-(h + 1)) / prices[asset].shift(-1) - 1  # from the next close
            for measure, y in (
                ("return", fwd),
                ("excess over SPY", fwd - (prices["SPY"].shift(-(h + 1)) / prices["SPY"].shift(-1) - 1)),
            ):
                row = summary.loc[(asset, measure, h)]
                at = y.loc[events].dropna()
                base = y.loc[:"2011-06-30"].dropna()
                assert row["n"] == len(at)
                assert row["mean"] == pytest.approx(at.mean(), abs=1e-9)
                assert row["median"] == pytest.approx(at.median(), abs=1e-9)
                assert row["baseline_mean"] == pytest.approx(base.mean(), abs=1e-9)
                assert row["excess_vs_baseline"] == pytest.approx(at.mean() - base.mean(), abs=1e-9)
                assert row["ci_low"] <= row["ci_high"]
    table = pd.read_csv(study_folder / "events.csv")
    assert list(pd.to_datetime(table["date"])) == list(events)
    assert pd.to_datetime(table["entry_date"]).gt(pd.to_datetime(table["date"])).all()  # the next close


def test_claim_verdicts_and_sensitivity(study_folder: Path) -> None:
    claim = pd.read_csv(study_folder / "claim.csv").set_index(["figure", "at"])
    summary = pd.read_csv(study_folder / "study_summary.csv").set_index(["asset", "measure", "horizon"])
    measured = summary.loc[("IWM", "return", 63), "mean"]
    assert claim.loc[("mean", "63d"), "verdict"] == ("reproduced" if abs(measured - 0.5) <= 0.02 else "different")
    assert claim.loc[("mean", "63d"), "measured"] == pytest.approx(measured, abs=1e-12)
    sens = pd.read_csv(study_folder / "sensitivity.csv")
    prices = _market()
    gain = prices["IWM"].pct_change(fill_method=None).round(12)
    for t in (0.02, 0.025, 0.03):
        count = int(((gain >= t) & (gain.index <= "2011-06-30")).sum())
        assert (sens.loc[sens["threshold"] == t, "events"] == count).all()


def test_periods_group_calendar_years_by_the_election_cycle(study_folder: Path) -> None:
    periods = pd.read_csv(study_folder / "periods.csv").set_index(["asset", "group"])
    year_end = _market()["QQQ"].groupby(lambda d: d.year).last()
    years = (year_end / year_end.shift(1) - 1).dropna()
    election = years[[y % 4 == 0 for y in years.index]]
    assert periods.loc[("QQQ", "4 election year"), "mean"] == pytest.approx(election.mean(), abs=1e-9)
    assert periods.loc[("QQQ", "4 election year"), "all_mean"] == pytest.approx(years.mean(), abs=1e-9)


def _line(text: str, words: str) -> int:
    """The 1-based line of ``text`` that holds ``words`` (the line an error must name)."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if words in line)


def _without_claim(text: str) -> str:
    return text[: text.index("  claim:")]


def _bad(old: str, new: str) -> str:
    """The config without its claim, ``old`` replaced by ``new``."""
    return _without_claim(CONFIG).replace(old, new)


BAD = {
    "no_events": (
        _without_claim(CONFIG)
        .replace("events: [Thrust]", "events: [Hold]")
        .replace("  sensitivity: {param: threshold, values: [0.02, 0.025, 0.03]}\n", ""),
        "- name: static_weights",
        "declares no events",
    ),
    "empty_event_set": (_bad("threshold: 0.025, hold", "threshold: 0.9, hold"), "events_until:", "no event from"),
    "horizon_too_long": (_bad("horizons: [21, 63]", "horizons: [21, 5000]"), "horizons:", "horizon 5000"),
    "asset_missing": (_bad("assets: [small_cap, QQQ]", "assets: [small_cap, NOPE]"), "assets:", "asset 'NOPE'"),
    "unknown_event_set": (
        _bad("events: [Thrust]", "events: [Thrus]"),
        "events: [Thrus]",
        "no strategy labelled 'Thrus'",
    ),
    "bad_key": (_without_claim(CONFIG).replace("entry: next_close", "entry: tomorrow"), "entry:", "study.entry"),
    "no_signal": (
        _bad("periods: {by: year, label: election_cycle}", "periods: {by: year, label: signal, strategy: Hold}"),
        "periods:",
        "sets no signal",
    ),
    "claim_asset": (CONFIG.replace("mean: {small_cap: {21", "mean: {IJR: {21"), "mean: {IJR", "'IJR' is not among"),
    "no_study": (CONFIG[: CONFIG.index("study:")], "", "no `study:` section"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_exits_2_at_its_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    text, line_of, words = BAD[case]
    code, out = _study(tmp_path, capsys, text)
    assert code == 2, out
    assert f"study.yaml:{_line(text, line_of)}:" in out if line_of else "study.yaml" in out, out
    assert words in out, out
    assert not (tmp_path / "out").exists()


def test_events_until_moves_the_empty_check_to_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = _without_claim(CONFIG).replace("events_until: 2011-06-30", "events_until: 2001-01-03")
    code, out = _study(tmp_path, capsys, text)
    assert code == 2 and f"study.yaml:{_line(text, 'events_until:')}:" in out and "has no event" in out, out


def test_no_numpy_warnings_on_a_horizon_with_no_complete_window() -> None:
    from simulator.study import StudySpec, event_study

    idx = pd.bdate_range("2020-01-01", periods=30)
    prices = pd.DataFrame({"A": np.linspace(100, 110, 30)}, index=idx)
    events = pd.Series(idx == idx[-3], index=idx)
    with np.errstate(all="raise"):
        out = event_study(prices, {"e": events}, StudySpec((5,), boot=None))
    assert out.summary.loc[0, "n"] == 0 and out.summary.loc[0, "n_past_data"] == 1


def test_a_hindsight_event_set_is_marked_in_the_terminal_and_the_manifest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        CONFIG[: CONFIG.index("strategies:")]
        + "strategies:\n  - name: rate_cut_regime\n    label: Cut\n"
        + "    params: {hindsight_recession_filter: true, span_days: 120}\n"
        + "report: {tearsheets: false, risk_free: zero}\nstudy:\n  assets: [small_cap]\n  horizons: [21]\n"
        + "  bootstrap: {reps: 0}\n"
    )
    code, out = _study(tmp_path, capsys, text)
    assert code == 0, out
    assert "HINDSIGHT Cut: hindsight_recession_filter skips first cuts" in out
    (folder,) = (tmp_path / "out" / "st").iterdir()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert "NBER dates" in manifest["events"]["Cut"]["hindsight"]
    assert pd.read_csv(folder / "study_summary.csv")["ci_low"].isna().all()  # no bootstrap asked for


def test_the_sample_starts_at_the_first_price_not_the_macro_warm_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the synthetic recession flag starts 1990-01-01, a day before the first price: that weekday is no session
    text = (
        "name: st\ndata: {source: sample, end: 1999-12-31}\nuniverse: {large_cap: SPY, small_cap: IWM}\n"
        "strategies:\n  - {name: rate_cut_regime, label: Cut, params: {span_days: 120}}\n"
        "report: {tearsheets: false, risk_free: zero}\n"
        "study: {assets: [small_cap], horizons: [21], bootstrap: {reps: 0}}\n"
    )
    code, out = _study(tmp_path, capsys, text)
    assert code == 0, out
    (folder,) = (tmp_path / "out" / "st").iterdir()
    first = _market_from_1990().index[0]
    assert json.loads((folder / "manifest.json").read_text())["data"]["sample"][0] == str(first.date())


def _market_from_1990() -> pd.DataFrame:
    from simulator.data.sources.sample import SampleSource

    return pd.DataFrame(SampleSource(seed=7).load_prices(["SPY", "IWM"]))


def test_validate_finds_a_studys_errors_and_says_what_it_would_measure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "study.yaml"
    bad = _bad("horizons: [21, 63]", "horizons: [21, 5000]")
    cfg.write_text(bad)
    assert main(["validate", str(cfg)]) == 2
    assert f"study.yaml:{_line(bad, 'horizons:')}: horizon 5000" in capsys.readouterr().err
    cfg.write_text(_without_claim(CONFIG))
    assert main(["validate", str(cfg)]) == 0
    out = capsys.readouterr().out
    assert "study: 1 event set(s), periods by election_cycle on small_cap, QQQ" in out


def test_a_period_study_by_a_hindsight_signal_is_marked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (
        "name: st\ndata: {source: sample, end: 2012-12-31}\nuniverse: {large_cap: SPY, small_cap: IWM}\n"
        "strategies:\n  - {name: rate_cut_regime, label: Cut, params: {hindsight_recession_filter: true}}\n"
        "report: {tearsheets: false, risk_free: zero}\n"
        "study: {assets: [small_cap], periods: {by: year, label: signal, strategy: Cut}}\n"
    )
    code, out = _study(tmp_path, capsys, text)
    assert code == 0 and "HINDSIGHT Cut" in out, out
    (folder,) = (tmp_path / "out" / "st").iterdir()
    assert "Cut" in json.loads((folder / "manifest.json").read_text())["hindsight"]
    assert set(pd.read_csv(folder / "periods.csv")["group"]) == {"on", "off"}
    assert "HINDSIGHT." in (folder / "study.html").read_text()


def test_a_study_shows_its_progress_and_times_every_step(tmp_path: Path, registry) -> None:
    from simulator.config import load_config
    from simulator.pipeline.study import count_study_steps, execute_study

    cfg = tmp_path / "study.yaml"
    cfg.write_text(CONFIG)
    loaded = load_config(cfg)
    steps: list[str] = []
    execute_study(loaded, registry, out=tmp_path / "out", step=steps.append)
    parts = ["event study", "period study", "sensitivity", "claim and out of sample"]  # the config has each
    assert steps == ["checking config, data and events", *parts, "writing results"]
    assert count_study_steps(loaded) == len(steps)  # the progress bar's total
    (manifest,) = (tmp_path / "out" / "st").glob("*/manifest.json")
    timings = json.loads(manifest.read_text())["timings_seconds"]
    parts = ["plan, data and events", *parts]
    assert list(timings) == [*parts, "results files", "study page"]
    assert all(s >= 0 for s in timings.values())
