{{ config(materialized='view') }}
-- When each input file was last loaded (one row per file; raw.ingested_files has one per file
-- and raw table).
select
    source as raw_source,
    source_file,
    max(file_sha256) as file_sha256,
    max(ingested_at) as ingested_at
from {{ source('ingest', 'ingested_files') }}
group by source, source_file
