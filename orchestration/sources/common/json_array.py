"""Publishers' JSON read record by record with each record's line, which the json module does
not give."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from orchestration.sources.common.base import SourceParseError

_WS = re.compile(r"[ \t\r\n]*")


def iter_json_array(text: str, path: str, key: str | None) -> Iterator[tuple[int, object]]:
    """Yield ``(line, item)`` for the array at top-level ``key`` (or the top-level array when the
    document is one, or ``key`` is None).

    The standard json module gives no positions, and lineage needs each record's line: this walks
    the top level with ``raw_decode`` and counts newlines, decoding each item with json itself.
    """
    decoder = json.JSONDecoder()
    pos = _WS.match(text, 0).end()
    try:
        if text.startswith("{", pos) and key is not None:
            pos = _seek_key(text, pos, key, decoder, path)
        if not text.startswith("[", pos):
            raise SourceParseError(path, _line(text, pos), f"expected a JSON array for {key!r}")
        pos = _WS.match(text, pos + 1).end()
        line, counted = 1, 0
        if text.startswith("]", pos):
            return
        while True:
            line += text.count("\n", counted, pos)
            counted = pos
            item, pos = decoder.raw_decode(text, pos)
            yield line, item
            pos = _WS.match(text, pos).end()
            if text.startswith("]", pos):
                return
            if not text.startswith(",", pos):
                raise SourceParseError(path, _line(text, pos), "expected ',' or ']' in the array")
            pos = _WS.match(text, pos + 1).end()
    except json.JSONDecodeError as err:
        raise SourceParseError(path, err.lineno, f"malformed JSON: {err.msg}") from err


def _seek_key(text: str, pos: int, key: str, decoder: json.JSONDecoder, path: str) -> int:
    """Position of the value of top-level ``key`` in the object starting at ``pos``."""
    pos = _WS.match(text, pos + 1).end()
    while not text.startswith("}", pos):
        name, pos = decoder.raw_decode(text, pos)
        pos = _WS.match(text, pos).end()
        if not text.startswith(":", pos):
            raise SourceParseError(path, _line(text, pos), "expected ':' after an object key")
        pos = _WS.match(text, pos + 1).end()
        if name == key:
            return pos
        _, pos = decoder.raw_decode(text, pos)
        pos = _WS.match(text, pos).end()
        if text.startswith(",", pos):
            pos = _WS.match(text, pos + 1).end()
    raise SourceParseError(path, _line(text, pos), f"no top-level {key!r} array")


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def to_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
