{#- text without the characters given (a SQL string literal) at its start, its end or both
    (side: 'leading', 'trailing', 'both'). DuckDB's ltrim/rtrim/trim take the characters second;
    Spark's two-argument forms take them first: Spark gets the standard SQL form. -#}
{% macro trim_characters(text, characters, side='both') -%}
    {%- if side not in ('leading', 'trailing', 'both') -%}
        {{ exceptions.raise_compiler_error("trim_characters: side is leading, trailing or both") }}
    {%- endif -%}
    {%- if var('portability_lint', false) -%}
        {{ compat_lint('trim_characters', [text, characters, "'" ~ side ~ "'"]) }}
    {%- else -%}
        {{ adapter.dispatch('trim_characters', 'roundabout')(text, characters, side) }}
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__trim_characters(text, characters, side='both') -%}
    {{ {'leading': 'ltrim', 'trailing': 'rtrim', 'both': 'trim'}[side] }}({{ text }}, {{ characters }})
{%- endmacro %}

{% macro spark__trim_characters(text, characters, side='both') -%}
    trim({{ side }} {{ spark_literal(characters) }} from {{ text }})
{%- endmacro %}
