"""Matching query entities against the published warehouse with the screening engine.

The engine is used through its public entry points only: :func:`load_reference` (read-only),
``Reference.index()``, :func:`screen` on a counterparty frame, and ``ScoreParams`` for the
review threshold. A query entity becomes counterparty rows exactly as a file's rows do (the same
reader, :func:`validate_rows`, with the same country resolver), one row per name, so the API and
``roundabout screen`` score a name the same way.

FollowTheMoney properties read (others are ignored; docs/screening.md has the table):

- names: ``name``, ``alias``, ``previousName``, ``weakAlias``, each screened; a person without
  one gets ``firstName``, ``middleName``/``fatherName`` and ``lastName`` joined;
- country: the first of ``country``, ``jurisdiction``, ``mainCountry``, ``registrationCountry``,
  ``nationality``, ``citizenship`` that resolves (the engine compares one country);
- ``address`` (the first); ``birthDate``, ``incorporationDate``;
- identifiers: ``innCode``, ``ogrnCode``, ``taxNumber``, ``registrationNumber``, ``leiCode``,
  ``imoNumber``, ``swiftBic``.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from orchestration.screening import DEFAULT_PARAMS, load_reference, screen
from orchestration.screening.counterparties import validate_rows
from orchestration.screening.identifiers import canonical_type
from orchestration.serve.models import (
    DatasetInfo,
    EntityExample,
    EntityMatches,
    FeatureResult,
    ScoredEntity,
    TotalSpec,
)

DEFAULT_DATASET = "default"

# FollowTheMoney schema -> counterparty type (None: any kind of listing).
SCHEMATA: dict[str, str | None] = {
    "Thing": None,
    "LegalEntity": None,
    "Organization": "organization",
    "Company": "organization",
    "PublicBody": "organization",
    "Person": "person",
    "Vessel": "vessel",
    "Airplane": "aircraft",
}
# Listing schema -> FollowTheMoney schema of a result.
FTM_SCHEMA = {
    "organization": "Organization",
    "person": "Person",
    "vessel": "Vessel",
    "aircraft": "Airplane",
}
NAME_PROPS = ("name", "alias", "previousName", "weakAlias")
COUNTRY_PROPS = ("country", "jurisdiction", "mainCountry", "registrationCountry", "nationality",
                 "citizenship")  # fmt: skip
ID_PROPS = {
    "innCode": "inn",
    "ogrnCode": "ogrn",
    "taxNumber": "tax_id",
    "registrationNumber": "registration_number",
    "leiCode": "lei",
    "imoNumber": "imo",
    "swiftBic": "bic",
}
# Canonical identifier type of a listing -> FollowTheMoney property of a result.
ID_RESULT_PROPS = {
    "tax_id": "taxNumber",
    "registration_number": "registrationNumber",
    "lei": "leiCode",
    "imo": "imoNumber",
    "bic": "swiftBic",
}
NAME_KIND_PROPS = {
    "primary": "name",
    "alias": "alias",
    "original_script": "alias",
    "weak_alias": "weakAlias",
    "former": "previousName",
}


class QueryError(ValueError):
    """A query entity that cannot be matched (unknown schema, no name)."""


@dataclass(frozen=True)
class Listed:
    dataset: str
    caption: str
    schema: str
    properties: dict[str, list[str]]


def _values(properties: dict, prop: str) -> list[str]:
    value = properties.get(prop)
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in values if v is not None and str(v).strip()]


class Matcher:
    """The published warehouse's listed entities, indexed once, and the query translation."""

    def __init__(self, warehouse: Path):
        self.warehouse = warehouse
        reference = load_reference(warehouse)
        self.index = reference.index()
        self.listed = _listed(reference)
        self.loaded_at = datetime.now(UTC).isoformat(timespec="seconds")
        counts = reference.entities.group_by("list").len().sort("list")
        self.datasets = [DatasetInfo(name=n, entities=c) for n, c in counts.iter_rows()]
        self.names = {d.name for d in self.datasets}

    def has_dataset(self, dataset: str) -> bool:
        return dataset == DEFAULT_DATASET or dataset in self.names

    def match(
        self,
        example: EntityExample,
        dataset: str = DEFAULT_DATASET,
        threshold: float = DEFAULT_PARAMS.review,
        cutoff: float | None = None,
        limit: int = 5,
        exclude_datasets: tuple[str, ...] = (),
    ) -> EntityMatches:
        """Scored candidates for one query entity, best first: those at or above ``cutoff``
        (default: ``threshold``), at most ``limit``; ``total`` counts them before the limit."""
        kind = _schema_type(example.schema_)
        headers, rows = _counterparty_rows(example, kind)
        if not rows:
            raise QueryError("the query entity has no name (properties name, alias, firstName ...)")
        frame = validate_rows("<query>", headers, rows)
        issues = sorted(
            {issue for text in frame["input_issues"] if text for issue in text.split("; ")}
        )
        floor = min(cutoff if cutoff is not None else threshold, threshold)
        params = dataclasses.replace(DEFAULT_PARAMS, review=min(floor, DEFAULT_PARAMS.review))
        found = screen(frame, self.index, params)
        best: dict[str, tuple] = {}
        for row in found.iter_rows(named=True):
            key = row["entity_key"]
            if row["score"] < floor or row["list"] in exclude_datasets:
                continue
            if dataset != DEFAULT_DATASET and row["list"] != dataset:
                continue
            if key not in best or row["score"] > best[key]["score"]:
                best[key] = row
        ranked = sorted(best.values(), key=lambda r: (-r["score"], r["entity_key"]))
        results = [self._result(row, threshold) for row in ranked[:limit]]
        parsed = EntityExample(
            id=example.id, schema=example.schema_, properties=_parsed(example, frame)
        )
        return EntityMatches(
            results=results,
            total=TotalSpec(value=len(ranked)),
            query=parsed,
            input_issues=issues,
        )

    def _result(self, row: dict, threshold: float) -> ScoredEntity:
        listed = self.listed[row["entity_key"]]
        evidence = json.loads(row["features"])
        features, explanations = _explain(evidence)
        score = row["score"]
        decision = (
            "alert" if score >= DEFAULT_PARAMS.alert
            else "review" if score >= DEFAULT_PARAMS.review
            else None
        )  # fmt: skip
        return ScoredEntity(
            id=row["entity_key"],
            caption=listed.caption,
            schema=listed.schema,
            properties=listed.properties,
            datasets=[listed.dataset],
            referents=[],
            target=True,
            score=score,
            match=score >= threshold,
            decision=decision,
            features=features,
            explanations=explanations,
            evidence=evidence,
        )


