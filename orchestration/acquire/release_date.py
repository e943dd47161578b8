"""The release a fetched file belongs to, and the latest release already archived.

The release is the date the publication states: a generation date inside the file where its
format has one (the UN and EU lists, OFAC's XML), else the server's Last-Modified, else the day it
was fetched. A date after the fetch (a wrong server clock) is not believed.
"""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

_RELEASE_DIR = re.compile(r"\d{4}-\d{2}-\d{2}")


def latest_release(source_dir: Path, file_name: str) -> Path | None:
    """The file in the most recent release folder that holds ``file_name``."""
    if not source_dir.is_dir():
        return None
    releases = sorted(
        (p for p in source_dir.iterdir() if p.is_dir() and _RELEASE_DIR.fullmatch(p.name)),
        reverse=True,
    )
    return next((r / file_name for r in releases if (r / file_name).is_file()), None)


# Where a format states when it was generated, in its first kilobytes.
_STATED_DATES = (
    # UN consolidated list: <CONSOLIDATED_LIST dateGenerated="2026-11-19T23:00:04Z">
    # EU financial sanctions file: <export generationDate="2026-11-19T18:06:21.393+01:00">
    re.compile(rb'\b(?:dateGenerated|generationDate)="(\d{4})-(\d{2})-(\d{2})'),
)
# OFAC's XML: <Publish_Date>11/19/2026</Publish_Date> (month first)
_OFAC_DATE = re.compile(rb"<Publish_Date>(\d{2})/(\d{2})/(\d{4})</Publish_Date>")
_STATED_HEAD = 8192


def stated_release(path: Path, last_modified: str | None) -> tuple[date, str] | None:
    """The release date the publication states, and where: a generation date in the file, else
    the Last-Modified header; None when neither gives one."""
    with path.open("rb") as handle:
        head = handle.read(_STATED_HEAD)
    for pattern in _STATED_DATES:
        if match := pattern.search(head):
            with contextlib.suppress(ValueError):
                return date(*(int(g) for g in match.groups())), "stated in the file"
    if match := _OFAC_DATE.search(head):
        month, day, year = (int(g) for g in match.groups())
        with contextlib.suppress(ValueError):
            return date(year, month, day), "stated in the file"
    if last_modified:
        with contextlib.suppress(TypeError, ValueError):
            when = parsedate_to_datetime(last_modified)
            when = when if when.tzinfo else when.replace(tzinfo=UTC)
            return when.astimezone(UTC).date(), "Last-Modified"
    return None


def release_of(path: Path, last_modified: str | None, retrieved_at: datetime) -> tuple[date, str]:
    """The release folder's date: the stated one, unless it lies after the fetch (a wrong
    server clock), else the day of the fetch."""
    stated = stated_release(path, last_modified)
    fetched = retrieved_at.astimezone(UTC).date()
    if stated and stated[0] <= fetched:
        return stated
    return fetched, "day fetched"
