"""The CSV layouts prices and series come in, read the same way from saved files and downloads.

``parsers`` knows the layouts (Yahoo prices, FRED series, Ken French tables);
``csv_table`` reads a table out of a file's text, with the line of every row.
"""
