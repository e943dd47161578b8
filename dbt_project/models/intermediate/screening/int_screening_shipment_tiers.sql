-- CHPL shipments per counterparty and tier group of the latest run: value and value to
-- high-risk destinations (fct_company_exposure takes the shares).
select
    counterparty_id,
    chpl_tier_group,
    chpl_list_version,
    count(*) as n_shipments,
    sum(value_usd) as value_usd,
    sum(case when is_high_risk_destination then value_usd else 0 end) as value_high_risk_usd
from {{ ref('int_screening_shipments') }}
where is_chpl
group by counterparty_id, chpl_tier_group, chpl_list_version
