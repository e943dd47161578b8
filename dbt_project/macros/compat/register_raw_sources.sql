{#- The raw sources as each engine reads them (on-run-start, dbt_project.yml). DuckDB reads the
    raw schema the ingest wrote into its own file: nothing to do. Spark reads the Parquet lake
    that orchestration/raw_lake.py writes from it (ROUNDABOUT_LAKE, one folder per raw table,
    Hive-partitioned by source and release_date): each source table is declared again over its
    folder, so that a new export's files and columns are what the run reads. -#}
{% macro register_raw_sources() -%}
    {{ return(adapter.dispatch('register_raw_sources', 'roundabout')()) }}
{%- endmacro %}

{% macro default__register_raw_sources() -%}
    {{ return('') }}
{%- endmacro %}

{% macro spark__register_raw_sources() -%}
    {%- if execute -%}
        {%- set lake = env_var('ROUNDABOUT_LAKE', '') -%}
        {%- if not lake -%}
            {{ exceptions.raise_compiler_error(
                "ROUNDABOUT_LAKE is not set: the Spark targets read the raw layer from the "
                ~ "Parquet lake (docs/scale-out.md, 'Raw layer')") }}
        {%- endif -%}
        {#- Only the sources the command's selected nodes read (none for `dbt seed`): each
            declaration is a few catalog round trips. -#}
        {%- set wanted = [] -%}
        {%- for unique_id in selected_resources if unique_id in graph.nodes -%}
            {%- do wanted.extend(graph.nodes[unique_id].depends_on.nodes) -%}
        {%- endfor -%}
        {%- set tables = [] -%}
        {%- for unique_id, node in graph.sources.items()
                if node.schema == 'raw' and unique_id in wanted -%}
            {%- do tables.append(node.identifier) -%}
        {%- endfor -%}
        {%- do run_query('create schema if not exists raw') -%}
        {%- for table in tables | unique | sort -%}
            {#- An external table: dropping it leaves the lake's files alone. -#}
            {%- do run_query('drop table if exists raw.' ~ table) -%}
            {%- do run_query('create table raw.' ~ table ~ " using parquet location '"
                             ~ lake ~ '/' ~ table ~ "'") -%}
            {#- Spark infers the partition columns from the folders but lists no partition in
                its catalog until told to look: without this the table reads empty. -#}
            {%- set described = run_query('describe table raw.' ~ table) -%}
            {%- if '# Partition Information' in described.columns[0].values() -%}
                {%- do run_query('msck repair table raw.' ~ table) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
