-- Exposure per counterparty of the latest screening run (docs/screening.md, "Risk score"),
-- ranked by a risk score.
--
-- risk_score, 0 to 100, is a ranking key, not a probability: the weighted sum of
--   35  listed: an alert on a listed entity
--   20  owned 50% or more by listed parties: an alert on an entity an ownership rule catches
--   10  x best match score (0 without a hit at or above review)
--   10  address shared with a listed entity
--    8  jurisdiction in the transit group or Russia/Belarus
--    7  incorporated after 2022-02-24 outside the coalition
--    4  forwarder, logistics or trading-house name
--    6  x share of the counterparty's CHPL shipment value going to high-risk destinations
-- Listing dominates; the red flags order the counterparties that are not listed.
with weights as (
    select
        35.0 as listed,
        20.0 as owned_50,
        10.0 as best_score,
        10.0 as shared_address,
        8.0 as high_risk_jurisdiction,
        7.0 as new_entity,
        4.0 as forwarder_name,
        6.0 as chpl_share_high_risk
),

scope as (
    select shipments_file is not null as has_shipments
    from {{ ref('int_screening_latest_run') }}
),

matches as (
    select * from {{ ref('int_screening_matches') }}
),

hits as (
    select
        counterparty_id,
        max(score) as best_score,
        count(*) as n_hits_review,
        sum(case when decision = 'alert' then 1 else 0 end) as n_hits_alert,
        max(case when decision = 'alert' and entity_basis = 'listed' then 1 else 0 end) = 1
            as is_listed,
        max(case when decision = 'alert' and entity_basis = 'owned_50' then 1 else 0 end) = 1
            as is_owned_50,
        max(case when decision = 'alert' and entity_basis = 'owned_50'
                 then listed_owner_share end) as listed_owner_share,
        min(case when decision = 'alert' and entity_basis = 'listed' then listed_on end)
            as first_listed_on
    from matches
    group by counterparty_id
),

ranked_hits as (
    select
        counterparty_id,
        entity_key,
        list,
        decision,
        row_number() over (
            partition by counterparty_id order by score desc, entity_key nulls last
        ) as rank
    from matches
),

matched_lists as (
    select counterparty_id, {{ sorted_listagg('list', "';'") }} as lists
    from (select distinct counterparty_id, list from matches where entity_basis = 'listed') as l
    group by counterparty_id
),

matched_programs as (
    select counterparty_id, {{ sorted_listagg('program', "';'") }} as programs
    from (
        select distinct counterparty_id, program
        from (
            select counterparty_id, {{ unnest_list('programs') }} as program
            from matches
            where entity_basis = 'listed'
        ) as listed
    ) as p
    group by counterparty_id
),

owned_regimes as (
    select counterparty_id, {{ sorted_listagg('regime', "';'") }} as regimes
    from (
        select distinct counterparty_id, regime
        from (
            select counterparty_id, {{ unnest_split('owned_50_regimes', "';'") }} as regime
            from matches
            where decision = 'alert' and entity_basis = 'owned_50'
        ) as owned
    ) as r
    group by counterparty_id
),

shipped as (
    select
        counterparty_id,
        count(*) as n_shipments,
        sum(value_usd) as shipments_value_usd,
        sum(case when is_chpl then value_usd else 0 end) as chpl_value_usd,
        sum(case when is_chpl and is_high_risk_destination then value_usd else 0 end)
            as chpl_value_high_risk_usd
    from {{ ref('int_screening_shipments') }}
    group by counterparty_id
),

portfolio as (
    select sum(value_usd) as value_usd from {{ ref('int_screening_shipments') }}
),

