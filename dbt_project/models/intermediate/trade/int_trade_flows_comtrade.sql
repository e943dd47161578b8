{{ config(materialized='view') }}
-- Every Comtrade row in the shape int_trade_flows_reported reads, both reporters' sides kept
-- (mirror statistics): an export (X, RX) reported by A to B is exporter A, importer B; an import
-- (M, RM) reported by B from A is exporter A, importer B, reporter B. Every product level and
-- every partner is kept (World, EU and the "areas nes" flagged as not countries). Rows left out
-- by design carry the reason in excluded_reason (fct_data_coverage counts them):
-- - rows that do not count in the total (docs/sources/trade.md: breakdowns of a reported row);
-- - flow codes other than X, M, RX and RM (parts of these);
-- - rows without a value.
with reported as (
    select * from {{ ref('stg_comtrade__records') }}
    union all
    select * from {{ ref('stg_comtrade__legacy_monthly') }}
    union all
    select * from {{ ref('stg_comtrade__compact') }}
)

select
    'comtrade' as source,
    r.frequency,
    r.year,
    r.month,
    r.reporter_code,
    r.reporter_iso3,
    r.reporter_area,
    r.partner_code,
    r.partner_iso3,
    r.partner_area,
    r.flow,
    r.hs6,
    r.hs_version,
    r.hs_version_inferred,
    r.product_code,
    r.code_digits,
    r.value_usd,
    cast(null as double) as value_eur,
    cast(null as double) as usd_per_eur,
    r.quantity,
    r.quantity_unit,
    r.net_weight_kg,
    'comtrade__' || r.source_table as source_table,
    cast(null as date) as vintage_in_file,
    r.release_date,
    r.source_file,
    r.source_line,
    0 as tie_rank,
    case
        when not coalesce(r.counts_in_total, false)
            then 'breakdown of a reported row (does not count in the total)'
        when r.flow is null or r.flow not in ('X', 'M', 'RX', 'RM')
            then 'flow other than X, M, RX, RM (a part of one of them)'
        when r.value_usd is null then 'no value'
    end as excluded_reason
from reported as r
