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
        {%- set tables = raw_sources_read_by(selected_resources) -%}
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

{#- The raw tables (identifiers) that the nodes `unique_ids` read when they run: the raw sources
    they depend on, and those of the views and ephemeral models above them, which read their
    sources at query time (a model materialised as a table does not). A selection of
    fct_trade_flows alone reads the raw tables through the views of int_trade_flows: those must
    be declared again over the lake's new files too, or Spark reads the files it listed before. -#}
{% macro raw_sources_read_by(unique_ids) -%}
    {%- set ns = namespace(frontier=[], seen=[], sources=[]) -%}
    {%- for unique_id in unique_ids if unique_id in graph.nodes -%}
        {%- do ns.frontier.append(unique_id) -%}
    {%- endfor -%}
    {#- Breadth first, one layer of views per step (Jinja has no while loop). -#}
    {%- for step in range(1000) if ns.frontier -%}
        {%- set parents = [] -%}
        {%- for unique_id in ns.frontier if unique_id not in ns.seen -%}
            {%- do ns.seen.append(unique_id) -%}
            {%- for parent in graph.nodes[unique_id].depends_on.nodes -%}
                {%- if parent in graph.sources -%}
                    {%- do ns.sources.append(parent) -%}
                {%- elif parent in graph.nodes and graph.nodes[parent].resource_type == 'model'
                        and graph.nodes[parent].config.materialized in ('view', 'ephemeral') -%}
                    {%- do parents.append(parent) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- set ns.frontier = parents -%}
    {%- endfor -%}
    {%- set tables = [] -%}
    {%- for unique_id in ns.sources | unique if graph.sources[unique_id].schema == 'raw' -%}
        {%- do tables.append(graph.sources[unique_id].identifier) -%}
    {%- endfor -%}
    {{ return(tables | unique | sort) }}
{%- endmacro %}

{#- `dbt run-operation print_raw_sources_read_by --args '{unique_ids: [...]}'`: what the hook
    would declare for those nodes. -#}
{% macro print_raw_sources_read_by(unique_ids) -%}
    {%- do print(raw_sources_read_by(unique_ids) | join(' ')) -%}
{%- endmacro %}
