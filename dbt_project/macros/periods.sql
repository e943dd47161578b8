{# A period's key, never NULL, so that periods join with `=`: year * 100 + month for a month,
   year * 100 for a year (2022-03: 202203; 2022: 202200). The metric models compute it once,
   where they first read a period from fct_trade_flows, whose `month` stays NULL for years;
   `period_key % 100` is then the calendar month (0 for a year), the key of monthly baselines. #}
{% macro period_key(year, month) -%}
    {{ year }} * 100 + coalesce({{ month }}, 0)
{%- endmacro %}
