"""Turn a publisher's bytes into text, or refuse them saying what they are.

UTF-8 (with or without a byte-order mark) is read as is. Anything else is read as Windows-1252,
the usual fallback of the US and UK publishers, but only when the result is plausible: Windows-1252
maps almost every byte to some character, so a Russian list saved as Windows-1251 "decodes" into
accented Latin gibberish ("Äåíèñ") that no check downstream would notice. Such text is refused,
naming the encoding charset-normalizer (a kept detector) recognises in the bytes. UTF-16 text,
binary data and HTML pages (a portal's error page saved under the list's name) are refused with
what they are instead of failing row by row later.
"""

from __future__ import annotations

import re
from pathlib import Path

from orchestration.sources.common.base import SourceParseError

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = {b"\xff\xfe": "little-endian", b"\xfe\xff": "big-endian"}
_HTML_START = re.compile(rb"\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.IGNORECASE)
# A word of three or more letters, every one of them from the Latin-1 upper half (À-ÿ): in
# Western text such words are rare ("été" is one); in Cyrillic bytes read as Windows-1252 they are
# nearly every word.
_HIGH_LATIN_WORD = re.compile(r"(?<![^\W\d_])[À-ÖØ-öø-ÿ]{3,}(?![^\W\d_])")
# UTF-8 read as a single-byte encoding and saved again as UTF-8: "Ã©" for é, "Ð”" for Д.
_DOUBLE_UTF8 = re.compile(r"[ÂÃÐÑ][\u0080-\u00bf]")
_WORD = re.compile(r"[^\W\d_]{3,}")
_SAMPLE = 1 << 16


def decode_text(raw: bytes, path: Path | str) -> str:
    """The text of ``raw``; :class:`SourceParseError` naming ``path`` (and the line, where one
    tells) when the bytes are not text of a list or table."""
    _refuse_non_text(raw, path)
    if raw.startswith(_UTF8_BOM):
        raw = raw[len(_UTF8_BOM) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = _windows_1252(raw, path)
    else:
        _refuse_double_encoded(text, path)
    return text


def _refuse_non_text(raw: bytes, path: Path | str) -> None:
    if not raw:
        raise SourceParseError(path, None, "empty file (0 bytes): the download or copy failed")
    for bom, order in _UTF16_BOMS.items():
        if raw.startswith(bom):
            raise SourceParseError(
                path, 1, f"UTF-16 text ({order}, byte-order mark), not UTF-8: save it as UTF-8"
            )
    head = raw[:_SAMPLE]
    zeros = head.count(0)
    if zeros:
        # UTF-16 without a mark: every other byte of ASCII text is zero.
        if zeros * 3 >= len(head) and (
            head[1::2].count(0) > len(head) // 3 or head[0::2].count(0) > len(head) // 3
        ):
            order = "little-endian" if head[1::2].count(0) > head[0::2].count(0) else "big-endian"
            raise SourceParseError(path, 1, f"UTF-16 text ({order}), not UTF-8: save it as UTF-8")
        line = raw[: raw.index(0)].count(b"\n") + 1
        raise SourceParseError(path, line, "binary data (a zero byte), not text")
    if _HTML_START.match(head):
        title = re.search(rb"<title[^>]*>(.*?)</title>", head, re.IGNORECASE | re.DOTALL)
        said = (
            f" titled {title.group(1).decode('utf-8', 'replace').strip()[:80]!r}" if title else ""
        )
        raise SourceParseError(
            path, 1, f"an HTML page{said}, not the list: the download returned a web page"
        )


def _windows_1252(raw: bytes, path: Path | str) -> str:
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise SourceParseError(
            path, line, f"not UTF-8 nor Windows-1252 text ({err.reason}){_likely(raw)}"
        ) from err
    words = len(_HIGH_LATIN_WORD.findall(text))
    # Western text has next to none of them (three accented letters in a row); one in a hundred
    # words is already a list of names in another script read in the wrong code page.
    if words >= 3 and words * 100 >= len(_WORD.findall(text)):
        first = _HIGH_LATIN_WORD.search(text)
        line = text[: first.start()].count("\n") + 1
        raise SourceParseError(
            path,
            line,
            f"not UTF-8, and read as Windows-1252 it gives gibberish such as {first.group()!r}"
            f"{_likely(raw)}: save the file as UTF-8",
        )
    return text


def _refuse_double_encoded(text: str, path: Path | str) -> None:
    head = text[: _SAMPLE * 4]
    hits = _DOUBLE_UTF8.findall(head)
    # A few such pairs occur in real files (BACI's country names have "CÃ´te d'Ivoire"); a
    # file encoded twice has them in most non-ASCII words.
    if len(hits) >= 3 and len(hits) * 50 >= len(_WORD.findall(head)):
        first = _DOUBLE_UTF8.search(text)
        line = text[: first.start()].count("\n") + 1
        sample = text[first.start() : first.start() + 12]
        raise SourceParseError(
            path,
            line,
            f"UTF-8 text encoded twice (gibberish such as {sample!r}): the file was read in a "
            "single-byte encoding and saved again",
        )


def _likely(raw: bytes) -> str:
    """What charset-normalizer makes of the bytes, as a clause of the message."""
    from charset_normalizer import from_bytes

    # Only the runs of non-ASCII bytes: in a list of mostly Latin names the ASCII around them
    # would make every single-byte code page look equally likely.
    best = from_bytes(b" ".join(re.findall(rb"[\x80-\xff]{2,}", raw)[:3000])).best()
    if best is None:
        return ""
    language = f", {best.language}" if best.language and best.language != "Unknown" else ""
    return f"; the bytes look like {best.encoding}{language}"
