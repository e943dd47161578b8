-- Red flags per counterparty of the latest run (docs/screening.md, "Risk score"):
-- - jurisdiction in the transit group or Russia/Belarus;
-- - incorporated after 2022-02-24 outside the coalition, where the date is known (the file's
--   incorporation_date, else the establishment date OFAC writes in the remarks of the listing
--   the counterparty matches at alert);
-- - a forwarder, logistics or trading-house name (FinCEN FIN-2023-GLOBALEXPORT);
-- - an address shared with listed entities: the same address once case, accents, punctuation
--   and spacing are ignored, and only addresses of three words or more (a bare city is no
--   evidence of anything).
{#- Patterns as SQL literals, in RE2's notation (compat macros rewrite them for Spark); set as
    blocks, where Jinja keeps a backslash as it is. -#}
{% set established_pattern -%}
    'Organization Established Date (\d{1,2} [A-Za-z]{3} \d{4})'
{%- endset %}
{% set forwarder_pattern -%}
    '\b(logistics?|logistik[a-z]*|freight|forwarding|forwarders?|shipping|cargo|transport[a-z]*|courier|trading|trade ?house|torgov[a-z]* dom|impex|import|export)\b'
{%- endset %}
with latest as (
    select run_id from {{ ref('int_screening_latest_run') }}
),

counterparties as (
    select c.*
    from {{ ref('stg_screening__counterparties') }} as c
    inner join latest as l on c.run_id = l.run_id
),

best_listed_alert as (
    select
        counterparty_id,
        entity_remarks,
        row_number() over (
            partition by counterparty_id order by score desc, entity_key nulls last
        ) as rank
    from {{ ref('int_screening_matches') }}
    where decision = 'alert' and entity_basis = 'listed'
),

established as (
    select
        counterparty_id,
        {{ try_parse_date(regexp_group(
            'entity_remarks', established_pattern, 1), "'%d %b %Y'") }} as established_on
    from best_listed_alert
    where rank = 1
),

addresses as (
    select 'counterparty' as side, counterparty_id as owner_key, address as address_text
    from counterparties
    where address is not null
    union all
    select 'listed' as side, a.entity_key as owner_key, a.full_address as address_text
    from {{ ref('dim_sanctioned_address') }} as a
    inner join {{ ref('dim_sanctioned_entity') }} as e
        on a.entity_key = e.entity_key and e.is_active
    where a.full_address is not null
),

normalised as (
    select
        side,
        owner_key,
        trim({{ regexp_replace_all(
            'lower(' ~ strip_accents('address_text') ~ ')', "'[[:punct:][:space:]]+'", "' '"
        ) }}) as address_norm
    from addresses
),

comparable as (
    select distinct side, owner_key, address_norm
    from normalised
    where length(address_norm) - length(replace(address_norm, ' ', '')) >= 2
),

shared_pairs as (
    select distinct c.owner_key as counterparty_id, l.owner_key as entity_key
    from comparable as c
    inner join comparable as l on c.address_norm = l.address_norm
    where c.side = 'counterparty' and l.side = 'listed'
),

shared as (
    select
        counterparty_id,
        count(*) as shared_address_listed_n,
        {{ sorted_listagg('entity_key', "';'") }} as shared_address_entity_keys
    from shared_pairs
    group by counterparty_id
),

named as (
    select
        counterparty_id,
        nullif(coalesce(
            nullif({{ regexp_group('lower(counterparty_name)', forwarder_pattern, 1) }}, ''),
            regexp_extract(lower(counterparty_name), '(торгов[а-я]* дом|логисти[а-я]*|экспедир[а-я]*|транспорт[а-я]*|карго|贸易|貿易|物流|货运|貨運|进出口|進出口)', 1)
        ), '') as forwarder_name_word
    from counterparties
)

select
    c.run_id,
    c.counterparty_id,
    c.counterparty_name,
    c.country_iso2,
    c.country_iso3,
    c.address,
    c.counterparty_type,
    coalesce(c.incorporation_date, e.established_on) as incorporation_date,
    case
        when c.incorporation_date is not null then 'counterparty_file'
        when e.established_on is not null then 'list_remarks'
    end as incorporation_date_source,
    coalesce(r.is_transit or r.is_russia_belarus, false) as is_high_risk_jurisdiction,
    coalesce(
        coalesce(c.incorporation_date, e.established_on) > date '2022-02-24'
        and not coalesce(r.is_coalition, false),
        false
    ) as is_new_entity,
    n.forwarder_name_word,
    n.forwarder_name_word is not null as is_forwarder_name,
    coalesce(s.shared_address_listed_n, 0) as shared_address_listed_n,
    s.shared_address_entity_keys,
    c.input_issues,
    c.source_file,
    c.file_sha256,
    c.source_line
from counterparties as c
left join established as e on c.counterparty_id = e.counterparty_id
left join {{ ref('int_screening_country_risk') }} as r on c.country_iso3 = r.iso3
left join shared as s on c.counterparty_id = s.counterparty_id
left join named as n on c.counterparty_id = n.counterparty_id
