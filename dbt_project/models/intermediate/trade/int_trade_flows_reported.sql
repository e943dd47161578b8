{{ config(materialized='view') }}
-- The reported sources' rows (int_trade_flows_comtrade, _comext, _national: one set of columns)
-- to one row per flow key in the shape of fct_trade_flows; when each file was loaded comes
-- from int_trade_ingested_files. Rules, per flow key:
-- - one file: when two files hold the key (two pulls of one period), the one loaded last wins,
--   then the lower tie_rank (the layout a source prefers), then the later file name;
-- - one code length: the shortest code of six digits or more that the file has for the HS6
--   (a published HS6 row, else its CN8 codes summed), so a heading and its subheadings or an
--   HS6 and its CN8 codes are never added together;
-- - the rows left are parts of one flow (modes of transport, customs procedures, CN8 codes of
--   one HS6): they are summed.
{% set key = 'source, frequency, year, month, reporter_iso3, partner_iso3, flow, hs_version, hs6' %}

with reported as (
    select * from {{ ref('int_trade_flows_comtrade') }}
    union all by name
    select * from {{ ref('int_trade_flows_comext') }}
    union all by name
    select * from {{ ref('int_trade_flows_national') }}
)

select
    source,
    frequency,
    year,
    month,
    case when flow in ('X', 'RX') then reporter_iso3 else partner_iso3 end as exporter_iso3,
    case when flow in ('X', 'RX') then partner_iso3 else reporter_iso3 end as importer_iso3,
    reporter_iso3,
    case when flow in ('X', 'RX') then 'exporter' else 'importer' end as reporter_side,
    flow,
    hs6,
    hs_version,
    bool_or(hs_version_inferred) as hs_version_inferred,
    case
        when count(distinct product_code) = 1 then min(product_code)
        else string_agg(distinct product_code, ',' order by product_code)
    end as product_code,
    max(code_digits) as product_code_digits,
    cast(count(distinct product_code) as integer) as product_code_count,
    sum(value_usd) as value_usd,
    sum(value_eur) as value_eur,
    max(usd_per_eur) as usd_per_eur,
    case when flow in ('X', 'RX') then 'FOB' else 'CIF' end as valuation,
    case
        when count(distinct quantity_unit) = 1 and count(quantity) = count(*) then sum(quantity)
    end as quantity,
    case when count(distinct quantity_unit) = 1 then max(quantity_unit) end as quantity_unit,
    case when count(net_weight_kg) = count(*) then sum(net_weight_kg) end as net_weight_kg,
    cast(null as varchar) as source_version,
    source_table,
    source_file,
    cast(null as varchar) as source_member,
    min(source_line) as source_line,
    case
        when count(*) > 1 then string_agg(cast(source_line as varchar), ',' order by source_line)
    end as source_lines,
    cast(count(*) as integer) as source_row_count,
    {{ trade_load_partition('source', 'hs_version', 'frequency', 'year', 'month') }}
        as load_partition
from (
    select *
    from (
        select
            *,
            dense_rank() over (
                partition by {{ key }}
                order by ingested_at desc nulls last, tie_rank, source_file desc
            ) as file_rank,
            min(coalesce(code_digits, 0)) over (partition by {{ key }}, source_file)
                as shortest_code
        from (
            select r.*, f.ingested_at
            from reported as r
            left join {{ ref('int_trade_ingested_files') }} as f on r.source_file = f.source_file
        ) as loaded
    ) as ranked
    where file_rank = 1 and coalesce(code_digits, 0) = shortest_code
) as chosen
group by {{ key }}, source_table, source_file
