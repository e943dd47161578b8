"""OFAC non-SDN Consolidated Sanctions List (``consolidated.xml``).

The file has the same ``sdnList/sdnEntry`` structure as SDN.XML, so the SDN XML parser reads it;
only the list name differs.
"""

from __future__ import annotations

from orchestration.sources.common.base import ParsedFile, Parser, SourceFile
from orchestration.sources.common.sanctions import LIST_SCHEMAS
from orchestration.sources.ofac_sdn.parse_xml import parse_sdn_list


def parse_consolidated(file: SourceFile) -> ParsedFile:
    return parse_sdn_list(file, "ofac_cons")


# The YAML beside this module (ofac_cons.yml) says which files and tables it reads.
PARSERS = {"ofac_cons": Parser(parse=parse_consolidated, schemas=LIST_SCHEMAS)}
