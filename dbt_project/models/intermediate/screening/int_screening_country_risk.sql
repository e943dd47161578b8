-- Country risk groups used by the screening marts: the FinCEN/BIS transshipment list with Hong
-- Kong (transit group), Russia and Belarus (high risk together), and the export control
-- coalition (GECC, E5 guidance of 2023-09-26) for the new-entity red flag.
with groups as (
    select iso3, group_name, group_version
    from {{ ref('dim_country_group') }}
)

select
    iso3,
    {{ group_flag('transit') }} as is_transit,
    max(case when group_name = 'russia_belarus' then 1 else 0 end) = 1 as is_russia_belarus,
    {{ group_flag('coalition') }} as is_coalition
from groups
group by iso3
