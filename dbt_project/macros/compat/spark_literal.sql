{#- A SQL string literal as DuckDB reads it (a backslash is itself), rewritten for Spark, whose
    parser reads backslash escapes in literals ('\.' is '.', '\s' is 's'): every backslash is
    doubled. Only for literals passed to the spark__ macros of this folder. -#}
{% macro spark_literal(literal) -%}
    {{ literal | replace('\\', '\\\\') }}
{%- endmacro %}
