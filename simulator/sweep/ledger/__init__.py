"""The overfitting ledger of a sweep: is the best variant skill or luck?

Pure functions of a returns matrix (dates x variants), one statistic a module:

- ``_deflated_sharpe``: the deflated Sharpe ratio of the best (Bailey & Lopez de Prado, 2014);
- ``_pbo``: the probability of backtest overfitting by CSCV (Bailey, Borwein, Lopez de Prado & Zhu, 2015);
- ``_spa``: Hansen's SPA test against the benchmark (arch's stationary bootstrap);
- ``_walk_forward``: choose on a training window, hold over the next, stitch;
- ``_measure``: the metric variants are ranked by, on windows and on joined blocks;
- ``_ledger``: all of them at once, with a sentence for each figure.
"""

from __future__ import annotations

from ._deflated_sharpe import DeflatedSharpe, deflated_sharpe, expected_max_sharpe, probabilistic_sharpe
from ._ledger import Ledger, overfitting_ledger, streamed_ledger
from ._measure import MEASURES
from ._pbo import PBO, pbo
from ._spa import SPAResult, default_block_size, spa
from ._walk_forward import WalkForward, Window, walk_forward

__all__ = [
    "MEASURES",
    "PBO",
    "DeflatedSharpe",
    "Ledger",
    "SPAResult",
    "WalkForward",
    "Window",
    "default_block_size",
    "deflated_sharpe",
    "expected_max_sharpe",
    "overfitting_ledger",
    "pbo",
    "probabilistic_sharpe",
    "spa",
    "streamed_ledger",
    "walk_forward",
]
