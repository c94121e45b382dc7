"""A small SVG chart renderer for the tearsheets: numpy in, SVG text out, no matplotlib.

- :mod:`.scale`: the axes' scales (linear, log growth, time) and their ticks and labels;
- :mod:`.figure`: one chart's SVG: title, legend, axes, grid, and the marks drawn on them;
- :mod:`.decimate`: lines thinned to the pixel columns they cover, each column's extremes kept;
- :mod:`.stats`: the box plot's, histogram's and density curve's figures;
- :mod:`.heatmap`: the monthly returns table as coloured cells;
- :mod:`.quantstats_charts`: quantstats' tearsheet charts, from quantstats' own data, drawn here.

Every plot area names its scales (``data-x``, ``data-y``: kind, domain and
pixel range), so a reader can take a drawn point back to its value.
"""

from __future__ import annotations

__all__: list[str] = []
