{#- Engine-specific SQL lives in this folder only: one macro per construct, dispatched to a
    duckdb__ and a spark__ implementation (docs/scale-out.md, "Portability rules"). Each public
    macro starts with compat_lint, so that the portability lint (tools/sql_portability.py),
    which compiles the models with the variable portability_lint, sees
    compat__<name>(<arguments>) in place of the engine's SQL and checks only what the models
    write themselves. dbt reads the dispatched macro's name statically: each macro names it
    itself rather than through a shared dispatcher.

        {% macro x(a, b) -%}
            {%- if var('portability_lint', false) -%}{{ compat_lint('x', [a, b]) }}
            {%- else -%}{{ adapter.dispatch('x', 'roundabout')(a, b) }}{%- endif -%}
        {%- endmacro %}
-#}
{% macro compat_lint(name, args) -%}
    compat__{{ name }}({{ args | join(', ') }})
{%- endmacro %}
