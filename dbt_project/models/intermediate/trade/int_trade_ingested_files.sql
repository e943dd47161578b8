{{ config(materialized='view') }}
-- When each input file was last loaded. raw.ingested_files is written by every ingest asset (one
-- row per file and raw table), so it is read by name here rather than declared as the source of
-- one of them.
select
    source as raw_source,
    source_file,
    max(file_sha256) as file_sha256,
    max(ingested_at) as ingested_at
from raw.ingested_files
group by source, source_file
