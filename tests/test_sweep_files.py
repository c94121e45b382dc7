"""Per-variant results files on request (`--files`, `sweep: {files: [...]}`): equal to a run of the variant alone.

The variants asked for get the files a plain run writes (metrics.csv,
returns.csv, weights/, trades/, a tearsheet when tearsheets are on) under
``variants/<id>/``; each is compared byte for byte with `rotsim run` of a
config written here with that variant's params, read from sweep.csv.
A bad request exits 2 naming its config line or ``--files``, before anything
is computed or written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from conftest import only_run, run_in_process

SWEEP = """\
name: s
data:
  source: sample
  start: 2003-01-02
  end: 2008-12-31
universe:
  large_cap: SPY
  small_cap: IWM
  small_cap_index: ^RUT
benchmark: SPY
engine:
  fees_bps: 5
  slippage_bps: 2
  lag: 1
  rebalance: on_change
  cash_earns: risk_free
strategies:
  - name: small_cap_thrust
    label: x
    params: {{threshold: 0.03, hold: 63}}
{sweep}
report:
  tearsheets: {tearsheets}
{settings}"""

GRID = """\
    sweep:
      threshold: [0.005, 0.03, 0.999]
      hold: {from: 1, to: 253, step: 126}"""


def _config(folder: Path, *, sweep: str = GRID, settings: str = "", tearsheets: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "c.yaml"
    path.write_text(
        SWEEP.format(sweep=sweep, settings=settings, tearsheets="true" if tearsheets else "false"), encoding="utf-8"
    )
    return path


def _alone(tmp: Path, params: dict, tearsheets: bool = False) -> Path:
    """The results folder of a plain run of the strategy with ``params``, from a config written here."""
    folder = tmp / f"alone-{len(list(tmp.glob('alone-*')))}"
    cfg = _config(folder, sweep="", tearsheets=tearsheets)
    shown = ", ".join(f"{k}: {v!r}" for k, v in params.items())
    cfg.write_text(cfg.read_text().replace("params: {threshold: 0.03, hold: 63}", f"params: {{{shown}}}"))
    r = run_in_process("run", str(cfg), "--out", str(folder / "out"))
    assert r.returncode == 0, r.stdout + r.stderr
    return only_run(folder / "out", "s")


SAME = ["metrics.csv", "returns.csv", "risk_free.csv", "weights/x.csv", "trades/x.csv"]


def test_the_variants_asked_for_get_the_files_of_their_run_alone(tmp_path):
    cfg = _config(tmp_path / "sweep")
    asked = "best,2,default,threshold=0.999&hold=127"
    r = run_in_process("sweep", str(cfg), "--out", str(tmp_path / "out"), "--files", asked, "--files", "top:2")
    assert r.returncode == 0, r.stdout + r.stderr
    run = only_run(tmp_path / "out", "s")
    table = pd.read_csv(run / "sweep.csv", index_col="variant")
    by_rank = table.sort_values("rank", kind="stable").index
    hand = table[(table["threshold"] == 0.999) & (table["hold"] == 127)].index
    want = list(dict.fromkeys([by_rank[0], table.index[1], table.index[table["default"]][0], *hand, *by_rank[:2]]))
    assert len(want) >= 4
    assert sorted(p.name for p in (run / "variants").iterdir()) == sorted(want)
    manifest = json.loads((run / "manifest.json").read_text())
    assert manifest["sweep"]["variant_files"] == {v: f"variants/{v}" for v in want}
    for vid in want:
        params = {"threshold": float(table.loc[vid, "threshold"]), "hold": int(table.loc[vid, "hold"])}
        alone = _alone(tmp_path, params)
        for name in SAME:
            assert (run / "variants" / vid / name).read_bytes() == (alone / name).read_bytes(), (vid, name)
        # its metrics.csv row is the sweep's row of that variant
        row = pd.read_csv(run / "variants" / vid / "metrics.csv", index_col="strategy").loc["x"]
        assert row["sharpe"] == pytest.approx(table.loc[vid, "sharpe"], rel=1e-9)
        # and its config.yaml runs it alone again
        again = run_in_process("run", str(run / "variants" / vid / "config.yaml"), "--out", str(tmp_path / vid))
        assert again.returncode == 0, again.stdout + again.stderr
        rerun = only_run(tmp_path / vid, "s")
        assert (rerun / "weights/x.csv").read_bytes() == (alone / "weights/x.csv").read_bytes(), vid


def test_a_variant_asked_for_in_the_config_gets_its_tearsheet(tmp_path):
    cfg = _config(tmp_path / "sweep", settings="sweep: {files: [v0001], chunk_size: 4}\n", tearsheets=True)
    r = run_in_process("sweep", str(cfg), "--out", str(tmp_path / "out"))
    assert r.returncode == 0, r.stdout + r.stderr
    run = only_run(tmp_path / "out", "s")
    assert (run / "variants" / "v0001" / "tearsheets" / "x.html").stat().st_size > 10_000
    assert [p.name for p in (run / "variants").iterdir()] == ["v0001"]
    table = pd.read_csv(run / "sweep.csv", index_col="variant")
    alone = _alone(tmp_path, {"threshold": float(table.loc["v0001", "threshold"]), "hold": 1})
    for name in SAME:
        assert (run / "variants" / "v0001" / name).read_bytes() == (alone / name).read_bytes(), name


@pytest.mark.parametrize(
    ("settings", "cli", "message"),
    [
        ("sweep: {files: [best, v0099]}\n", None, r"c\.yaml:\d+: 'v0099' is not a variant of this sweep"),
        ("sweep: {files: ['top:0']}\n", None, r"c\.yaml:\d+: 'top:0': top:N takes a whole number"),
        ("sweep: {files: [{hold: 2}]}\n", None, r"c\.yaml:\d+: no variant has hold=2 \(the sweep's values of hold: "),
        ("sweep: {files: [{holds: 1}]}\n", None, r"c\.yaml:\d+: no parameter 'holds'"),
        (
            "sweep: {files: [11]}\n",
            None,
            r"c\.yaml:\d+: variant number 11 is not among the sweep's variants \(1 to 10\)",
        ),
        ("sweep: {files: ['top:3'], max_files: 2}\n", None, r"c\.yaml:\d+: asks for the files of up to 3 variants"),
        ("", "best,top:x", r"--files: 'top:x': top:N takes"),
        ("", "nine", r"--files: 'nine' is not a variant of this sweep"),
        # threshold 0.03: holds 1, 127, 253 and the default's 63, then best: 5
        ("sweep: {max_files: 3}\n", "threshold=0.03,best", r"--files: asks for the files of up to 5 variants"),
    ],
)
def test_a_bad_request_exits_2_before_computing(tmp_path, settings, cli, message):
    import re

    cfg = _config(tmp_path / "sweep", settings=settings)
    extra = [] if cli is None else ["--files", cli]
    r = run_in_process("sweep", str(cfg), "--out", str(tmp_path / "out"), *extra)
    assert r.returncode == 2, r.stdout + r.stderr
    assert re.search(message, r.stdout + r.stderr), r.stdout + r.stderr
    assert "Traceback" not in r.stdout + r.stderr
    assert not (tmp_path / "out").exists()  # nothing computed, nothing written


def test_files_on_a_config_without_a_sweep_is_refused(tmp_path):
    cfg = _config(tmp_path / "plain", sweep="")
    r = run_in_process("run", str(cfg), "--out", str(tmp_path / "out"), "--files", "best")
    assert r.returncode == 2 and "--files: for a sweep" in r.stdout + r.stderr


def test_validate_checks_the_files_asked_for(tmp_path):
    cfg = _config(tmp_path / "sweep", settings="sweep: {files: [best, v0042]}\n")
    r = run_in_process("validate", str(cfg))
    assert r.returncode == 2 and "'v0042' is not a variant of this sweep" in r.stdout + r.stderr
