"""Which files in an inputs directory belong to which source.

An inputs directory is laid out like ``<kind>/<source>/[<release YYYY-MM-DD>/]<publisher's file
names>``. Every file is either claimed by exactly one source spec or reported as skipped with a
reason: nothing is ignored silently. The folder ``screening/`` holds the counterparty and shipments
files the pipeline screens (:mod:`orchestration.screening_inputs`), not a source's.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from orchestration import screening_inputs
from orchestration.sources.common.base import SourceFile, SourceSpec

_DATE_DIR = re.compile(r"\d{4}-\d{2}-\d{2}")
# Files that document a folder, or that the fetcher keeps beside what it downloads.
_DOC_FILES = re.compile(
    r"(PROVENANCE|README|SYNTHETIC)(\.md|\.txt)?|\.gitkeep|\.DS_Store|.*\.meta\.json|\.fetch-state\.json",
    re.IGNORECASE,
)


SCREENING_SKIP = (
    "not a screening input (screening/counterparties.csv, .xlsx or .parquet; "
    "screening/shipments.csv, .xlsx or .parquet)"
)


def all_specs() -> list[SourceSpec]:
    from orchestration.sources import SPECS

    return list(SPECS)


@dataclass
class Discovery:
    root: Path
    files: dict[str, list[SourceFile]] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def for_source(self, name: str) -> list[SourceFile]:
        return self.files.get(name, [])


def _release(parts: list[str]) -> date | None:
    for part in parts:
        if _DATE_DIR.fullmatch(part):
            try:
                return date.fromisoformat(part)
            except ValueError:
                return None
    return None


def _unclaimed_reason(candidates: list[SourceSpec], parts: list[str]) -> str:
    """Why no spec claims the file: its name, or only the folder it sits in."""
    dated = f"2000-01-01/{parts[-1]}"
    if _release(parts[2:-1]) is None and any(s.recognises(dated) for s in candidates):
        return "expected a YYYY-MM-DD release folder"
    return f"not a file name {parts[1]} recognises"


def _files(root: Path) -> list[Path]:
    """Every file below ``root``, through symbolic links to folders too: analysts often link a
    data folder into an inputs directory, and ``Path.rglob`` (Python 3.11) would not enter it,
    so its files would be neither read nor reported. A link back to a folder already walked is
    not walked again (no loops); paths keep the names as seen from ``root``."""
    found: list[Path] = []
    seen: set[str] = set()
    for folder, dirs, names in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        found.extend(Path(folder) / name for name in names if (Path(folder) / name).is_file())
    return sorted(found)


def discover(root: Path, specs: list[SourceSpec] | None = None) -> Discovery:
    specs = all_specs() if specs is None else specs
    by_folder: dict[tuple[str, str], list[SourceSpec]] = {}
    for spec in specs:
        by_folder.setdefault((spec.kind, spec.folder or spec.name), []).append(spec)
    found = Discovery(root=root)
    for path in _files(root):
        rel = path.relative_to(root).as_posix()
        if _DOC_FILES.fullmatch(path.name):
            continue
        parts = rel.split("/")
        if parts[0] == screening_inputs.FOLDER:
            # Read by the screening step, not by a source parser.
            if not screening_inputs.recognises(rel):
                found.skipped.append((rel, SCREENING_SKIP))
            continue
        candidates = by_folder.get((parts[0], parts[1]), []) if len(parts) >= 3 else []
        if not candidates:
            found.skipped.append((rel, "no source reads this folder"))
            continue
        inner = "/".join(parts[2:])
        spec = next((s for s in candidates if s.recognises(inner)), None)
        reason = _unclaimed_reason(candidates, parts) if spec is None else None
        release = _release(parts[2:-1])
        if spec is not None and spec.release_from_folder and release is None:
            reason = "expected a YYYY-MM-DD release folder"
        if reason:
            found.skipped.append((rel, reason))
            continue
        sf = SourceFile(path=path, source=spec.name, release_date=release, relative_path=rel)
        found.files.setdefault(spec.name, []).append(sf)
    return found
