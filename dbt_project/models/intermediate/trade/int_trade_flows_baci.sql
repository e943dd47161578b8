{{ config(materialized='view') }}
-- BACI flows in the shape of fct_trade_flows: the yearly files and release zips
-- (stg_baci__trade) and BACI-shaped extracts (stg_baci__extract_trade). BACI reconciles the
-- exporter's and the importer's declarations into one FOB value, so there is no reporter,
-- reporter side or flow. A row's vintage is its BACI version (V202601: January 2026), else the
-- extract's release folder, else its load date. is_latest_vintage: per cell (HS revision, year,
-- exporter, importer, HS6), the newest vintage that has it (a stated vintage before a load
-- date, as in int_trade_flows_reported); in one vintage, a yearly file or release before an
-- extract, then the file loaded last, then the later file name.
{#- A BACI version (V202601) is the first day of its month. -#}
{%- set version_date = try_parse_date("substr(fl.baci_version, 2, 6) || '01'", "'%Y%m%d'") %}
with flows as {{ not_materialized() }} (
    select
        t.year, t.exporter_baci_code, t.importer_baci_code, e.iso3 as exporter_iso3,
        i.iso3 as importer_iso3, t.hs6, t.hs_version, t.value_usd, t.quantity_tonnes,
        t.baci_version, cast(null as date) as release_date,
        case when t.source_member is null then 'baci__trade' else 'baci_release__trade' end
            as source_table,
        t.source_file, t.source_member, t.source_line, 0 as tie_rank
    from {{ ref('stg_baci__trade') }} as t
    left join {{ ref('stg_baci__countries') }} as e on t.exporter_baci_code = e.baci_code
    left join {{ ref('stg_baci__countries') }} as i on t.importer_baci_code = i.baci_code
    union all
    select
        x.year, cast(null as integer), cast(null as integer), x.exporter_iso3, x.importer_iso3,
        x.hs6, x.hs_version, x.value_usd, x.quantity_tonnes, x.baci_version, x.release_date,
        'baci_extract__trade', x.source_file, cast(null as string), x.source_line, 1
    from {{ ref('stg_baci__extract_trade') }} as x
),

dated as {{ not_materialized() }} (
    select
        fl.*,
        f.ingested_at,
        {{ trade_vintage(version_date, 'fl.release_date', 'f.ingested_at') }} as vintage,
        {{ trade_vintage_basis(version_date, 'fl.release_date', 'f.ingested_at') }}
            as vintage_basis
    from flows as fl
    left join {{ ref('int_trade_ingested_files') }} as f on fl.source_file = f.source_file
),

-- is_latest_vintage is row_number() = 1 per cell, but ranking every row sorts every year's
-- rows whole (most of this model's cost), while nearly every cell has one row: a year's file
-- has each cell once, and only an extract or another version of the same year shares cells.
-- So the cells with two rows or more are found first (a grouping of the five key columns), only
-- their rows are ranked, and each row learns whether it won by its file and line.
-- Two rows can share a cell only in a year of an HS edition fed by two files or zip members or
-- more: a file holds each cell once (its key is checked per file at ingest, and after the
-- mapping to ISO3 by fct_trade_flows' key test with the file). So only those years are
-- grouped by cell: with one file a year, none are, where grouping every row of every year by
-- cell took a seventh of a seven-year build.
-- The inputs are read from int_trade_baci_files (staging's four columns), not from `flows`:
-- this CTE covers every year (a build of one year must still know whether another file feeds
-- it), and through `flows` it would join every row of every year to the country table.
multi_file_years as (
    select hs_version, year
    from {{ ref('int_trade_baci_files') }}
    group by hs_version, year
    having count(*) > 1
),

shared_cells as (
    select f.hs_version, f.year, f.exporter_iso3, f.importer_iso3, f.hs6
    from flows as f
    semi join multi_file_years as m
        on f.year = m.year and f.hs_version is not distinct from m.hs_version
    group by all
    having count(*) > 1
),

winners as (
    select hs_version, year, exporter_iso3, importer_iso3, hs6, source_file, source_member,
        source_line
    from (
        select
            d.*,
            row_number() over (
                partition by d.hs_version, d.year, d.exporter_iso3, d.importer_iso3, d.hs6
                order by d.vintage_basis = 'load_date' nulls last, d.vintage desc,
                    d.tie_rank nulls last,
                    d.ingested_at desc nulls last, d.source_file desc
            ) as cell_rank
        from dated as d
        semi join shared_cells as c
            on {{ baci_cell_match('d', 'c') }}
    ) as ranked_shared
    where cell_rank = 1
),

ranked as (
    select
        d.*,
        c.year is null or w.source_line is not null as is_latest_vintage
    from dated as d
    left join shared_cells as c on {{ baci_cell_match('d', 'c') }}
    left join winners as w
        on {{ baci_cell_match('d', 'w') }}
        and d.source_file = w.source_file
        and d.source_member is not distinct from w.source_member
        and d.source_line = w.source_line
)

select
    'baci' as source,
    'A' as frequency,
    r.year,
    cast(null as integer) as month,
    r.vintage,
    r.vintage_basis,
    r.is_latest_vintage,
    r.exporter_iso3,
    r.importer_iso3,
    cast(null as string) as reporter_iso3,
    cast(null as string) as reporter_side,
    cast(null as string) as reporter_code,
    cast(null as string) as partner_code,
    r.importer_iso3 as partner_iso3,
    false as reporter_is_group,
    ic.iso3 is not null as partner_is_country,
    ec.iso3 is not null and ic.iso3 is not null as is_country_pair,
    cast(null as string) as flow,
    'HS6' as product_level,
    r.hs6 as product_code,
    r.hs6,
    r.hs_version,
    false as hs_version_inferred,
    6 as product_code_digits,
    1 as product_code_count,
    r.is_latest_vintage as in_hs6_rollup,
    r.value_usd,
    cast(null as double) as value_eur,
    cast(null as double) as usd_per_eur,
    'FOB' as valuation,
    r.quantity_tonnes as quantity,
    't' as quantity_unit,
    r.quantity_tonnes * 1000 as net_weight_kg,
    r.baci_version as source_version,
    r.source_table,
    r.source_file,
    r.source_member,
    r.source_line,
    cast(null as string) as source_lines,
    1 as source_row_count,
    {{ trade_load_partition("'baci'", 'r.hs_version', "'A'", 'r.year', 'null') }}
        as load_partition
from ranked as r
left join {{ ref('ref_country_codes') }} as ec on r.exporter_iso3 = ec.iso3
left join {{ ref('ref_country_codes') }} as ic on r.importer_iso3 = ic.iso3
