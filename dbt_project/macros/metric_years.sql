{#- int_metric_trade_flows is rebuilt by source and year: its rows of one source and year are
    made from the fct_trade_flows rows of that source and year only (a year's annual rows sum
    that year's months). Each row keeps what those fact rows were when it was built: their
    count (fact_rows) and newest build time (fact_built_at). fct_trade_flows stamps every
    partition it writes with the time of its build and never rewrites part of one, so a source
    and year whose partitions were added, rebuilt or dropped since show another count or build
    time; a source and year the metric table holds and the facts no longer hold has none. -#}
{% macro trade_fact_years_sql(facts, pairs=none) -%}
    select source, year, count(*) as fact_rows, max(built_at) as fact_built_at
    from {{ facts }}
    {% if pairs is not none %}where {{ metric_years_filter(pairs) }}{% endif %}
    group by source, year
{%- endmacro %}


{#- The sources and years of `facts` (fct_trade_flows) whose rows changed since `model` was
    built from them, as a list of (source, year) rows; none when the model is built whole. Read
    again by the model's pre-hook, before anything is written: both see the same tables. -#}
{% macro metric_years_to_rebuild(model, facts) -%}
    {%- if not (execute and is_incremental()) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set sql -%}
        with facts as (
            {{ trade_fact_years_sql(facts) }}
        ),

        kept as (
            select distinct source, year, fact_rows, fact_built_at from {{ model }}
        )

        select distinct coalesce(f.source, k.source) as source, coalesce(f.year, k.year) as year
        from facts as f
        full outer join kept as k
            on f.source = k.source
            and f.year = k.year
            and f.fact_rows = k.fact_rows
            and f.fact_built_at = k.fact_built_at
        where f.source is null or k.source is null
        order by 1, 2
    {%- endset -%}
    {{ return(run_query(sql).rows) }}
{%- endmacro %}


{#- A filter keeping the rows of the given (source, year) pairs: one condition per source, so
    that its years reach the scan of the table as constants. -#}
{% macro metric_years_filter(pairs, source_column='source', year_column='year') -%}
    {%- set years = {} -%}
    {%- for pair in pairs -%}
        {%- do years.setdefault(pair[0], []).append(pair[1]) -%}
    {%- endfor -%}
    {%- if not years -%}
        false
    {%- else -%}
        ({% for source, source_years in years | dictsort -%}
            ({{ source_column }} = {{ sql_string(source) }} and {{ year_column }} in ({{ source_years | join(', ') }})){{ ' or ' if not loop.last }}
        {%- endfor %})
    {%- endif -%}
{%- endmacro %}


{#- Pre-hook of int_metric_trade_flows: the rows of the sources and years rebuilt now are
    deleted before the build appends their new rows (a source and year left with no rows is
    thus removed too). Nothing to do when the table is built whole. -#}
{% macro delete_metric_years_to_rebuild(facts) -%}
    {%- set pairs = metric_years_to_rebuild(this, facts) -%}
    {%- if pairs is none -%}
        select 1
    {%- else -%}
        delete from {{ this }} where {{ metric_years_filter(pairs) }}
    {%- endif -%}
{%- endmacro %}


{#- int_metric_trade_flows and the like: incremental on DuckDB; on Spark, whose Parquet tables
    have no DELETE, a table built whole. Read when dbt parses the model, for its target. -#}
{% macro metric_years_materialization() -%}
    {{ return(adapter.dispatch('metric_years_materialization', 'roundabout')()) }}
{%- endmacro %}

{% macro default__metric_years_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}

{% macro spark__metric_years_materialization() -%}
    {{ return('table') }}
{%- endmacro %}
