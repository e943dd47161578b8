-- Identifiers that OFAC writes into the remarks of sdn.csv as "<label> <value> (<country>)",
-- one per ';'-separated item; the labels we recognise are in the seed ref_ofac_id_label.
with pieces as (
    select
        source_id,
        release_date,
        {{ unnest_split('remarks', "';'") }} as piece,
        source_file,
        source_line
    from {{ ref('stg_ofac_sdn__entries') }}
    where remarks is not null
),

items as (
    select
        source_id,
        release_date,
        trim(piece) as item,
        -- the item without the "alt. " an alternative identifier starts with
        {{ regexp_replace_all('trim(piece)', "'^alt\. '", "''") }} as item_without_alt,
        source_file,
        source_line
    from pieces
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
        on left(i.item_without_alt, length(l.label) + 1) = l.label || ' '
)

select
    source_id,
    release_date,
    id_type,
    label as id_type_raw,
    {{ trim_characters(regexp_group(
        'substr(item_without_alt, length(label) + 2)',
        "'^(?:No\.\s+)?(.+?)(?:\s+\(([^()]*)\))?\.?$'", 1
    ), "'.,'", 'trailing') }} as id_value,
    nullif({{ regexp_group('item', "'\(([^()]+)\)\.?$'", 1) }}, '') as issuing_country_name,
    source_file,
    source_line
from labelled
where label_rank = 1
