-- OFAC SDN addresses per entity and release: the release's own add.csv rows, or, for a release
-- published without add.csv, the rows of the latest release that had one (is_carried), for the
-- entities still listed. Rows naming an entity the release's sdn.csv lacks are left out (they
-- are in quarantine). Lineage stays that of the row's own file and line.
{{ ofac_sdn_carried(
    'address', ref('stg_ofac_sdn__addresses'),
    ['address_id', 'street', 'city', 'country_name', 'country_iso2', 'full_address', 'remarks'],
    ['source_file', 'file_sha256', 'source_line']
) }}
