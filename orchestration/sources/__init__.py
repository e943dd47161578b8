"""Source parsers, one module per publisher format.

Every module here that defines ``SPECS`` (a list of :class:`SourceSpec`) is a source: adding a
format means adding a module, nothing else.
"""

from __future__ import annotations

import importlib
import pkgutil

from orchestration.sources.base import SourceSpec

_NOT_SOURCES = {"base", "registry", "fetch", "downloads", "comtrade_api"}


def _collect() -> list[SourceSpec]:
    specs: list[SourceSpec] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name in _NOT_SOURCES or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        specs.extend(getattr(module, "SPECS", []))
    names = [s.name for s in specs]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise RuntimeError(f"source names defined twice: {sorted(duplicates)}")
    return specs


SPECS: list[SourceSpec] = _collect()
