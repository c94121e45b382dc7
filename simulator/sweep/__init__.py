"""Parameter sweeps: many variants of one strategy, and how far to trust the best of them.

- ``ledger``: the overfitting ledger of a sweep's daily returns (deflated
  Sharpe ratio, PBO by CSCV, Hansen's SPA test, walk-forward), pure functions
  of a returns matrix.
"""
