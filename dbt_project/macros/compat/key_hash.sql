{#- A 64-bit hash of a row's key columns (a list of column names), equal for equal keys, NULLs
    included: used to find candidate duplicates cheaply before the exact comparison (macro
    test_unique_combination). Spark's hash() is 32-bit; xxhash64 is its 64-bit one. -#}
{% macro key_hash(columns) -%}
    {%- if var('portability_lint', false) -%}{{ compat_lint('key_hash', columns) }}
    {%- else -%}{{ adapter.dispatch('key_hash', 'roundabout')(columns) }}{%- endif -%}
{%- endmacro %}

{% macro duckdb__key_hash(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__key_hash(columns) -%}
    xxhash64({{ columns | join(', ') }})
{%- endmacro %}
