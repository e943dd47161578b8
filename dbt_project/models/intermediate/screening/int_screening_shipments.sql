-- Shipments of the latest run with the product's CHPL tier (dim_product, matched on HS6 and HS
-- version, so an HS2017 code that only partly holds CHPL goods is not counted) and whether the
-- destination is high risk (transit group or Russia/Belarus).
with latest as (
    select run_id from {{ ref('int_screening_latest_run') }}
),

shipments as (
    select s.*
    from {{ ref('stg_screening__shipments') }} as s
    inner join latest as l on s.run_id = l.run_id
)

select
    s.run_id,
    s.counterparty_id,
    s.shipment_date,
    s.hs6,
    s.cn8,
    s.hs_version,
    s.value,
    s.currency,
    s.usd_per_eur,
    s.value_usd,
    s.destination_iso2,
    s.destination_iso3,
    p.hs6 is not null as is_known_product,
    coalesce(p.is_chpl, false) as is_chpl,
    p.chpl_tier,
    substr(p.chpl_tier, 1, 1) as chpl_tier_group,
    p.chpl_list_version,
    p.hs_mapping,
    coalesce(r.is_transit or r.is_russia_belarus, false) as is_high_risk_destination,
    s.source_file,
    s.file_sha256,
    s.source_line
from shipments as s
left join {{ ref('dim_product') }} as p on s.hs6 = p.hs6 and s.hs_version = p.hs_version
left join {{ ref('int_screening_country_risk') }} as r on s.destination_iso3 = r.iso3
