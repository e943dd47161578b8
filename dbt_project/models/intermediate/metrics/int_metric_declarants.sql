-- Who declared trade in each period of a source that names its declarants: a flow between two
-- countries is observed when either of them declared (docs/metrics.md, "Observed flows"). Comext
-- carries EU members' declarations only, so Kazakhstan's exports to Russia are not observed
-- there; Russia's own declarations stop in 2022.
select distinct source, frequency, year, month, period_key, exporter_iso3 as declarant_iso3
from {{ ref('int_metric_trade_flows') }}
where exporter_reported_usd is not null
union
select distinct source, frequency, year, month, period_key, importer_iso3 as declarant_iso3
from {{ ref('int_metric_trade_flows') }}
where importer_reported_usd is not null
