{#- Fields of a JSON text by JSONPath ('$.name', a SQL string literal). json_text: the field as
    text (a string without its quotes, a number or boolean as written, an object or array as
    JSON), NULL when absent. json_list_joined: the field, a JSON array, its elements as text
    joined by separator; '' when absent or not an array of scalars. DuckDB reads its JSON
    type, Spark the text (get_json_object, from_json). -#}
{% macro json_text(json, path) -%}
    {%- if var('portability_lint', false) -%}{{ compat_lint('json_text', [json, path]) }}
    {%- else -%}{{ adapter.dispatch('json_text', 'roundabout')(json, path) }}{%- endif -%}
{%- endmacro %}

{% macro duckdb__json_text(json, path) -%}
    json_extract_string({{ json }}, {{ path }})
{%- endmacro %}

{% macro spark__json_text(json, path) -%}
    get_json_object({{ json }}, {{ path }})
{%- endmacro %}

{% macro json_list_joined(json, path, separator) -%}
    {%- if var('portability_lint', false) -%}
        {{ compat_lint('json_list_joined', [json, path, separator]) }}
    {%- else -%}
        {{ adapter.dispatch('json_list_joined', 'roundabout')(json, path, separator) }}
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__json_list_joined(json, path, separator) -%}
    array_to_string(coalesce(try_cast(json_extract({{ json }}, {{ path }}) as string[]), []),
                    {{ separator }})
{%- endmacro %}

{% macro spark__json_list_joined(json, path, separator) -%}
    array_join(coalesce(from_json(get_json_object({{ json }}, {{ path }}), 'array<string>'),
                        array()), {{ separator }})
{%- endmacro %}
