"""Where a run's observations come from: the ``Source`` contract, its implementations, and picking one.

- ``protocol``: ``Source``, what every source provides;
- ``sample``: the synthetic market; ``csv_folder``: a folder of CSV files;
  ``auto``: folder, cache and downloads, composed of ``routing``,
  ``freshness``, ``cached``, ``incremental``, ``prefetch`` and ``warning_log``;
- ``pick``: the source a run reads, from the config's ``data`` section and the command line.
"""

from .pick import DataAccess, open_source
from .protocol import Source

__all__ = ["DataAccess", "Source", "open_source"]