def _schema_type(schema: str) -> str | None:
    if schema not in SCHEMATA:
        raise QueryError(
            f"schema {schema!r} is not one this service matches ({', '.join(SCHEMATA)})"
        )
    return SCHEMATA[schema]


def _counterparty_rows(example: EntityExample, kind: str | None):
    props = example.properties
    names: list[str] = []
    for prop in NAME_PROPS:
        names += [n for n in _values(props, prop) if n not in names]
    if not names:
        parts = [" ".join(_values(props, p)) for p in
                 ("firstName", "middleName", "fatherName", "lastName")]  # fmt: skip
        joined = " ".join(p for p in parts if p)
        names = [joined] if joined else []
    countries = [c for p in COUNTRY_PROPS for c in _values(props, p)]
    headers = ["name", "type", "country", "address", "birth_date", "incorporation_date",
               *ID_PROPS.values()]  # fmt: skip
    fixed = [
        kind or "",
        countries[0] if countries else "",
        next(iter(_values(props, "address")), ""),
        next(iter(_values(props, "birthDate")), ""),
        next(iter(_values(props, "incorporationDate")), ""),
        *(next(iter(_values(props, p)), "") for p in ID_PROPS),
    ]
    rows = [(i, [name, *fixed]) for i, name in enumerate(names, start=1)]
    if len(countries) > 1 and rows:
        # The engine compares one country: the first that resolves.
        from orchestration.reference.countries import resolve_country

        first = next((c for c in countries if resolve_country(c)), countries[0])
        rows = [(i, [r[0], r[1], first, *r[3:]]) for i, r in rows]
    return headers, rows


