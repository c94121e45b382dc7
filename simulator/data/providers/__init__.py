"""Downloads: HTTP transport, the download sources (Yahoo, FRED, Ken French) and the cache they fill."""
