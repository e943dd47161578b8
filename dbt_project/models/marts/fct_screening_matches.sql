-- The latest screening run's matches: one row per counterparty and listed entity at or above
-- review, with the evidence (features) and the counterparty's rank by risk, so that the most
-- exposed counterparties come first (`roundabout screen` writes these rows).
-- Beside the JSON, the evidence an analyst reads first is spelled out in columns: how the name
-- matched, and which of country, identifier, date of birth, legal form and address agree or
-- conflict (null where one side does not say).
with evidence as (
    select
        *,
        try_cast({{ json_text('features', "'$.name_score'") }} as double) as name_score,
        {{ json_text('features', "'$.name_kind'") }} as name_kind,
        try_cast({{ json_text('features', "'$.country_agreement'") }} as boolean)
            as country_agrees,
        -- the engine says exact (same day), year (same year, one side known only in part),
        -- or conflict; older runs wrote true/false
        case {{ json_text('features', "'$.birth_date_agreement'") }}
            when 'exact' then true
            when 'year' then true
            when 'true' then true
            when 'conflict' then false
            when 'false' then false
        end as birth_date_agrees,
        try_cast({{ json_text('features', "'$.legal_form_agreement'") }} as boolean)
            as legal_form_agrees,
        try_cast({{ json_text('features', "'$.address_similarity'") }} as double)
            as address_similarity,
        nullif({{ json_list_joined('features', "'$.identifier_match'", "', '") }}, '')
            as identifiers_agreeing,
        nullif({{ json_list_joined('features', "'$.identifier_conflict'", "', '") }}, '')
            as identifiers_conflicting,
        nullif({{ json_list_joined('features', "'$.query_places'", "', '") }}, '')
            as query_places
    from {{ ref('int_screening_matches') }}
),

readable as (
    select
        *,
        case
            when identifiers_agreeing is not null then true
            when identifiers_conflicting is not null then false
        end as identifier_agrees,
        concat_ws(
            '; ',
            'name ' || {{ format_fixed('name_score', 2) }} || ' (' || name_kind || ')',
            case when country_agrees then 'country' end,
            case when identifiers_agreeing is not null
                then 'identifier (' || identifiers_agreeing || ')' end,
            case when birth_date_agrees then 'date of birth' end,
            case when legal_form_agrees then 'legal form' end,
            case when address_similarity >= 0.85 then 'address' end
        ) as fields_agreeing,
        nullif(concat_ws(
            '; ',
            case when country_agrees = false then 'country' end,
            case when identifiers_conflicting is not null and identifiers_agreeing is null
                then 'identifier (' || identifiers_conflicting || ')' end,
            case when birth_date_agrees = false then 'date of birth' end,
            case when legal_form_agrees = false then 'legal form' end,
            case when query_places is not null then 'place in name (' || query_places || ')' end
        ), '') as fields_conflicting
    from evidence
)

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
    m.name_score,
    m.name_kind,
    m.country_agrees,
    m.identifier_agrees,
    m.birth_date_agrees,
    m.legal_form_agrees,
    m.fields_agreeing,
    m.fields_conflicting,
    m.features,
    m.entity_basis,
    m.entity_primary_name,
    m.entity_schema,
    {{ list_to_string('m.programs', "';'") }} as programs,
    m.listed_on,
    m.listed_owner_share,
    m.owned_50_regimes,
    m.run_id,
    m.screened_at,
    m.source_file,
    m.file_sha256,
    m.source_line
from readable as m
inner join {{ ref('fct_company_exposure') }} as x on m.counterparty_id = x.counterparty_id
