-- Hits of the latest screening run that the previous configured run did not have, and why:
-- list_change (the counterparty's record is unchanged, so a list release brought the hit),
-- counterparty_change (new or edited counterparty) or first_screening.
select
    m.run_id,
    m.previous_run_id,
    m.screened_at,
    m.new_hit_cause,
    m.counterparty_id,
    m.counterparty_name,
    m.entity_key,
    m.list,
    m.source_id,
    m.matched_name,
    m.score,
    m.decision,
    m.features,
    m.entity_basis,
    m.entity_primary_name,
    {{ list_to_string('m.programs', "';'") }} as programs,
    m.listed_on,
    m.entity_first_release,
    m.source_file,
    m.file_sha256,
    m.source_line
from {{ ref('int_screening_matches') }} as m
where m.is_new_hit