tiers as (
    select
        counterparty_id,
        sum(case when chpl_tier_group = '1' then value_usd else 0 end)
            as chpl_tier_1_value_usd,
        sum(case when chpl_tier_group = '1' then value_high_risk_usd else 0 end)
            as chpl_tier_1_value_high_risk_usd,
        sum(case when chpl_tier_group = '2' then value_usd else 0 end)
            as chpl_tier_2_value_usd,
        sum(case when chpl_tier_group = '2' then value_high_risk_usd else 0 end)
            as chpl_tier_2_value_high_risk_usd,
        sum(case when chpl_tier_group = '3' then value_usd else 0 end)
            as chpl_tier_3_value_usd,
        sum(case when chpl_tier_group = '3' then value_high_risk_usd else 0 end)
            as chpl_tier_3_value_high_risk_usd,
        sum(case when chpl_tier_group = '4' then value_usd else 0 end)
            as chpl_tier_4_value_usd,
        sum(case when chpl_tier_group = '4' then value_high_risk_usd else 0 end)
            as chpl_tier_4_value_high_risk_usd
    from {{ ref('int_screening_shipment_tiers') }}
    group by counterparty_id
),

exposure as (
    select
        f.run_id,
        f.counterparty_id,
        f.counterparty_name,
        f.country_iso2,
        f.country_iso3,
        coalesce(h.is_listed, false) as is_listed,
        coalesce(h.is_owned_50, false) as is_owned_50,
        coalesce(h.is_listed or h.is_owned_50, false) as is_sanctioned,
        h.best_score,
        b.entity_key as best_entity_key,
        b.list as best_list,
        b.decision as best_decision,
        l.lists,
        p.programs,
        h.first_listed_on,
        coalesce(h.n_hits_review, 0) as n_hits_review,
        coalesce(h.n_hits_alert, 0) as n_hits_alert,
        h.listed_owner_share,
        o.regimes as owned_50_regimes,
        f.shared_address_listed_n,
        f.shared_address_entity_keys,
        f.shared_address_listed_n > 0 as red_flag_shared_address,
        f.is_high_risk_jurisdiction as red_flag_high_risk_jurisdiction,
        f.is_new_entity as red_flag_new_entity,
        f.is_forwarder_name as red_flag_forwarder_name,
        f.incorporation_date,
        f.incorporation_date_source,
        f.forwarder_name_word,
        case when sc.has_shipments then coalesce(s.n_shipments, 0) end as n_shipments,
        case when sc.has_shipments then coalesce(s.shipments_value_usd, 0) end
            as shipments_value_usd,
        case when sc.has_shipments then coalesce(s.chpl_value_usd, 0) end as chpl_value_usd,
        case when sc.has_shipments then coalesce(s.chpl_value_high_risk_usd, 0) end
            as chpl_value_high_risk_usd,
        {{ safe_divide('s.chpl_value_high_risk_usd', 's.chpl_value_usd') }}
            as chpl_share_high_risk,
        case when sc.has_shipments then coalesce(t.chpl_tier_1_value_usd, 0) end
            as chpl_tier_1_value_usd,
        case when sc.has_shipments then coalesce(t.chpl_tier_1_value_high_risk_usd, 0) end
            as chpl_tier_1_value_high_risk_usd,
        {{ safe_divide('t.chpl_tier_1_value_high_risk_usd', 't.chpl_tier_1_value_usd') }}
            as chpl_tier_1_share_high_risk,
        case when sc.has_shipments then coalesce(t.chpl_tier_2_value_usd, 0) end
            as chpl_tier_2_value_usd,
        case when sc.has_shipments then coalesce(t.chpl_tier_2_value_high_risk_usd, 0) end
            as chpl_tier_2_value_high_risk_usd,
        {{ safe_divide('t.chpl_tier_2_value_high_risk_usd', 't.chpl_tier_2_value_usd') }}
            as chpl_tier_2_share_high_risk,
        case when sc.has_shipments then coalesce(t.chpl_tier_3_value_usd, 0) end
            as chpl_tier_3_value_usd,
        case when sc.has_shipments then coalesce(t.chpl_tier_3_value_high_risk_usd, 0) end
            as chpl_tier_3_value_high_risk_usd,
        {{ safe_divide('t.chpl_tier_3_value_high_risk_usd', 't.chpl_tier_3_value_usd') }}
            as chpl_tier_3_share_high_risk,
        case when sc.has_shipments then coalesce(t.chpl_tier_4_value_usd, 0) end
            as chpl_tier_4_value_usd,
        case when sc.has_shipments then coalesce(t.chpl_tier_4_value_high_risk_usd, 0) end
            as chpl_tier_4_value_high_risk_usd,
        {{ safe_divide('t.chpl_tier_4_value_high_risk_usd', 't.chpl_tier_4_value_usd') }}
            as chpl_tier_4_share_high_risk,
        portfolio.value_usd as portfolio_value_usd,
        f.input_issues,
        f.source_file,
        f.file_sha256,
        f.source_line
    from {{ ref('int_screening_counterparty_flags') }} as f
    cross join scope as sc
    cross join portfolio
    left join hits as h on f.counterparty_id = h.counterparty_id
    left join ranked_hits as b on f.counterparty_id = b.counterparty_id and b.rank = 1
    left join matched_lists as l on f.counterparty_id = l.counterparty_id
    left join matched_programs as p on f.counterparty_id = p.counterparty_id
    left join owned_regimes as o on f.counterparty_id = o.counterparty_id
    left join shipped as s on f.counterparty_id = s.counterparty_id
    left join tiers as t on f.counterparty_id = t.counterparty_id
),

