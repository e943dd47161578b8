{{ config(materialized='view') }}
-- When each input file was last loaded (one row per file; raw.ingested_files has one per file
-- and raw table).
select
    source as raw_source,
    source_file,
    max(file_sha256) as file_sha256,
    max(ingested_at) as ingested_at,
    -- a generated file (a SYNTHETIC.md note beside it when it was loaded)
    coalesce(bool_or(is_synthetic), false) as is_synthetic
from {{ source('ingest', 'ingested_files') }}
group by source, source_file
