-- One row per entry and release. Programs come as "A] [B" without the outer brackets.
with source as (
    select * from {{ source('ofac_sdn', 'sdn') }}
)

select
    cast(ent_num as string) as source_id,
    release_date,
    sdn_name as primary_name,
    case lower(coalesce(sdn_type, ''))
        when 'individual' then 'person'
        when 'vessel' then 'vessel'
        when 'aircraft' then 'aircraft'
        when '' then 'organization'
        else 'unknown'
    end as schema,
    {{ split_trimmed('program', "'] ['", "'[] '") }} as programs,
    title,
    call_sign,
    vess_type as vessel_type,
    vess_flag as vessel_flag,
    vess_owner as vessel_owner,
    remarks,
    source_file,
    file_sha256,
    source_line
from source