def _parsed(example: EntityExample, frame: pl.DataFrame) -> dict[str, list]:
    """The query's properties as lists, countries as lower-case ISO2 (as yente echoes them)."""
    parsed: dict[str, list] = {}
    for prop, value in example.properties.items():
        values = value if isinstance(value, list) else [value]
        parsed[prop] = [str(v) for v in values if v is not None]
    country = frame["country"][0] if frame.height else None
    for prop in COUNTRY_PROPS:
        if prop in parsed and country:
            parsed[prop] = [country.lower()]
            break
    return parsed


def _explain(evidence: dict) -> tuple[dict[str, float], dict[str, FeatureResult]]:
    """Numeric features and their explanations from the engine's evidence."""
    features: dict[str, float] = {"name_similarity": float(evidence.get("name_score", 0.0))}
    explanations = {
        "name_similarity": FeatureResult(
            score=features["name_similarity"],
            detail=f"matched {evidence.get('matched_name')!r} ({evidence.get('name_kind')})",
        )
    }
    if evidence.get("country_agreement") is not None:
        agrees = bool(evidence["country_agreement"])
        features["country_agreement"] = 1.0 if agrees else 0.0
        explanations["country_agreement"] = FeatureResult(
            score=features["country_agreement"],
            detail=f"query {evidence.get('query_country')} vs listed "
            f"{', '.join(evidence.get('listed_countries') or []) or '-'}",
        )
    if evidence.get("identifier_match"):
        features["identifier_match"] = 1.0
        explanations["identifier_match"] = FeatureResult(
            score=1.0, detail=f"same {', '.join(evidence['identifier_match'])}"
        )
    for name, value in (evidence.get("adjustments") or {}).items():
        features[name] = float(value)
        explanations[name] = FeatureResult(score=float(value), detail="adjustment to the score")
    return features, explanations


def _listed(reference) -> dict[str, Listed]:
    entities, names, addresses, identifiers = reference.frames()
    props: dict[str, dict[str, list[str]]] = {}
    for row in entities.iter_rows(named=True):
        programs = row["programs"]
        if isinstance(programs, str):
            programs = [p for p in programs.split(";") if p]
        entry: dict[str, list[str]] = {"name": [row["primary_name"]]}
        if programs:
            entry["program"] = list(programs)
        if row["listed_on"]:
            entry["createdAt"] = [str(row["listed_on"])]
        props[row["entity_key"]] = entry

    def add(key: str, prop: str, value) -> None:
        if value is None or not str(value).strip() or key not in props:
            return
        values = props[key].setdefault(prop, [])
        if str(value) not in values:
            values.append(str(value))

    for key, name, kind in names.select("entity_key", "name", "name_kind").iter_rows():
        add(key, NAME_KIND_PROPS.get(kind, "alias"), name)
    for key, address, country in addresses.select(
        "entity_key", "full_address", "country_iso2"
    ).iter_rows():
        add(key, "address", address)
        add(key, "country", country.lower() if country else None)
    for key, id_type, value in identifiers.select("entity_key", "id_type", "id_value").iter_rows():
        add(key, ID_RESULT_PROPS.get(canonical_type(str(id_type)), "idNumber"), value)
    return {
        row["entity_key"]: Listed(
            dataset=row["list"],
            caption=row["primary_name"],
            schema=FTM_SCHEMA.get(row["schema"], "LegalEntity"),
            properties=props[row["entity_key"]],
        )
        for row in entities.iter_rows(named=True)
    }
