-- Identifiers that OFAC writes into the remarks of sdn.csv as "<label> <value> (<country>)",
-- one per ';'-separated item; the labels we recognise are in the seed ref_ofac_id_label.
with items as (
    select
        source_id,
        release_date,
        trim(unnest(string_split(remarks, ';'))) as item,
        source_file,
        source_line
    from {{ ref('stg_ofac_sdn__entries') }}
    where remarks is not null
),

labelled as (
    select
        i.*,
        l.label,
        l.id_type,
        row_number() over (
            partition by i.source_id, i.release_date, i.item order by length(l.label) desc
        ) as label_rank
    from items as i
    inner join {{ ref('ref_ofac_id_label') }} as l
        on starts_with(regexp_replace(i.item, '^alt\. ', ''), l.label || ' ')
)

select
    source_id,
    release_date,
    id_type,
    label as id_type_raw,
    rtrim(regexp_extract(
        substr(regexp_replace(item, '^alt\. ', ''), length(label) + 2),
        '^(?:No\.\s+)?(.+?)(?:\s+\(([^()]*)\))?\.?$', 1
    ), '.,') as id_value,
    nullif(regexp_extract(item, '\(([^()]+)\)\.?$', 1), '') as issuing_country_name,
    source_file,
    source_line
from labelled
where label_rank = 1
