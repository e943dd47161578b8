-- Every change a vintage made to the one before it: per source, cell (frequency, period,
-- reporter, partner, flow, HS edition, product code as published) and pair of consecutive
-- vintages, the two values and the revision, with revision_kind:
--   revised  the cell is in both vintages (revision_usd may be 0: confirmed unchanged);
--   added    the later vintage has the cell, the earlier lacks it;
--   dropped  the earlier vintage has the cell, the later lacks it.
-- Vintages are compared where both cover the data: within a scope (source, frequency, period,
-- product level, HS edition, reporter), consecutive vintages are those holding any cell of that
-- scope. So a later file of member totals does not "drop" the CN8 detail of an earlier extract,
-- and a vintage that starts in 2024 does not "drop" 2019. Of two files of one vintage, the one
-- loaded last speaks for it (as in the default series). For added and dropped cells the missing
-- side counts as 0 in revision_usd, so the revisions of a scope add up to the change of its
-- total between the two vintages.
{% set scope = ['source', 'frequency', 'year', 'month', 'product_level', 'hs_version',
    'reporter_code'] %}
{% set cell = scope + ['partner_code', 'exporter_iso3', 'importer_iso3', 'flow',
    'product_code'] %}

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
            {{ cell | join(', ') }}, vintage, vintage_basis, source_file, value_usd, value_eur,
            row_number() over (
                partition by {{ cell | join(', ') }}, vintage
                order by loaded_at desc, source_file desc
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

scope_pairs as (
    select *
    from (
        select
            {{ scope | join(', ') }},
            lag(vintage) over (partition by {{ scope | join(', ') }} order by vintage nulls last)
                as previous_vintage,
            vintage
        from (select distinct {{ scope | join(', ') }}, vintage from per_vintage) as covered
    ) as consecutive
    where previous_vintage is not null
),

-- Each pair's cells from both sides; a cell one side lacks has one row only.
sides as (
    select
        {% for column in cell %}c.{{ column }}, {% endfor %}
        p.previous_vintage, p.vintage, c.vintage = p.vintage as is_later, c.vintage_basis,
        c.source_file, c.value_usd, c.value_eur
    from scope_pairs as p
    inner join per_vintage as c
        on c.vintage in (p.previous_vintage, p.vintage)
        {% for column in scope %}
        and c.{{ column }} is not distinct from p.{{ column }}
        {% endfor %}
),

compared as (
    select
        {{ cell | join(', ') }},
        previous_vintage,
        vintage,
        max(case when is_later then vintage_basis end) as vintage_basis,
        max(case when not is_later then source_file end) as previous_source_file,
        max(case when is_later then source_file end) as source_file,
        max(case when not is_later then value_usd end) as previous_value_usd,
        max(case when not is_later then value_eur end) as previous_value_eur,
        max(case when is_later then value_usd end) as value_usd,
        max(case when is_later then value_eur end) as value_eur,
        case
            when bool_or(is_later) and bool_or(not is_later) then 'revised'
            when bool_or(is_later) then 'added'
            else 'dropped'
        end as revision_kind
    from sides
    group by {{ cell | join(', ') }}, previous_vintage, vintage
)

select
    *,
    case when value_usd is not null or previous_value_usd is not null
        then coalesce(value_usd, 0) - coalesce(previous_value_usd, 0) end as revision_usd,
    case when value_eur is not null or previous_value_eur is not null
        then coalesce(value_eur, 0) - coalesce(previous_value_eur, 0) end as revision_eur,
    case when previous_value_usd <> 0
        then (coalesce(value_usd, 0) - previous_value_usd) / previous_value_usd
    end as revision_share
from compared
