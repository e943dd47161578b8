{#- A list of the pieces of text between each occurrence of delimiter (a SQL string literal,
    taken literally), each trimmed of the characters given. Spark's split reads its delimiter
    as a regular expression: it is quoted (\Q...\E). -#}
{% macro split_trimmed(text, delimiter, characters) -%}
    {%- if var('portability_lint', false) -%}
        {{ compat_lint('split_trimmed', [text, delimiter, characters]) }}
    {%- else -%}
        {{ adapter.dispatch('split_trimmed', 'roundabout')(text, delimiter, characters) }}
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__split_trimmed(text, delimiter, characters) -%}
    list_transform(string_split({{ text }}, {{ delimiter }}), lambda piece: trim(piece, {{ characters }}))
{%- endmacro %}

{% macro spark__split_trimmed(text, delimiter, characters) -%}
    transform(split({{ text }}, concat('\\Q', {{ spark_literal(delimiter) }}, '\\E'), -1),
              piece -> trim(both {{ spark_literal(characters) }} from piece))
{%- endmacro %}
