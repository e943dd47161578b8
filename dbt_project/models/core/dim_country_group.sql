select
    iso3,
    group_name,
    group_version,
    source as group_source
from {{ ref('ref_country_group') }}
