"""The pipeline: the one room that reads the config.

``plan`` checks a loaded config against the installed strategies and the
data, and turns it into a ``RunPlan``; ``execute`` runs the plan (data ->
strategies -> engine -> results folder -> pages). Below this room, data,
strategies, engine and reports take plain values: nothing there sees the
config (``tests/test_architecture.py`` holds every module to it).

- ``plan``: config -> ``RunPlan`` (every user error found at once, before anything runs)
- ``execute``: ``RunPlan`` -> results folder
- ``config_source``: the data source a config's ``data`` section asks for
- ``lookahead_check``: the look-ahead check of a run, its findings at the config's lines

Nothing is imported here, so ``import simulator.pipeline.plan`` stays light.
"""
