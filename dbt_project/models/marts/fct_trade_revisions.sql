-- How much each vintage revised the one before: per source, cell (frequency, period, reporter,
-- partner, flow, HS edition, product code as published) and pair of consecutive vintages that
-- both have the cell, the two values and the revision. Of two files of one vintage, the one
-- loaded last speaks for it (as in the default series). A cell one vintage has and the next
-- lacks is not a revision here: fct_trade_series_vintages shows where the default series takes
-- a period from an older vintage.
{% set cell = 'source, frequency, year, month, reporter_code, partner_code, exporter_iso3,
    importer_iso3, flow, product_level, product_code, hs_version' %}

-- A cell lies in one partition (its source, frequency, period and HS edition), so only a
-- partition holding two vintages or more can hold a revision: the others (every BACI year with
-- one version loaded) are left out before the rows are ranked, which would sort them all.
with revised_partitions as (
    select source, frequency, year, month, hs_version
    from {{ ref('fct_trade_flows') }}
    group by all
    having count(distinct vintage) > 1
),

per_vintage as (
    select *
    from (
        select
            {{ cell }}, vintage, vintage_basis, source_file, value_usd, value_eur,
            row_number() over (
                partition by {{ cell }}, vintage order by loaded_at desc, source_file desc
            ) as file_rank
        from {{ ref('fct_trade_flows') }} as f
        where exists (
            select 1 from revised_partitions as r
            where f.source is not distinct from r.source
              and f.frequency is not distinct from r.frequency
              and f.year is not distinct from r.year
              and f.month is not distinct from r.month
              and f.hs_version is not distinct from r.hs_version
        )
    ) as ranked
    where file_rank = 1
),

paired as (
    select
        {{ cell }},
        lag(vintage) over (partition by {{ cell }} order by vintage) as previous_vintage,
        lag(source_file) over (partition by {{ cell }} order by vintage) as previous_source_file,
        lag(value_usd) over (partition by {{ cell }} order by vintage) as previous_value_usd,
        lag(value_eur) over (partition by {{ cell }} order by vintage) as previous_value_eur,
        vintage,
        vintage_basis,
        source_file,
        value_usd,
        value_eur
    from per_vintage
)

select
    *,
    value_usd - previous_value_usd as revision_usd,
    value_eur - previous_value_eur as revision_eur,
    case when previous_value_usd <> 0
        then (value_usd - previous_value_usd) / previous_value_usd end as revision_share
from paired
where previous_vintage is not null
