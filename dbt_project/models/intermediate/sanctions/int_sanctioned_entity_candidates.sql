-- Every entity of every list release from every source, before one source is chosen per
-- list release. OFAC's legacy CSV joins the sources parsed into the shared shape here.
--
-- OFAC's CSV has no country or listing-date field: an entity's countries are those of its
-- addresses in the release (carried ones included), and its listing date is the earliest
-- "Listing Date (<program or directive>): 24 Feb 2022" its remarks give, where they give one.
with ofac_countries as (
    select
        source_id,
        release_date,
        {{ sorted_distinct_list('country_iso2') }} as country_iso2
    from {{ ref('int_ofac_sdn_addresses') }}
    where country_iso2 is not null
    group by source_id, release_date
),

ofac as (
    select
        e.*,
        {{ earliest_date_matched(
            'e.remarks', "'Listing Date \([^()]*\):? (\d{1,2} [A-Z][a-z]{2} \d{4})'",
            "'%d %b %Y'"
        ) }} as listed_on,
        c.country_iso2
    from {{ ref('stg_ofac_sdn__entries') }} as e
    left join ofac_countries as c
        on e.source_id = c.source_id and e.release_date = c.release_date
)

select
    'ofac_sdn_csv' as source_name,
    {{ ofac_csv_priority() }} as source_priority,
    'ofac_sdn' as list,
    source_id,
    schema,
    primary_name,
    programs,
    listed_on,
    remarks,
    country_iso2,
    release_date,
    source_file,
    source_line
from ofac
union all
select
    source_name, source_priority, list, source_id, schema, primary_name, programs, listed_on,
    remarks, country_iso2, release_date, source_file, source_line
from {{ ref('stg_sanctions_lists__entities') }}
