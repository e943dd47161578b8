"""What a finished run's events say, as lines of its summary (the error that stopped a step is
orchestration/failures.py): rows quarantined, incomplete releases, sources absent from the
inputs, and a description for a failed check that came without one."""

from __future__ import annotations


def quarantined(materializations) -> dict[str, list[str]]:
    from orchestration.assets.ingest import QUARANTINE

    out = {}
    for event in materializations:
        value = event.materialization.metadata.get(QUARANTINE)
        if value is not None and value.value:
            out[event.asset_key.to_user_string()] = list(value.value)
    return out


def absent_sources(materializations) -> list[str]:
    from orchestration.assets.ingest import ABSENT

    absent = {
        event.asset_key.path[-1].split("__")[0]
        for event in materializations
        if getattr(event.materialization.metadata.get(ABSENT), "value", False)
    }
    return sorted(absent)


def check_description(result, asset: str, check_name: str) -> str:
    """What a failed check without a description of its own tests: dbt's test description (or
    its name, which says the test and the column), and how many rows fail it."""
    from orchestration.definitions import defs

    evaluations = [
        e
        for e in result.get_asset_check_evaluations()
        if e.asset_key.to_user_string() == asset and e.check_name == check_name
    ]
    failing = None
    if evaluations:
        value = evaluations[0].metadata.get("dagster_dbt/failed_row_count")
        failing = getattr(value, "value", value)
    spec_description = ""
    for assets in defs.assets or []:
        for spec in getattr(assets, "check_specs", []):
            if spec.asset_key.to_user_string() == asset and spec.name == check_name:
                spec_description = spec.description or ""
    what = spec_description or f"dbt test {check_name}"
    rows = f"{failing:,} rows fail it" if isinstance(failing, int) else "it failed"
    return f"{what}: {rows} (dbt test {check_name}; details in the run's log)"


def incomplete_releases(materializations) -> list[str]:
    from orchestration.assets.ingest import INCOMPLETE

    notes: dict[str, None] = {}  # each source's assets carry the same notes: keep one of each
    for event in materializations:
        value = event.materialization.metadata.get(INCOMPLETE)
        for note in getattr(value, "value", None) or []:
            notes.setdefault(note, None)
    return list(notes)
