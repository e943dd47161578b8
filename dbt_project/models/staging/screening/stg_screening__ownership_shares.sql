select
    run_id,
    list,
    entity_id,
    entity_key,
    regime,
    in_force,
    as_of,
    listed_owner_share,
    is_owned_50,
    direct_owners,
    source_file,
    file_sha256
from {{ source('screening', 'ownership_shares') }}
