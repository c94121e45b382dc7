"""Parsers of the CSV layouts prices and series come in, for saved files and downloads alike."""
