-- Aliases from alt.csv and, for releases published without alt.csv, from the "a.k.a. 'X'"
-- phrases OFAC also writes into the remarks of sdn.csv. fka are former names; weak aliases are
-- not marked in the legacy CSV.
with alt as (
    select
        cast(ent_num as varchar) as source_id,
        release_date,
        alt_name as name,
        case lower(alt_type) when 'fka' then 'former' else 'alias' end as name_kind,
        'alt.csv' as origin,
        source_file,
        source_line
    from {{ source('ofac_sdn', 'alt') }}
),

from_remarks as (
    select
        source_id,
        release_date,
        unnest(regexp_extract_all(remarks, '([afn])\.k\.a\. ''([^'']+)''', 2)) as name,
        unnest(regexp_extract_all(remarks, '([afn])\.k\.a\. ''([^'']+)''', 1)) as kind_letter,
        source_file,
        source_line
    from {{ ref('stg_ofac_sdn__entries') }}
    where remarks like '%.k.a. %'
),

remark_aliases as (
    select
        r.source_id,
        r.release_date,
        r.name,
        case r.kind_letter when 'f' then 'former' else 'alias' end as name_kind,
        'sdn.csv remarks' as origin,
        r.source_file,
        r.source_line
    from from_remarks as r
    -- Only where the release has no alt.csv: otherwise the same names are already there.
    where not exists (select 1 from alt where alt.release_date = r.release_date)
)

select * from alt
union all
select * from remark_aliases
