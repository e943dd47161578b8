"""The screening index kept on disk between commands, keyed by what it is built from.

Building the index (every listed name normalised, blocking keys, typo table) costs seconds of
CPU for the real lists, and every `roundabout screen` against the same published warehouse would
build the same index again. So the built index is pickled under a key that is the SHA-256 of

- the reference it is built from: the rows of the four frames (listed entities, names,
  addresses, identifiers, and the entities a 50% rule catches), as Arrow IPC bytes;
- the code and data that shape it: the source of the screening and reference packages and the
  reference data files (country names, place words), the versions of the libraries that
  normalise names (anyascii, pypinyin, rapidfuzz, numpy, polars) and of Python;
- the blocking parameters.

A new warehouse with other listings gives another key, so a stale index is never read; a new
publication with the same lists (a trade-only run) reuses it. Reading the four marts to compute
the key is cheap next to building the index.

Concurrent commands are safe: an index is written to a temporary file in the cache folder and
renamed into place (a reader sees the whole file or none); an unreadable file is rebuilt and
replaced. Older entries are removed, newest kept (:data:`KEEP`). The cache holds only what the
published warehouse holds (no counterparty data), in the home, read by the same user: pickle is
used because the index is a graph of Python objects that this process builds and reads itself.
"""

from __future__ import annotations

import gc
import hashlib
import io
import os
import pickle
import platform
import tempfile
import time
from importlib import metadata
from pathlib import Path

import polars as pl

from orchestration.screening.index import BlockingParams, ScreeningIndex
from orchestration.screening.reference import Reference

FORMAT = "roundabout-screening-index-1"
SUFFIX = ".index.pickle"
KEEP = 3
LIBRARIES = ("anyascii", "pypinyin", "rapidfuzz", "numpy", "polars")
_PACKAGE_ROOT = Path(__file__).resolve().parents[1]
# the code and data the index is made from: its own package and the reference package (the
# country resolver and the place-word lists it reads)
_CODE_DIRS = (_PACKAGE_ROOT / "screening", _PACKAGE_ROOT / "reference")
_CODE_SUFFIXES = (".py", ".csv", ".json", ".txt", ".yml", ".yaml")


def code_digest() -> str:
    """SHA-256 of the source and data files the index depends on, and the library versions."""
    digest = hashlib.sha256(FORMAT.encode())
    for folder in _CODE_DIRS:
        for path in sorted(folder.rglob("*")):
            if path.suffix in _CODE_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(_PACKAGE_ROOT)).encode())
                digest.update(path.read_bytes())
    for library in LIBRARIES:
        digest.update(f"{library}={metadata.version(library)}".encode())
    digest.update(platform.python_version().encode())
    return digest.hexdigest()


def _frame_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.rechunk().write_ipc(buffer, compression="uncompressed")
    return buffer.getvalue()


def index_key(reference: Reference, blocking: BlockingParams | None = None) -> str:
    """The cache key of the index ``reference.index(blocking)`` builds (module docstring)."""
    digest = hashlib.sha256(code_digest().encode())
    digest.update(repr(blocking or BlockingParams()).encode())
    for frame in reference.frames():
        part = _frame_bytes(frame)
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def cached_index(
    reference: Reference, folder: Path, blocking: BlockingParams | None = None
) -> ScreeningIndex:
    """The index of ``reference``: read from ``folder`` when built before from the same
    reference and code, else built and stored there."""
    key = index_key(reference, blocking)
    path = folder / f"{key}{SUFFIX}"
    index = _load(path)
    if index is not None:
        return index
    index = reference.index(blocking)
    _store(index, path)
    return index


def _load(path: Path) -> ScreeningIndex | None:
    try:
        with path.open("rb") as handle:
            # Tens of thousands of small objects: the collector would walk the growing heap
            # again and again while they are made (nothing here forms a cycle to collect).
            gc.disable()
            try:
                index = pickle.load(handle)
            finally:
                gc.enable()
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a damaged or foreign file is rebuilt, never trusted
        return None
    if not isinstance(index, ScreeningIndex):
        return None
    os.utime(path)  # most recently used: kept when older entries are removed
    return index


def _store(index: ScreeningIndex, path: Path) -> None:
    cache, index.name_cache = index.name_cache, {}
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            dir=path.parent, prefix=".tmp-", suffix=SUFFIX, delete=False
        ) as handle:
            temporary = Path(handle.name)
            pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        _prune(path.parent, keep=path)
    except OSError:
        # A cache that cannot be written (disk full, read-only home) costs time, not results.
        if temporary is not None:
            temporary.unlink(missing_ok=True)
    finally:
        index.name_cache = cache


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:  # removed meanwhile by another command
        return 0.0


def _prune(folder: Path, keep: Path) -> None:
    entries = sorted(
        (p for p in folder.glob(f"*{SUFFIX}") if p != keep and not p.name.startswith(".")),
        key=_modified,
        reverse=True,
    )
    for stale in entries[KEEP - 1 :]:
        stale.unlink(missing_ok=True)
    # the temporary file of a command killed while writing (an hour is far longer than a write)
    for left in folder.glob(f".tmp-*{SUFFIX}"):
        if 0.0 < _modified(left) < time.time() - 3600:
            left.unlink(missing_ok=True)


def index_folder(published: Path) -> Path:
    """Where the index of a published warehouse's lists is kept: ``screen/index`` beside the
    warehouse, in the home, the folder `roundabout screen` reads by default."""
    return published.parent / "screen" / "index"


def ensure_index(
    reference: Reference, folder: Path, blocking: BlockingParams | None = None
) -> tuple[str, bool]:
    """Build and store the index of ``reference`` in ``folder`` unless it is there already;
    its key and whether it was built. Run after each publication, so that the first command
    against new lists finds it (a damaged file is still rebuilt by :func:`cached_index`)."""
    key = index_key(reference, blocking)
    path = folder / f"{key}{SUFFIX}"
    if path.is_file():
        return key, False
    _store(reference.index(blocking), path)
    return key, True
