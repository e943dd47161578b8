{#- An incremental model replaced partition by partition (fct_trade_flows: one load_partition
    per source, HS edition, frequency and period). DuckDB: delete+insert keyed on the
    partition column, the table itself unpartitioned, each row written once by the project's
    incremental materialisation (macros/materializations/incremental.sql). Spark's Parquet
    tables have no DELETE: the table is partitioned by the column and dbt-spark's
    insert_overwrite replaces the partitions the build selects (dynamic partition overwrite),
    leaving the others. The config values are read when dbt parses the model, for the target
    it parses for. -#}
{% macro partition_replace_strategy() -%}
    {{ return(adapter.dispatch('partition_replace_strategy', 'roundabout')()) }}
{%- endmacro %}

{% macro default__partition_replace_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro spark__partition_replace_strategy() -%}
    {{ return('insert_overwrite') }}
{%- endmacro %}

{#- The table's partition columns: none on DuckDB (its adapter partitions DuckLake tables only),
    the replaced column on Spark. -#}
{% macro partition_replace_columns(columns) -%}
    {{ return(adapter.dispatch('partition_replace_columns', 'roundabout')(columns)) }}
{%- endmacro %}

{% macro default__partition_replace_columns(columns) -%}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__partition_replace_columns(columns) -%}
    {{ return(columns) }}
{%- endmacro %}

{#- Remove from relation the partitions (values of column) that the relation `inputs` no longer
    holds: a replacement by partition rewrites the partitions the build selects, and one with
    no input left has no rows to select. A statement for a pre-hook. -#}
{% macro drop_partitions_not_in(relation, column, inputs) -%}
    {{ return(adapter.dispatch('drop_partitions_not_in', 'roundabout')(relation, column, inputs)) }}
{%- endmacro %}

{% macro default__drop_partitions_not_in(relation, column, inputs) -%}
    {{ return('delete from ' ~ relation ~ ' where ' ~ column ~ ' not in (select ' ~ column
              ~ ' from ' ~ inputs ~ ')') }}
{%- endmacro %}

{% macro spark__drop_partitions_not_in(relation, column, inputs) -%}
    {#- Spark drops a Parquet table's partition by its value, one statement each. -#}
    {%- if execute -%}
        {%- set stale = run_query('select distinct ' ~ column ~ ' from ' ~ relation ~ ' where '
                                  ~ column ~ ' not in (select ' ~ column ~ ' from ' ~ inputs
                                  ~ ')') -%}
        {%- for value in stale.columns[0].values() -%}
            {%- do run_query('alter table ' ~ relation ~ ' drop if exists partition ('
                             ~ column ~ " = '" ~ value | replace("\\", "\\\\")
                             | replace("'", "\\'") ~ "')") -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return('select 1') }}
{%- endmacro %}

{#- A text value as a SQL string literal: quotes doubled (DuckDB) or escaped with a backslash, as
    are backslashes (Spark, whose parser reads backslash escapes). -#}
{% macro sql_string(value) -%}
    {{ return(adapter.dispatch('sql_string', 'roundabout')(value)) }}
{%- endmacro %}

{% macro default__sql_string(value) -%}
    {{ return("'" ~ value | replace("'", "''") ~ "'") }}
{%- endmacro %}

{% macro spark__sql_string(value) -%}
    {{ return("'" ~ value | replace("\\", "\\\\") | replace("'", "\\'") ~ "'") }}
{%- endmacro %}
