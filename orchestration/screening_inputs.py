"""The counterparty and shipments files an inputs directory holds for the pipeline to screen.

An inputs directory (``roundabout run --inputs DIR``, default ``data/sample``) may hold
``screening/counterparties.<csv|xlsx|parquet>`` and, with it, ``screening/shipments.<...>``.
The pipeline screens them when no file is named by the settings (``ROUNDABOUT_COUNTERPARTIES``,
``ROUNDABOUT_SHIPMENTS`` or the run configuration), which take precedence.
"""

from __future__ import annotations

import re
from pathlib import Path

FOLDER = "screening"
KINDS = ("counterparties", "shipments")
SUFFIXES = ("csv", "xlsx", "parquet")
NAME = re.compile(rf"({'|'.join(KINDS)})\.({'|'.join(SUFFIXES)})", re.IGNORECASE)


class ScreeningInputError(ValueError):
    pass


def recognises(relative: str) -> bool:
    """Whether ``relative`` (a path inside an inputs directory) is a screening input."""
    parts = relative.split("/")
    return len(parts) == 2 and parts[0] == FOLDER and NAME.fullmatch(parts[1]) is not None


def screening_file(inputs: Path, kind: str) -> Path | None:
    """The inputs directory's file of ``kind`` (counterparties or shipments), if it holds one."""
    folder = inputs / FOLDER
    if not folder.is_dir():
        return None
    found = sorted(
        p for p in folder.iterdir()
        if p.is_file() and (m := NAME.fullmatch(p.name)) and m.group(1).lower() == kind
    )  # fmt: skip
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise ScreeningInputError(
            f"{folder}: {len(found)} {kind} files ({names}); keep one, the pipeline screens one"
        )
    return found[0] if found else None
