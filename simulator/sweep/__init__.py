"""Parameter sweeps: many variants of one strategy, and how far to trust the best of them.

- ``grid``, ``run``, ``chunks``, ``local``, ``dask_backend``: every variant through the engine, in
  chunks, on local processes or a Dask cluster, each chunk's results written as Parquet.
- ``ledger``: the overfitting ledger of a sweep's daily returns (deflated
  Sharpe ratio, PBO by CSCV, Hansen's SPA test, walk-forward), pure functions
  of a returns matrix.
"""
