"""Publishers' XML read safely and with line numbers: declared encodings trusted, no entity
expansion, DTD loading or network access, and a DOCTYPE that could start an attack refused."""

from __future__ import annotations

import json
import re

from lxml import etree

from orchestration.sources.common.base import SourceFile, SourceParseError, decode_text
from orchestration.sources.common.sanctions import clean

_XML_ENCODING = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*\bencoding\s*=\s*[\"']([^\"']+)")


def _xml_bytes(raw: bytes, path: str) -> bytes:
    """Bytes lxml can read: a declared encoding is trusted; otherwise UTF-8 (BOM or not) or
    Windows-1252, re-encoded as UTF-8 (line numbers do not move)."""
    if _XML_ENCODING.match(raw):
        return raw
    return decode_text(raw, path).encode("utf-8")


def load_xml(file: SourceFile) -> etree._Element:
    """Parse an XML file without entity expansion, DTD loading or network access.

    A DOCTYPE that declares entities or points at an external DTD is refused outright: publishers'
    lists never need one, and it is how XXE and entity-expansion ("billion laughs") attacks start.
    Namespaces are dropped from tag names: publishers change them between versions (OFAC moved
    from tempuri.org to its list service) while the element names stay.
    """
    raw = file.path.read_bytes()
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(_xml_bytes(raw, file.relative_path), parser)
    except etree.XMLSyntaxError as err:
        raise SourceParseError(file.relative_path, err.lineno, f"malformed XML: {err.msg}") from err
    _refuse_doctype(root, raw, file.relative_path)
    for el in root.iter():
        if isinstance(el.tag, str):
            el.tag = etree.QName(el).localname
    return root


def _refuse_doctype(root: etree._Element, raw: bytes, path: str) -> None:
    docinfo = root.getroottree().docinfo
    dtd = docinfo.internalDTD
    entities = [e.name for e in dtd.iterentities()] if dtd is not None else []
    if not entities and not docinfo.system_url:
        return
    start = raw.find(b"<!DOCTYPE")
    line = raw[:start].count(b"\n") + 1 if start >= 0 else 1
    what = (
        f"declares entities ({', '.join(entities)})" if entities else "references an external DTD"
    )
    raise SourceParseError(path, line, f"refused: the DOCTYPE {what}; lists never need one")


def child_text(el: etree._Element, tag: str) -> str | None:
    return clean(el.findtext(tag))


def xml_to_json(el: etree._Element) -> str:
    """The element as JSON text: attributes as ``@name``, repeated children as lists."""
    return json.dumps(_xml_value(el), ensure_ascii=False)


def _xml_value(el: etree._Element) -> object:
    children = [c for c in el if isinstance(c.tag, str)]
    text = el.text.strip() if el.text and el.text.strip() else None
    if not children and not el.attrib:
        return text
    value: dict[str, object] = {f"@{k}": v for k, v in el.attrib.items()}
    grouped: dict[str, list[object]] = {}
    for child in children:
        grouped.setdefault(child.tag, []).append(_xml_value(child))
    # A tag that repeats becomes a list; a single occurrence stays a plain value.
    value.update({tag: items if len(items) > 1 else items[0] for tag, items in grouped.items()})
    if text is not None:
        value["#text"] = text
    return value


def element_text(el: etree._Element) -> str:
    return etree.tostring(el, encoding="unicode", with_tail=False)
