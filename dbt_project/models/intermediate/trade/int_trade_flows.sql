{{ config(materialized='view') }}
-- Every source's flows in the shape of fct_trade_flows, before the incremental build.
{#- Both models select these columns; naming them keeps the union by name, not position. -#}
{% set columns = [
    'source', 'frequency', 'year', 'month', 'vintage', 'vintage_basis', 'is_latest_vintage',
    'exporter_iso3', 'importer_iso3', 'reporter_iso3', 'reporter_side', 'reporter_code',
    'partner_code', 'partner_iso3', 'reporter_is_group', 'partner_is_country',
    'is_country_pair', 'flow', 'product_level', 'product_code', 'hs6', 'hs_version',
    'hs_version_inferred', 'product_code_digits', 'product_code_count', 'in_hs6_rollup',
    'value_usd', 'value_eur', 'usd_per_eur', 'valuation', 'quantity', 'quantity_unit',
    'net_weight_kg', 'source_version', 'source_table', 'source_file', 'source_member',
    'source_line', 'source_lines', 'source_row_count', 'load_partition',
] %}
select {{ columns | join(', ') }} from {{ ref('int_trade_flows_baci') }}
union all
select {{ columns | join(', ') }} from {{ ref('int_trade_flows_reported') }}
