{#- The project's incremental materialisation on DuckDB: each new row written once.

    dbt-duckdb's own first writes a build's rows into a temporary table, then deletes the rows
    they replace and inserts them again from that table: every row is written twice. For one
    added BACI year of fct_trade_flows (eleven million rows of 44 columns) that was most of the
    model's time (docs/benchmarks.md). Here the model's select becomes a temporary view and its
    rows go straight into the table. dbt lets the root project replace a built-in
    materialisation; the models keep materialized='incremental', so is_incremental(), the
    state selectors (config.materialized:incremental) and the Spark target (dbt-spark's own
    materialisation, macros/compat/partition_replace.sql) are unchanged.

    - No table yet, or a full refresh: built whole as dbt-duckdb's table materialisation does
      (a new table, renamed over the old one).
    - Incremental: the pre-hooks run (a model's own deletes: int_metric_trade_flows), the
      columns are reconciled by on_schema_change as dbt's incremental does (from the view),
      then the select is inserted.
      - incremental_strategy 'append': nothing more.
      - 'delete+insert' with a unique_key: then the rows that have the key of a row just
        written, and were not written by this build, are deleted. The new rows are told apart
        by the column named in the model's `build_stamp` config, which the model sets to this
        build's time (trade_build_time). A key's old rows are thus replaced whole, as by dbt's
        delete+insert, without the select being read twice.
      Other strategies are refused: no model here uses them.

    All of it is one transaction: a reader sees the table before or after the build, never
    between the insert and the delete. -#}
{% materialization incremental, adapter='duckdb', supported_languages=['sql'] %}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set intermediate_relation = make_intermediate_relation(target_relation) -%}
    {%- set backup_relation = make_backup_relation(target_relation, 'table') -%}
    {%- set strategy = config.get('incremental_strategy') or 'append' -%}
    {%- set unique_key = config.get('unique_key') -%}
    {%- set build_stamp = config.get('build_stamp') -%}
    {%- set on_schema_change = incremental_validate_on_schema_change(config.get('on_schema_change'), default='ignore') -%}
    {%- set grant_config = config.get('grants') -%}
    {%- set full_refresh_mode = should_full_refresh() or (existing_relation is not none and existing_relation.is_view) -%}
    {%- if strategy not in ('append', 'delete+insert') -%}
        {%- do exceptions.raise_compiler_error(
            model.name ~ ': incremental_strategy ' ~ strategy ~ ' is not supported by this '
            ~ "project's incremental materialisation on DuckDB (append, delete+insert)") -%}
    {%- endif -%}
    {%- if strategy == 'delete+insert' and not (unique_key is string and build_stamp) -%}
        {%- do exceptions.raise_compiler_error(
            model.name ~ ': delete+insert needs unique_key (one column) and build_stamp (the '
            ~ 'column the model sets to this build time, which tells the new rows from the old)') -%}
    {%- endif -%}

    {{ drop_relation_if_exists(load_cached_relation(intermediate_relation)) }}
    {{ drop_relation_if_exists(load_cached_relation(backup_relation)) }}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    -- `BEGIN` happens here:
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {%- set to_drop = [] -%}
    {% if existing_relation is none %}
        {% call statement('main') -%}
            {{ create_table_as(False, target_relation, sql) }}
        {%- endcall %}
    {% elif full_refresh_mode %}
        {% call statement('main') -%}
            {{ create_table_as(False, intermediate_relation, sql) }}
        {%- endcall %}
        {% do adapter.rename_relation(existing_relation, backup_relation) %}
        {% do adapter.rename_relation(intermediate_relation, target_relation) %}
        {% do to_drop.append(backup_relation) %}
    {% else %}
        {#- A temporary view (schema and database none: DuckDB's temp catalog), read once. -#}
        {%- set new_rows = make_temp_relation(target_relation) -%}
        {% call statement('new_rows_view') -%}
            create temporary view {{ new_rows }} as (
                {{ sql }}
            )
        {%- endcall %}
        {%- set dest_columns = process_schema_changes(on_schema_change, new_rows, existing_relation) -%}
        {%- if not dest_columns -%}
            {%- set dest_columns = adapter.get_columns_in_relation(existing_relation) -%}
        {%- endif -%}
        {%- set columns_csv = get_quoted_csv(dest_columns | map(attribute='name')) -%}
        {% call statement('main') -%}
            insert into {{ target_relation }} ({{ columns_csv }})
            select {{ columns_csv }} from {{ new_rows }}
        {%- endcall %}
        {% if strategy == 'delete+insert' %}
            {%- set this_build = written_this_build(build_stamp) -%}
            {% call statement('replaced_rows') -%}
                delete from {{ target_relation }}
                where not coalesce({{ this_build }}, false)
                  and {{ unique_key }} in (
                      select distinct {{ unique_key }} from {{ target_relation }}
                      where {{ this_build }}
                  )
            {%- endcall %}
        {% endif %}
        {% call statement('drop_new_rows_view') -%}
            drop view {{ new_rows }}
        {%- endcall %}
    {% endif %}

    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {% do apply_grants(target_relation, grant_config, should_revoke=should_revoke(existing_relation, full_refresh_mode)) %}
    {% do persist_docs(target_relation, model) %}

    -- `COMMIT` happens here
    {% do adapter.commit() %}

    {% for relation in to_drop %}
        {% do adapter.drop_relation(relation) %}
    {% endfor %}

    {{ run_hooks(post_hooks, inside_transaction=False) }}

    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
