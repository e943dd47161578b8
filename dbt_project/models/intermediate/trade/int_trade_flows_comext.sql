{{ config(materialized='view') }}
-- Every Comext row in the shape int_trade_flows_reported reads: member states, the UK (a
-- reporter of its own) and the EU, EU27 and euro-area aggregate reporters (kept as groups for
-- cross-checks, never added to members: fct_eu27_trade sums the members by the EU27 2020
-- composition), every partner (the "stores and provisions", high seas and "not specified"
-- buckets flagged as not countries), every product level as published (TOTAL, HS2, HS4, HS6,
-- CN8). Values in EUR and in USD at the ECB monthly average. Left out by design, with the
-- reason in excluded_reason: a customs-procedure part of a cell whose all-procedures row the
-- same file also has (bulk files: 1 normal trade, 2 and 3 processing ...).
with reported as (
    select * from {{ ref('stg_comext__bulk') }}
    union all
    select * from {{ ref('stg_comext__relational_view') }}
    union all
    select * from {{ ref('stg_comext__ds045409') }}
),

procedures as (
    select
        *,
        bool_or(stat_procedure = 'TOTAL') over (
            partition by source_file, frequency, year, month, reporter_area_code,
                partner_area_code, flow, product_code
        ) as has_total_procedure
    from reported
)

select
    'comext' as source,
    p.frequency,
    p.year,
    p.month,
    p.reporter_area_code as reporter_code,
    p.reporter_iso3,
    p.reporter_area,
    p.partner_area_code as partner_code,
    p.partner_iso3,
    p.partner_area,
    p.flow,
    p.hs6,
    p.hs_version,
    false as hs_version_inferred,
    p.product_code,
    p.code_digits,
    p.value_usd,
    p.value_eur,
    p.usd_per_eur,
    p.quantity_kg as quantity,
    case when p.quantity_kg is not null then 'kg' end as quantity_unit,
    p.quantity_kg as net_weight_kg,
    'comext__' || p.source_table as source_table,
    p.vintage_in_file,
    p.release_date,
    p.source_file,
    p.source_line,
    p.layout_rank as tie_rank,
    case
        when p.has_total_procedure and coalesce(p.stat_procedure, '') <> 'TOTAL'
            then 'customs-procedure part of an all-procedures row in the same file'
        when p.value_eur is null then 'no value'
    end as excluded_reason
from procedures as p
