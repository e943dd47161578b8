{#- text without its accents: decomposed (NFD), every mark (Unicode category M) removed,
    composed again (NFC), as DuckDB's strip_accents does (utf8proc's STRIPMARK). Spark has no
    such function nor a Unicode normalisation: it calls ICU4J's Normalizer (in Spark's jars
    since Spark 4) through reflect, which takes strings and booleans. -#}
{% macro strip_accents(text) -%}
    {%- if var('portability_lint', false) -%}{{ compat_lint('strip_accents', [text]) }}
    {%- else -%}{{ adapter.dispatch('strip_accents', 'roundabout')(text) }}{%- endif -%}
{%- endmacro %}

{% macro duckdb__strip_accents(text) -%}
    strip_accents({{ text }})
{%- endmacro %}

{% macro spark__strip_accents(text) -%}
    case when {{ text }} is not null then reflect(
        'com.ibm.icu.text.Normalizer', 'compose',
        regexp_replace(reflect('com.ibm.icu.text.Normalizer', 'decompose', {{ text }}, false),
                       '\\p{M}', ''),
        false) end
{%- endmacro %}
