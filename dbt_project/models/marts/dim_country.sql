with groups as (
    select
        iso3,
        max(case when group_name = 'eu27' then 1 else 0 end) as is_eu27,
        max(case when group_name = 'coalition' then 1 else 0 end) as is_coalition,
        max(case when group_name = 'transit' then 1 else 0 end) as is_transit
    from {{ ref('ref_country_group') }}
    group by iso3
),

-- BACI keeps codes of former territories (58 Belgium-Luxembourg, 280 West Germany, 736 Sudan
-- before 2011) under the current ISO3: the current code represents the country.
current_codes as (
    select
        *,
        row_number() over (
            partition by iso3
            order by case when name like '%(...%' then 1 else 0 end, baci_code
        ) as code_rank
    from {{ ref('stg_baci__countries') }}
)

select
    c.iso3,
    c.iso2,
    cast(null as integer) as m49,
    c.baci_code,
    cast(null as integer) as comtrade_code,
    c.name,
    coalesce(g.is_eu27, 0) = 1 as is_eu27,
    coalesce(g.is_coalition, 0) = 1 as is_coalition,
    coalesce(g.is_transit, 0) = 1 as is_transit
from current_codes as c
left join groups as g on c.iso3 = g.iso3
where c.code_rank = 1
