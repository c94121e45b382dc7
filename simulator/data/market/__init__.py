"""A run's market: the macro series catalogue, and aligning raw observations onto one trading calendar.

Nothing is re-exported here: ``alignment`` imports the plugin contract, which
imports the catalogue, so importing it from this ``__init__`` would be a cycle.
"""
