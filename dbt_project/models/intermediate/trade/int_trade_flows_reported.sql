{{ config(materialized='view') }}
-- The reported sources' rows (int_trade_flows_comtrade, _comext, _national) in the shape of
-- fct_trade_flows: one row per file, vintage and cell, a cell being source x frequency x period
-- x reporter x partner x flow x HS edition x product code as published. Rows a file splits
-- further (modes of transport, customs procedures without an all-procedures row) are parts of
-- one cell and are summed. Every vintage is kept; the rules (docs/metrics.md "Vintages"):
-- - vintage: the date the file states, else its release folder, else its load date (flagged);
-- - is_latest_vintage: per cell, the newest vintage that has it, a stated vintage (file or
--   release folder) before a load date (a load date says when the file was taken in, not when
--   it was published, so it never outranks a date the publisher or the release folder
--   states); between two files of the same vintage, the one loaded last, then the layout the
--   source prefers (tie_rank), then the later file name;
-- - in_hs6_rollup: the rows that make up the exact HS6 figure: within a file and vintage the
--   shortest code of six digits or more (a published HS6 row, else its CN8 or national lines),
--   so a heading and its subheadings or an HS6 and its CN8 codes are never added together; and
--   per HS6 cell, by the same order as above, the newest vintage that has the HS6.
{% set cell = 'source, frequency, year, month, reporter_code, partner_code, flow, hs_version' %}
{% set newest = "vintage_basis = 'load_date' nulls last, vintage desc, ingested_at desc nulls last,
    tie_rank nulls last, source_file desc" %}
{#- The three models' columns, named: each of them selects all of them. -#}
{% set columns = [
    'source', 'frequency', 'year', 'month', 'reporter_code', 'reporter_iso3', 'reporter_area',
    'partner_code', 'partner_iso3', 'partner_area', 'flow', 'hs6', 'hs_version',
    'hs_version_inferred', 'product_code', 'code_digits', 'value_usd', 'value_eur',
    'usd_per_eur', 'quantity', 'quantity_unit', 'net_weight_kg', 'source_table',
    'vintage_in_file', 'release_date', 'source_file', 'source_line', 'tie_rank',
    'excluded_reason',
] %}

with reported as (
    {%- for model in ['int_trade_flows_comtrade', 'int_trade_flows_comext',
                      'int_trade_flows_national'] %}
    select {{ columns | join(', ') }} from {{ ref(model) }}
    {%- if not loop.last %}
    union all
    {%- endif -%}
    {%- endfor %}
),

loaded as (
    select
        r.*,
        f.ingested_at,
        {{ trade_vintage('r.vintage_in_file', 'r.release_date', 'f.ingested_at') }} as vintage,
        {{ trade_vintage_basis('r.vintage_in_file', 'r.release_date', 'f.ingested_at') }}
            as vintage_basis
    from reported as r
    left join {{ ref('int_trade_ingested_files') }} as f on r.source_file = f.source_file
    where r.excluded_reason is null
),

cells as (
    select
        {{ cell }},
        product_code,
        min(hs6) as hs6,
        min(reporter_iso3) as reporter_iso3,
        min(reporter_area) as reporter_area,
        min(partner_iso3) as partner_iso3,
        min(partner_area) as partner_area,
        bool_or(hs_version_inferred) as hs_version_inferred,
        max(code_digits) as code_digits,
        sum(value_usd) as value_usd,
        sum(value_eur) as value_eur,
        max(usd_per_eur) as usd_per_eur,
        case
            when count(distinct quantity_unit) = 1 and count(quantity) = count(*)
                then sum(quantity)
        end as quantity,
        case when count(distinct quantity_unit) = 1 then max(quantity_unit) end as quantity_unit,
        case when count(net_weight_kg) = count(*) then sum(net_weight_kg) end as net_weight_kg,
        source_table,
        source_file,
        vintage,
        vintage_basis,
        max(ingested_at) as ingested_at,
        min(tie_rank) as tie_rank,
        min(source_line) as source_line,
        case
            when count(*) > 1
                then {{ ordered_listagg('cast(source_line as string)', "','", ['source_line']) }}
        end as source_lines,
        cast(count(*) as integer) as source_row_count
    from loaded
    group by {{ cell }}, product_code, source_table, source_file, vintage, vintage_basis
),

ranked as (
    select
        *,
        row_number() over (partition by {{ cell }}, product_code order by {{ newest }})
            as vintage_rank,
        hs6 is not null and coalesce(code_digits, 0) = min(coalesce(code_digits, 0)) over (
            partition by {{ cell }}, hs6, source_file, vintage
        ) as hs6_rollup_candidate
    from cells
),

rollup_files as (
    select
        *,
        case
            when hs6_rollup_candidate then dense_rank() over (
                partition by {{ cell }}, hs6, hs6_rollup_candidate
                order by {{ newest }}
            )
        end as rollup_rank
    from ranked
)

select
    source,
    frequency,
    year,
    month,
    vintage,
    vintage_basis,
    vintage_rank = 1 as is_latest_vintage,
    case when flow in ('X', 'RX') then reporter_iso3 else partner_iso3 end as exporter_iso3,
    case when flow in ('X', 'RX') then partner_iso3 else reporter_iso3 end as importer_iso3,
    reporter_iso3,
    case when flow in ('X', 'RX') then 'exporter' else 'importer' end as reporter_side,
    reporter_code,
    partner_code,
    partner_iso3,
    coalesce(reporter_area <> 'country', false) as reporter_is_group,
    coalesce(partner_area = 'country', false) as partner_is_country,
    coalesce(reporter_area = 'country' and partner_area = 'country', false) as is_country_pair,
    flow,
    {{ trade_product_level('product_code', 'code_digits', 'source') }} as product_level,
    product_code,
    hs6,
    hs_version,
    hs_version_inferred,
    code_digits as product_code_digits,
    1 as product_code_count,
    coalesce(rollup_rank = 1, false) as in_hs6_rollup,
    value_usd,
    value_eur,
    usd_per_eur,
    case when flow in ('X', 'RX') then 'FOB' else 'CIF' end as valuation,
    quantity,
    quantity_unit,
    net_weight_kg,
    cast(null as string) as source_version,
    source_table,
    source_file,
    cast(null as string) as source_member,
    source_line,
    source_lines,
    source_row_count,
    {{ trade_load_partition('source', 'hs_version', 'frequency', 'year', 'month') }}
        as load_partition
from rollup_files
