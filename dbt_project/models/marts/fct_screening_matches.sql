-- The latest screening run's matches: one row per counterparty and listed entity at or above
-- review, with the evidence (features) and the counterparty's rank by risk, so that the most
-- exposed counterparties come first (`roundabout screen` writes these rows).
select
    x.risk_rank,
    x.risk_score as counterparty_risk_score,
    m.counterparty_id,
    m.counterparty_name,
    m.entity_key,
    m.list,
    m.source_id,
    m.matched_name,
    m.score,
    m.decision,
    m.features,
    m.entity_basis,
    m.entity_primary_name,
    m.entity_schema,
    array_to_string(m.programs, ';') as programs,
    m.listed_on,
    m.listed_owner_share,
    m.owned_50_regimes,
    m.run_id,
    m.screened_at,
    m.source_file,
    m.file_sha256,
    m.source_line
from {{ ref('int_screening_matches') }} as m
inner join {{ ref('fct_company_exposure') }} as x on m.counterparty_id = x.counterparty_id
