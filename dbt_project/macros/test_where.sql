{# dbt's `where` config of a data test, with one addition: `this_build` in it stands for the
   rows written by this dbt invocation (built_at, macro trade_build_time). A table built by
   partition, each partition's rows tested when it was built, tests only the partitions it
   writes now: a key holding the partition's columns is unique in the table when it is unique
   in each partition, and a full rebuild stamps every row. The same as dbt's own macro
   otherwise. #}
{% macro default__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- set where = where | replace('this_build', written_this_build('built_at')) -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
