"""The results folder: writing a run's files (tables, manifest, holdings, tearsheets) and its console output.

The HTML pages drawn from a finished folder live in ``simulator.pages``.
"""
