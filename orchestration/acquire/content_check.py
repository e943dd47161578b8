"""What a downloaded body must look like before it may enter the raw archive.

A publisher that is down or moved often answers 200 with an HTML error page, and a connection
that drops can leave a file cut short: both would otherwise be archived as a new release. The
first kilobyte is checked while the body streams (``check_head``), the complete file before it is
moved into place (``check_whole``). These checks only read bytes; orchestration/acquire/fetch.py
turns a ``ContentError`` into a failed fetch that is not retried (another attempt would be served
the same body).
"""

from __future__ import annotations

import lzma
import zipfile
from pathlib import Path
from typing import Literal

ContentKind = Literal["csv", "xml", "json", "zip", "ods", "xlsx", "7z"]

SEVEN_ZIP_SIGNATURE = b"7z\xbc\xaf\x27\x1c"


class ContentError(Exception):
    """The body is not the format the source's YAML declares for the file."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _strip_prolog(head: bytes) -> bytes:
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<?xml"):
        end = text.find(b"?>")
        text = text[end + 2 :].lstrip() if end >= 0 else b""
    return text


def looks_like_html(head: bytes) -> bool:
    text = _strip_prolog(head).lower()
    return text.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


def check_head(head: bytes, content: ContentKind) -> None:
    """Reject a body whose first bytes are not the expected format; raises ContentError."""
    if not head:
        raise ContentError("empty body")
    if looks_like_html(head):
        raise ContentError(f"served an HTML page instead of {content} data")
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if content == "xml" and not text.startswith(b"<"):
        raise ContentError(f"not XML: starts with {head[:20]!r}")
    if content == "json" and not text.startswith((b"{", b"[")):
        raise ContentError(f"not JSON: starts with {head[:20]!r}")
    if content in ("zip", "ods", "xlsx") and not head.startswith(b"PK\x03\x04"):
        raise ContentError(f"not a {content} (zip) file: starts with {head[:20]!r}")
    if content == "7z" and not head.startswith(SEVEN_ZIP_SIGNATURE):
        raise ContentError(f"not a 7z archive: starts with {head[:20]!r}")
    if content == "csv" and b"\x00" in head:
        raise ContentError("not CSV text: binary bytes in the first kilobyte")


def check_7z(path: Path) -> None:
    """A 7z archive must open and every member's CRC match (py7zr decompresses to check)."""
    import py7zr

    try:
        with py7zr.SevenZipFile(path, mode="r") as archive:
            if not archive.getnames():
                raise ContentError("7z archive holds no file")
            bad = archive.testzip()
    except ContentError:
        raise
    except (py7zr.exceptions.ArchiveError, lzma.LZMAError, EOFError, OSError, ValueError) as err:
        raise ContentError(f"broken 7z archive: {type(err).__name__}: {err}") from err
    if bad is not None:
        raise ContentError(f"broken 7z archive: member {bad} fails its CRC check")


def check_whole(path: Path, content: ContentKind) -> None:
    """Checks that need the complete file: zip directory and members, XML end tag."""
    if content in ("zip", "ods", "xlsx"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                mimetype = archive.read("mimetype") if "mimetype" in names else b""
        except zipfile.BadZipFile as err:
            raise ContentError(f"broken {content} file: {err}") from err
        if content == "ods" and b"opendocument.spreadsheet" not in mimetype:
            raise ContentError("zip file is not an OpenDocument spreadsheet (mimetype member)")
        if content == "xlsx" and "xl/workbook.xml" not in names:
            raise ContentError("zip file is not an xlsx workbook (no xl/workbook.xml)")
    elif content == "7z":
        check_7z(path)
    elif content == "xml":
        with path.open("rb") as handle:
            handle.seek(max(0, path.stat().st_size - 64))
            tail = handle.read().rstrip()
        if not tail.endswith(b">"):
            raise ContentError("XML does not end with a closing tag: body incomplete")
