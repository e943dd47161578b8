"""The HTTP application: ``POST /match/{dataset}`` (yente-compatible), ``GET /catalog``,
``GET /healthz``, and the OpenAPI description at ``/openapi.json`` with its pages at ``/docs``.

The warehouse is read once, read-only, when the application is made; the service answers from
that snapshot until it is restarted (a new publication is not picked up while running).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query
from fastapi import Path as PathParam

from orchestration.screening import DEFAULT_PARAMS
from orchestration.serve.matcher import DEFAULT_DATASET, Matcher, QueryError
from orchestration.serve.models import (
    Catalog,
    EntityMatchQuery,
    EntityMatchResponse,
    ErrorResponse,
)

MAX_LIMIT = 500
MAX_QUERIES = 100

DESCRIPTION = f"""
Screening of entities against the sanctions and export-control lists of a published Roundabout
warehouse, with the engine of `roundabout screen`.

`POST /match/{{dataset}}` takes a batch of FollowTheMoney-style query entities, as yente's
`/match` does, and returns for each the listed entities that score at or above `cutoff` (default
`threshold`), best first, with the evidence. `dataset` is `{DEFAULT_DATASET}` (every list) or a
list name from `/catalog` (`ofac_sdn`, `uk`, `un` ...).

Scores are this engine's, not yente's: the review threshold is {DEFAULT_PARAMS.review} and the
alert threshold {DEFAULT_PARAMS.alert} (docs/screening.md gives how they were chosen), so the
default `threshold` is {DEFAULT_PARAMS.review}, not yente's 0.70.
"""


def create_app(warehouse: Path | str, matcher: Matcher | None = None) -> FastAPI:
    """The application over ``warehouse`` (a ``.duckdb`` file, or a folder of reference files)."""
    matcher = matcher or Matcher(Path(warehouse))
    app = FastAPI(
        title="Roundabout matching API",
        version="1",
        description=DESCRIPTION,
    )

    @app.get("/healthz", tags=["System"], summary="Service status")
    def healthz() -> dict:
        return {"status": "ok", "loaded_at": matcher.loaded_at}

    @app.get("/catalog", tags=["System"], summary="Lists (datasets) loaded", response_model=Catalog)
    def catalog() -> Catalog:
        return Catalog(
            datasets=matcher.datasets, warehouse=str(matcher.warehouse), loaded_at=matcher.loaded_at
        )

    @app.post(
        "/match/{dataset}",
        tags=["Matching"],
        summary="Query by example matcher",
        response_model=EntityMatchResponse,
        response_model_by_alias=True,
        responses={
            400: {"model": ErrorResponse, "description": "Invalid query"},
            404: {"model": ErrorResponse, "description": "Unknown dataset"},
        },
    )
    def match(
        body: EntityMatchQuery,
        dataset: Annotated[str, PathParam(description="`default` or a list name")],
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, title="Results per query")] = 5,
        threshold: Annotated[
            float, Query(ge=0, le=1, title="Score at which a result counts as a match")
        ] = DEFAULT_PARAMS.review,
        cutoff: Annotated[
            float | None, Query(ge=0, le=1, title="Lowest score returned (default: threshold)")
        ] = None,
        exclude_dataset: Annotated[
            list[str] | None, Query(title="Leave out results from these lists")
        ] = None,
    ) -> EntityMatchResponse:
        """Match a batch of entities, each given like those the API returns, for example:

        ```json
        {"queries": {
          "q1": {"schema": "Company",
                 "properties": {"name": ["Kriogenmash OAO"], "country": ["Russia"]}},
          "q2": {"schema": "Person",
                 "properties": {"firstName": ["Vladimir"], "lastName": ["Putin"],
                                "birthDate": ["1952-10-07"]}}
        }}
        ```

        Each response carries the results (`score`, `match` against `threshold`, this
        engine's `decision`, `features` and `explanations`, and the full `evidence`), `total`
        (results at or above the cutoff before `limit`) and the query as read (`query`,
        countries as lower-case ISO2, and `input_issues` for values that could not be read).
        """
        if not matcher.has_dataset(dataset):
            raise HTTPException(404, detail=f"no dataset {dataset!r} (see /catalog)")
        if len(body.queries) > MAX_QUERIES:
            raise HTTPException(400, detail=f"at most {MAX_QUERIES} queries per request")
        responses = {}
        for name, example in body.queries.items():
            try:
                responses[name] = matcher.match(
                    example, dataset, threshold, cutoff, limit, tuple(exclude_dataset or ())
                )
            except QueryError as err:
                raise HTTPException(400, detail=f"query {name!r}: {err}") from err
        return EntityMatchResponse(responses=responses, limit=limit)

    return app
