{{ config(materialized='view') }}
-- Comtrade rows that make up flows (int_trade_flows_reported sums them to the shape of
-- fct_trade_flows), both reporters' sides kept (mirror statistics): an export (X, RX) reported by A to B is exporter A, importer B; an import (M, RM)
-- reported by B from A is exporter A, importer B, reporter B. Only rows that count in the total
-- (docs/sources/trade.md), only country partners (World, EU and the "areas nes" are not
-- countries), only X, M, RX and RM (other flow codes are parts of these), only HS6 codes and
-- all-goods totals (chapters and headings never sit beside their subheadings).
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
    r.reporter_iso3,
    r.partner_iso3,
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
    r.source_file,
    r.source_line,
    0 as tie_rank
from reported as r
where r.counts_in_total
  and r.reporter_area = 'country'
  and r.partner_area = 'country'
  and r.flow in ('X', 'M', 'RX', 'RM')
  and (r.hs6 = 'TOTAL' or r.code_digits >= 6)
  and r.value_usd is not null
