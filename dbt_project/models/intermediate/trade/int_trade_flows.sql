{{ config(materialized='view') }}
-- Every source's flows in the shape of fct_trade_flows, before the incremental build.
select * from {{ ref('int_trade_flows_baci') }}
union all by name
select * from {{ ref('int_trade_flows_reported') }}
