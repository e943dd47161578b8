select
    run_id,
    counterparty_id,
    shipment_date,
    hs6,
    cn8,
    hs_version,
    value,
    currency,
    usd_per_eur,
    value_usd,
    destination_iso2,
    destination_iso3,
    source_file,
    file_sha256,
    source_line
from {{ source('screening', 'shipments') }}
