{# The unit fct_trade_flows is rebuilt by: one source, HS edition, frequency and period
   ('baci/HS2017/A/2022', 'comext/HS2022/M/2022-01', 'armstat/TOTAL/M/2024-02'). #}
{% macro trade_load_partition(source, hs_version, frequency, year, month) -%}
    {{ source }} || '/' || coalesce({{ hs_version }}, 'TOTAL') || '/' || {{ frequency }} || '/'
    || cast({{ year }} as varchar)
    || coalesce('-' || lpad(cast({{ month }} as varchar), 2, '0'), '')
{%- endmacro %}


{# Reported rows (Comtrade, Comext, national tables) to one row per flow key in the shape of
   fct_trade_flows. `rows` must have: source, frequency, year, month, reporter_iso3,
   partner_iso3, flow, hs6, hs_version, hs_version_inferred, product_code, code_digits,
   value_usd, value_eur, usd_per_eur, quantity, quantity_unit, net_weight_kg, source_table,
   source_file, source_line, tie_rank (when each file was loaded comes from
   int_trade_ingested_files). Rules, per flow key:
   - one file: when two files hold the key (two pulls of one period), the one loaded last wins,
     then the lower tie_rank (the layout a source prefers), then the later file name;
   - one code length: the shortest code of six digits or more that the file has for the HS6
     (a published HS6 row, else its CN8 codes summed), so a heading and its subheadings or an
     HS6 and its CN8 codes are never added together;
   - the rows left are parts of one flow (modes of transport, customs procedures, CN8 codes of
     one HS6): they are summed. #}
{% macro trade_flow_rollup(rows) -%}
{%- set key = 'source, frequency, year, month, reporter_iso3, partner_iso3, flow, hs_version, '
               ~ 'hs6' -%}
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
            from {{ rows }} as r
            left join {{ ref('int_trade_ingested_files') }} as f on r.source_file = f.source_file
        ) as loaded
    ) as ranked
    where file_rank = 1 and coalesce(code_digits, 0) = shortest_code
) as chosen
group by {{ key }}, source_table, source_file
{%- endmacro %}


{# A fingerprint of the code that builds fct_trade_flows: the checksums of the model and of
   every model and seed upstream of it. Rows built by other code are rebuilt (see
   invalidate_trade_partitions), so a changed rule never leaves old rows beside new ones.
   Macros are not part of it: after changing one, build with --full-refresh. #}
{% macro trade_flows_signature() -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set ns = namespace(frontier=[model.unique_id], seen=[]) -%}
    {%- for depth in range(30) -%}
        {%- set following = [] -%}
        {%- for uid in ns.frontier if uid in graph.nodes and uid not in ns.seen -%}
            {%- do ns.seen.append(uid) -%}
            {%- for dependency in graph.nodes[uid].depends_on.nodes -%}
                {%- do following.append(dependency) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- set ns.frontier = following -%}
    {%- endfor -%}
    {%- set parts = [] -%}
    {%- for uid in ns.seen | sort -%}
        {%- do parts.append(uid ~ '=' ~ graph.nodes[uid].checksum.checksum) -%}
    {%- endfor -%}
    {{ return(local_md5(parts | join(';'))) }}
{%- endmacro %}


{# Pre-hook of fct_trade_flows: delete the partitions whose inputs changed since they were
   built, so that the model's select (partitions not in the table) rebuilds exactly those:
   - every row, if the table predates the partition columns or was built by other code;
   - partitions a file (re)loaded after them feeds now, or fed when they were built;
   - partitions that no input holds any more. #}
{% macro invalidate_trade_partitions() -%}
    {%- if not is_incremental() -%}
        select 1
    {%- else -%}
        {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
        {%- if 'build_signature' not in columns or 'load_partition' not in columns -%}
            delete from {{ this }}
        {%- else -%}
            delete from {{ this }} where load_partition in (
                select load_partition from {{ this }}
                where build_signature is distinct from '{{ trade_flows_signature() }}'
                union
                select p.load_partition
                from {{ ref('int_trade_partitions') }} as p
                inner join (
                    select load_partition, max(loaded_at) as loaded_at
                    from {{ this }} group by load_partition
                ) as built on p.load_partition = built.load_partition
                where p.loaded_at > built.loaded_at
                union
                select built.load_partition
                from (
                    select distinct load_partition, source_file, loaded_at from {{ this }}
                ) as built
                inner join {{ ref('int_trade_ingested_files') }} as f
                    on built.source_file = f.source_file
                where f.ingested_at > built.loaded_at
                union
                select load_partition from {{ this }}
                where load_partition not in (
                    select load_partition from {{ ref('int_trade_partitions') }}
                )
            )
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{# fct_trade_flows holds exactly the partitions its inputs have, each built from the inputs'
   latest load: a partition missing, left over, or older than its files fails. #}
{% test trade_partitions_current(model, partitions) %}
with built as (
    select load_partition, min(loaded_at) as oldest, max(loaded_at) as newest
    from {{ model }}
    group by load_partition
)

select
    coalesce(b.load_partition, p.load_partition) as load_partition,
    b.oldest,
    b.newest,
    p.loaded_at
from built as b
full outer join {{ partitions }} as p on b.load_partition = p.load_partition
where b.load_partition is null
   or p.load_partition is null
   or b.oldest <> p.loaded_at
   or b.newest <> p.loaded_at
{% endtest %}
