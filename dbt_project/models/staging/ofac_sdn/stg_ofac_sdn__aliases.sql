-- Names from alt.csv (OFAC's strong aliases: aka, and fka as former names) and the weak
-- aliases OFAC writes only into the remarks of sdn.csv ("a.k.a. 'X'"). A quoted name may itself
-- hold an apostrophe (a.k.a. 'P'U LI'), so a name ends at a quote followed by ; . , or the end.
with alt as (
    select
        cast(ent_num as string) as source_id,
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
        {{ unnest_regexp_groups(
            'remarks',
            "'([afn])\.k\.a\. ''(.+?)''(?:[;.,)]|$)'",
            [('name', 2), ('kind_letter', 1)]
        ) }},
        source_file,
        source_line
    from {{ ref('stg_ofac_sdn__entries') }}
    where remarks like '%.k.a. %'
),

weak as (
    select
        source_id,
        release_date,
        name,
        case kind_letter when 'f' then 'former' else 'weak_alias' end as name_kind,
        'sdn.csv remarks' as origin,
        source_file,
        source_line
    from from_remarks
)

select * from alt
union all
select * from weak
