-- OFAC SDN addresses per entity and release: the release's own add.csv rows, or, for a release
-- published without add.csv, the rows of the latest release that had one (is_carried), for the
-- entities still listed. Rows naming an entity the release's sdn.csv lacks are left out (they
-- are in quarantine). Lineage stays that of the row's own file and line.
select
    e.source_id,
    e.release_date,
    a.address_id,
    a.street,
    a.city,
    a.country_name,
    a.country_iso2,
    a.full_address,
    a.remarks,
    m.from_release <> e.release_date as is_carried,
    case when m.from_release <> e.release_date then m.from_release end as carried_from_release,
    a.source_file,
    a.file_sha256,
    a.source_line
from {{ ref('stg_ofac_sdn__entries') }} as e
inner join {{ ref('int_ofac_sdn_detail_sources') }} as m
    on m.release_date = e.release_date and m.detail = 'address'
inner join {{ ref('stg_ofac_sdn__addresses') }} as a
    on a.source_id = e.source_id and a.release_date = m.from_release
