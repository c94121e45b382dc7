"""The pages wing: HTML pages drawn from finished results folders (a run's index.html, ``rotsim compare``).

- ``comparison``: read results folders back and line them up (``Run``, ``Comparison``);
- ``charts`` and ``tables``: the page's plotly figures and HTML tables;
- ``html_page``: the self-contained HTML document;
- ``write``: write a run's page or a comparison (with its QuantStats report);
- ``study``, ``sweep``: a study's page, a sweep's page with its overfitting ledger.
"""