at_risk as (
    select
        *,
        case
            when shipments_value_usd is null then null
            when is_sanctioned then shipments_value_usd
            else chpl_value_high_risk_usd
        end as revenue_at_risk_usd
    from exposure
),

scored as (
    select
        a.*,
        {{ safe_divide('a.revenue_at_risk_usd', 'a.portfolio_value_usd') }}
            as revenue_at_risk_share,
        round(
            w.listed * cast(a.is_listed as int)
            + w.owned_50 * cast(a.is_owned_50 as int)
            + w.best_score * coalesce(a.best_score, 0)
            + w.shared_address * cast(a.red_flag_shared_address as int)
            + w.high_risk_jurisdiction * cast(a.red_flag_high_risk_jurisdiction as int)
            + w.new_entity * cast(a.red_flag_new_entity as int)
            + w.forwarder_name * cast(a.red_flag_forwarder_name as int)
            + w.chpl_share_high_risk * coalesce(a.chpl_share_high_risk, 0),
            4
        ) as risk_score
    from at_risk as a
    cross join weights as w
)

select
    row_number() over (order by risk_score desc, counterparty_id nulls last) as risk_rank,
    risk_score,
    run_id, counterparty_id, counterparty_name, country_iso2, country_iso3, is_listed,
    is_owned_50, is_sanctioned, best_score, best_entity_key, best_list, best_decision, lists,
    programs, first_listed_on, n_hits_review, n_hits_alert, listed_owner_share, owned_50_regimes,
    shared_address_listed_n, shared_address_entity_keys, red_flag_shared_address,
    red_flag_high_risk_jurisdiction, red_flag_new_entity, red_flag_forwarder_name,
    incorporation_date, incorporation_date_source, forwarder_name_word, n_shipments,
    shipments_value_usd, chpl_value_usd, chpl_value_high_risk_usd, chpl_share_high_risk,
    chpl_tier_1_value_usd, chpl_tier_1_value_high_risk_usd, chpl_tier_1_share_high_risk,
    chpl_tier_2_value_usd, chpl_tier_2_value_high_risk_usd, chpl_tier_2_share_high_risk,
    chpl_tier_3_value_usd, chpl_tier_3_value_high_risk_usd, chpl_tier_3_share_high_risk,
    chpl_tier_4_value_usd, chpl_tier_4_value_high_risk_usd, chpl_tier_4_share_high_risk,
    input_issues, revenue_at_risk_usd, revenue_at_risk_share,
    cast(red_flag_shared_address as int) + cast(red_flag_high_risk_jurisdiction as int)
    + cast(red_flag_new_entity as int) + cast(red_flag_forwarder_name as int) as n_red_flags,
    source_file,
    file_sha256,
    source_line
from scored
