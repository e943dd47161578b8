"""Source parsers: one folder per source.

A source is a folder ``orchestration/sources/<name>/`` holding ``<name>.yml`` (what is known
about the publication: title, publisher, URLs and file names, licence, cadence, inputs folder,
file patterns, raw tables, count band, GX suites, dbt staging folder, tests; see
:mod:`orchestration.sources.common.metadata`) and its parser module(s), each with a ``PARSERS``
mapping of spec name to :class:`~orchestration.sources.common.base.Parser` (the code only).
A folder without such a YAML (``common/``, shared parser code) is not a source, so adding a
source means adding a folder, nothing else.

Naming rule. The spec name is the folder name, which is also the dbt staging folder name where
the source has staging models of its own. A publication that comes in several formats feeding one
inputs folder declares each format in its YAML under a name that starts with the folder name:
``baci`` (yearly CSVs), ``baci_codes`` (code tables) and ``baci_release`` (the release zip) in
``baci/``; ``ofac_sdn`` (legacy CSVs) and ``ofac_sdn_xml`` (SDN.XML) in ``ofac_sdn/``. Raw tables
are ``raw.<spec name>__<table>``. Sanctions lists parsed into the shared four tables feed
``staging/sanctions_lists`` and say so in their YAML (``staging: sanctions_lists``).

The download catalogue (:mod:`orchestration.acquire.catalogue`) and the source table of
docs/sources/README.md (:mod:`orchestration.sources.catalogue_doc`) are generated from the same
YAML files.
"""

from __future__ import annotations

import importlib

from orchestration.sources.common.base import Parser, SourceSpec
from orchestration.sources.common.metadata import (
    SourceMetadata,
    SourceMetadataError,
    all_metadata,
)


def _parser(meta: SourceMetadata, name: str, module_name: str) -> Parser:
    module = importlib.import_module(f"{__name__}.{meta.folder}.{module_name}")
    parsers = getattr(module, "PARSERS", None)
    if not isinstance(parsers, dict) or name not in parsers:
        raise SourceMetadataError(
            f"{meta.path}: format {name!r} names parser {module_name!r}, whose module "
            f"{module.__name__} has no PARSERS[{name!r}]"
        )
    return parsers[name]


def specs_of(meta: SourceMetadata) -> list[SourceSpec]:
    """The specs of one source: its YAML's formats, each with its parser's code."""
    specs = []
    for fmt in meta.formats:
        code = _parser(meta, fmt.name, fmt.parser)
        undeclared = sorted({*code.schemas, *code.replace_on} - set(fmt.tables))
        if undeclared:
            raise SourceMetadataError(
                f"{meta.path}: the parser of {fmt.name!r} has tables {undeclared} that "
                "its YAML does not declare"
            )
        specs.append(
            SourceSpec(
                name=fmt.name,
                kind=meta.kind,
                folder=meta.inputs_folder,
                tables=fmt.tables,
                patterns=fmt.patterns,
                parse=code.parse,
                bulk_parts=code.bulk_parts,
                replace_on=code.replace_on,
                schemas=code.schemas,
                release_from_folder=meta.release_from_folder,
                title=fmt.title,
                publisher=meta.publisher,
                url=fmt.url,
                licence=meta.licence,
                cadence=fmt.cadence,
                count_bands=fmt.count_band,
                suites=fmt.suites,
                staging=fmt.staging,
                reconcile=code.reconcile,
            )
        )
    return specs


def _collect() -> list[SourceSpec]:
    specs = [spec for meta in all_metadata() for spec in specs_of(meta)]
    names = [s.name for s in specs]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise RuntimeError(f"source names defined twice: {sorted(duplicates)}")
    return specs


SPECS: list[SourceSpec] = _collect()


def source_specs(folder: str) -> list[SourceSpec]:
    """The specs of the source in ``orchestration/sources/<folder>/``."""
    meta = next((m for m in all_metadata() if m.folder == folder), None)
    if meta is None:
        raise KeyError(f"no source folder {folder!r}")
    names = {f.name for f in meta.formats}
    return [s for s in SPECS if s.name in names]
