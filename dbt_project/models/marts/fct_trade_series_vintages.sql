{{ config(materialized='view') }}
-- The default series (fct_trade_flows.is_latest_vintage) with, per period, the vintage the
-- periods before and after it were taken from: vintage_differs_from_neighbours flags a period
-- whose vintage is not its neighbours' (a month missing from the newest vintage and filled from
-- an older one, or a month only a newer extract has). Neighbours are the series' previous and
-- next periods present, of the same frequency.
{% set series = 'source, frequency, reporter_code, partner_code, exporter_iso3, importer_iso3,
    flow, product_level, product_code, hs_version' %}

with chosen as (
    select
        {{ series }}, year, month, vintage, vintage_basis, value_usd, value_eur, source_file,
        source_line
    from {{ ref('fct_trade_flows') }}
    where is_latest_vintage
),

neighbours as (
    select
        *,
        lag(vintage) over (partition by {{ series }} order by year nulls last, month nulls last) as previous_vintage,
        lead(vintage) over (partition by {{ series }} order by year nulls last, month nulls last) as next_vintage
    from chosen
)

select
    *,
    coalesce(previous_vintage <> vintage, false) or coalesce(next_vintage <> vintage, false)
        as vintage_differs_from_neighbours
from neighbours
