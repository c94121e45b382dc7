"""Market data: where observations come from, how files and downloads are read, and how a run's market is built.

- ``sources/``: the ``Source`` contract and what implements it (the synthetic
  sample, a CSV folder, folder + cache + downloads), and picking one for a run;
- ``providers/``: downloads (Yahoo, FRED, Ken French over HTTP) and their cache;
- ``formats/``: parsers of the CSV layouts, shared by saved files and downloads;
- ``market/``: the series catalogue and the alignment of what a source returns
  into one ``MarketData`` on the run's trading calendar;
- ``checks.py``: quality checks run as data is loaded;
- ``calendar.py``: calendar facts (trading year, NYSE sessions, elections).
"""
