select
    run_id,
    counterparty_id,
    name as counterparty_name,
    country_iso2,
    country_iso3,
    address,
    type as counterparty_type,
    incorporation_date,
    identifiers,
    input_issues,
    record_sha256,
    source_file,
    file_sha256,
    source_line
from {{ source('screening', 'counterparties') }}
