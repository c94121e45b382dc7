"""Results folders written by hand, with only what a comparison reads, for tests of the page and `rotsim compare`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["MARKUP_LABELS", "fake_run", "markup_page"]

# labels a user could type that are also markup: each must show as written, nowhere as markup
MARKUP_LABELS = ("<b>x</b>", "</script><script>window.injected = 1</script>", "<!--<script> & \"q\" 'a'")


def fake_run(
    folder: Path,
    dates: pd.DatetimeIndex,
    bench: tuple[str, str] = ("Bench", "B"),
    returns: Mapping[str, Any] | None = None,
    hindsight: Mapping[str, str] | None = None,
    manifest: Mapping[str, Any] | None = None,
    risk_free: pd.Series | None = None,
) -> Path:
    """A results folder: manifest.json and returns.csv (and risk_free.csv when given).

    ``returns`` maps each strategy's label to its daily returns (default: one
    strategy "A" of random returns); the benchmark's are random unless given
    under its label. ``hindsight`` maps labels to their manifest note;
    ``manifest`` adds or replaces top-level manifest keys.
    """
    folder.mkdir(parents=True)
    rng = np.random.default_rng(1)
    data = dict(returns) if returns is not None else {"A": rng.normal(0, 0.01, len(dates))}
    data.setdefault(bench[0], rng.normal(0, 0.01, len(dates)))
    frame = pd.DataFrame(data, index=dates).rename_axis("date")
    frame[[*[c for c in frame.columns if c != bench[0]], bench[0]]].to_csv(folder / "returns.csv")
    hindsight = hindsight or {}
    content = {
        "rotsim_run": folder.name,
        "benchmark": {"label": bench[0], "ticker": bench[1]},
        "strategies": [{"label": k, "hindsight": hindsight.get(k)} for k in data if k != bench[0]],
        **(manifest or {}),
    }
    (folder / "manifest.json").write_text(json.dumps(content))
    if risk_free is not None:
        risk_free.rename("risk_free").rename_axis("date").to_csv(folder / "risk_free.csv")
    return folder


def markup_page(tmp: Path) -> Path:
    """``rotsim compare``'s page of two runs whose strategies, benchmark, run names, descriptions,
    tags and hindsight note are all markup; returns the page."""
    from simulator.pages.write import write_comparison

    dates = pd.bdate_range("2001-01-01", periods=300)
    rng = np.random.default_rng(5)
    folders = []
    for i, name in enumerate(("<i>run</i>", "run & co")):
        returns = {label: rng.normal(0.0003 * i, 0.01, len(dates)) for label in MARKUP_LABELS}
        returns["<u>Bench</u>"] = rng.normal(0.0002, 0.01, len(dates))
        folders.append(
            fake_run(
                tmp / f"r{i}",
                dates,
                bench=("<u>Bench</u>", "B"),
                returns=returns,
                hindsight={MARKUP_LABELS[0]: "<script>window.injected = 2</script>"},
                manifest={"rotsim_run": name, "config": {"description": "<i>desc</i> & more"}},
            )
        )
    out = tmp / "cmp"
    out.mkdir()
    write_comparison(out, folders, ["<em>one</em>", "two"], quantstats=False)
    return out / "index.html"
