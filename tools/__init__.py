"""Tools kept beside the runtime package and not shipped with it: synthetic-data generators,
the screening evaluation, the builders of the bundled samples and of the reference seeds.

Run them from the repository root, e.g. ``uv run python -m tools.eval.evaluate``.
"""
