{{ config(materialized='view') }}
-- Each BACI input and what it holds: one row per HS edition, year, file and zip member (a
-- BACI-shaped extract has no member). Read from staging's four columns, not from the flows, so
-- that nothing is ranked or joined to the country table to list a few distinct values; a
-- build of one year still reads every year here, as both readers need every file:
-- - int_trade_partitions names BACI's partitions of fct_trade_flows from it;
-- - int_trade_flows_baci finds the years of an HS edition fed by two inputs or more, the only
--   ones whose cells must be ranked across inputs for is_latest_vintage.
select distinct hs_version, year, source_file, source_member
from {{ ref('stg_baci__trade') }}
union
select distinct hs_version, year, source_file, cast(null as string) as source_member
from {{ ref('stg_baci__extract_trade') }}
