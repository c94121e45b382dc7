"""Parameter sweeps: every variant of a strategy through the engine, in chunks, on local processes or Dask."""
