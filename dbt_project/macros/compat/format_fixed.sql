{#- number as text with `decimals` digits after the point. DuckDB's format ('{:.2f}', the fmt
    library) rounds the double's exact value, ties to even; Java's %.2f rounds its shortest
    decimal form half up (0.125 gives 0.13, 1.005 gives 1.01): Spark rounds first with rint
    (ties to even) on the value scaled by 10^decimals, so both agree but where that scaling
    itself rounds across a half (within about 1e-16 of one). -#}
{% macro format_fixed(number, decimals) -%}
    {%- if var('portability_lint', false) -%}{{ compat_lint('format_fixed', [number, decimals]) }}
    {%- else -%}{{ adapter.dispatch('format_fixed', 'roundabout')(number, decimals) }}{%- endif -%}
{%- endmacro %}

{% macro duckdb__format_fixed(number, decimals) -%}
    format('{:.{{ decimals }}f}', {{ number }})
{%- endmacro %}

{% macro spark__format_fixed(number, decimals) -%}
    {#- format_string writes NULL as 'null'; format gives NULL. -#}
    case when {{ number }} is not null then
        format_string('%.{{ decimals }}f', rint({{ number }} * 1e{{ decimals }}) / 1e{{ decimals }})
    end
{%- endmacro %}
