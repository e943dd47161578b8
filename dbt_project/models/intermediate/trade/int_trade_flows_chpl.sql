-- Trade flows in CHPL goods, tagged with their tier.
select
    f.source,
    f.frequency,
    f.year,
    f.month,
    f.exporter_iso3,
    f.importer_iso3,
    f.hs6,
    f.hs_version,
    t.tier,
    t.list_version as chpl_list_version,
    t.hs_mapping,
    f.value_usd
from {{ ref('fct_trade_flows') }} as f
inner join {{ ref('int_chpl_product_tiers') }} as t
    on f.hs6 = t.hs6 and f.hs_version = t.hs_version
where t.include_in_tier
  and t.list_version = '{{ var("chpl_list_version") }}'
