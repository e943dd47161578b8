"""Request and response bodies of the matching API, in the shape of yente's ``/match/{dataset}``
(OpenSanctions' matching service): FollowTheMoney-style query entities in, scored candidates out.

Kept to yente's field names so that a client written for yente reads these responses: per query
``status``, ``results``, ``total`` (``value``, ``relation``) and the parsed ``query``; per result
``id``, ``caption``, ``schema``, ``properties``, ``datasets``, ``referents``, ``target``,
``score``, ``match`` and ``features``/``explanations``. Fields yente does not have are added,
never renamed: ``decision`` (this engine's alert or review) and ``evidence`` (its full evidence).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

QUERY_EXAMPLE = {
    "schema": "Company",
    "properties": {"name": ["Kriogenmash OAO"], "country": ["Russia"]},
}


class EntityExample(BaseModel):
    """A query entity: a FollowTheMoney schema and properties (a value or a list of values)."""

    model_config = ConfigDict(populate_by_name=True)

    id: str | None = Field(None, examples=["my-entity-id"])
    schema_: str = Field(..., alias="schema", examples=["Company"])
    properties: dict[str, str | int | float | list[Any]] = Field(
        ..., examples=[{"name": ["Kriogenmash OAO"], "country": ["ru"]}]
    )


class EntityMatchQuery(BaseModel):
    """A batch of query entities, keyed by names the client chooses."""

    queries: dict[str, EntityExample] = Field(..., examples=[{"q1": QUERY_EXAMPLE}])
    # Accepted for yente compatibility; this engine's weights are fixed and documented.
    weights: dict[str, float] = Field(default_factory=dict)
    config: dict[str, Any] = Field(default_factory=dict)


class TotalSpec(BaseModel):
    value: int = Field(..., examples=[1])
    relation: str = Field("eq", examples=["eq"])


class FeatureResult(BaseModel):
    """One piece of evidence: its value (a similarity, or the adjustment it made to the score)
    and what it rests on, in words."""

    score: float
    detail: str | None = None


class ScoredEntity(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str = Field(..., examples=["ofac_sdn:12345"])
    caption: str = Field(..., examples=["KRIOGENMASH OAO"])
    schema_: str = Field(..., alias="schema", examples=["Company"])
    properties: dict[str, list[str]]
    datasets: list[str] = Field(default_factory=list, examples=[["ofac_sdn"]])
    referents: list[str] = Field(default_factory=list)
    target: bool = True
    score: float = Field(..., examples=[0.97])
    match: bool = Field(..., description="Whether the score is at or above the threshold.")
    decision: str | None = Field(
        None, description="alert (>= the engine's alert threshold), review, or null below review"
    )
    features: dict[str, float] = Field(
        ..., description="Evidence values: name similarity, and each adjustment to the score."
    )
    explanations: dict[str, FeatureResult] = Field(
        ..., description="The same evidence, each with what it rests on, in words."
    )
    evidence: dict[str, Any] = Field(
        ..., description="The engine's full evidence, as in fct_screening_matches.features."
    )


class EntityMatches(BaseModel):
    status: int = Field(200, examples=[200])
    results: list[ScoredEntity]
    total: TotalSpec
    query: EntityExample
    input_issues: list[str] = Field(
        default_factory=list, description="Query values that could not be read (left out)."
    )


class EntityMatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    limit: int = Field(..., examples=[5])


class ErrorResponse(BaseModel):
    detail: str


class DatasetInfo(BaseModel):
    name: str
    entities: int


class Catalog(BaseModel):
    datasets: list[DatasetInfo]
    warehouse: str
    loaded_at: str
