{#- The non-NULL values of expression joined by separator (a SQL string literal) in the order of
    the keys (a list of expressions, each ascending with NULLs last, then the value itself); NULL
    when there are none. dbt's listagg drops its order on Spark (collect_list keeps the order
    rows arrive in, which a shuffle changes): Spark collects (keys, value) structs and sorts
    them, struct order being the order of their fields. -#}
{% macro ordered_listagg(expression, separator, keys) -%}
    {%- if var('portability_lint', false) -%}
        {{ compat_lint('ordered_listagg', [expression, separator] + keys) }}
    {%- else -%}
        {{ adapter.dispatch('ordered_listagg', 'roundabout')(expression, separator, keys) }}
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__ordered_listagg(expression, separator, keys) -%}
    {%- set order = [] -%}
    {%- for key in keys -%}{%- do order.append(key ~ ' nulls last') -%}{%- endfor -%}
    {{ dbt.listagg(expression, separator, 'order by ' ~ (order + [expression]) | join(', ')) }}
{%- endmacro %}

{% macro spark__ordered_listagg(expression, separator, keys) -%}
    {#- array_sort puts NULL fields of a struct first: each key goes with a flag that sorts
        NULLs after the values. -#}
    {%- set fields = [] -%}
    {%- for key in keys -%}
        {%- do fields.append("'n" ~ loop.index ~ "', (" ~ key ~ ") is null") -%}
        {%- do fields.append("'k" ~ loop.index ~ "', " ~ key) -%}
    {%- endfor -%}
    case when count({{ expression }}) > 0
         then array_join(transform(
             array_sort(collect_list(named_struct({{ fields | join(', ') }}, 'v', {{ expression }}))),
             s -> s.v), {{ separator }}) end
{%- endmacro %}
