-- EU27 trade by membership: per Comext cell (partner, flow, product as published, period), the
-- sum of the 27 member states of the EU27 2020 composition (ref_country_group eu27, version
-- 2020-02-01) for every period, 2019 included, beside the EU27 aggregate row as Eurostat
-- publishes it and the United Kingdom's own declaration, which is never part of the sum.
-- Aggregate reporters (EU, euro area) are not added to anything. Two series:
-- - series = 'vintage': each vintage on its own (of two files of one vintage, the one loaded
--   last), so a published figure can be reproduced from the vintage it was computed from;
-- - series = 'default': the default series (fct_trade_flows.is_latest_vintage), cell by cell;
--   vintages_mixed says when its members come from more than one vintage.
{% set cell = 'frequency, year, month, partner_code, partner_iso3, partner_is_country, flow,
    product_level, product_code, hs_version' %}
{# The sums of a cell, the same in both series. #}
{% set sums -%}
    sum(case when is_member then value_eur end) as eu27_members_eur,
        sum(case when is_member then value_usd end) as eu27_members_usd,
        cast(count(distinct case when is_member then reporter_iso3 end) as integer)
            as eu27_member_count,
        sum(case when reporter_code = 'EU27_2020' then value_eur end) as eu27_published_eur,
        sum(case when reporter_iso3 = 'GBR' then value_eur end) as uk_eur
{%- endset %}

with members as (
    select iso3 from {{ ref('ref_country_group') }}
    where group_name = 'eu27' and group_version = '2020-02-01'
),

comext as (
    select
        f.*,
        m.iso3 is not null as is_member,
        row_number() over (
            partition by f.vintage, f.frequency, f.year, f.month, f.reporter_code, f.partner_code,
                f.flow, f.product_code, f.hs_version
            order by f.loaded_at desc, f.source_file desc
        ) as file_rank
    from {{ ref('fct_trade_flows') }} as f
    left join members as m on f.reporter_iso3 = m.iso3
    where f.source = 'comext'
),

by_vintage as (
    select
        'vintage' as series,
        vintage,
        {{ cell }},
        {{ sums }},
        false as vintages_mixed
    from comext
    where file_rank = 1
    group by vintage, {{ cell }}
),

default_series as (
    select
        'default' as series,
        max(case when is_member then vintage end) as vintage,
        {{ cell }},
        {{ sums }},
        count(distinct case when is_member then vintage end) > 1 as vintages_mixed
    from comext
    where is_latest_vintage
    group by {{ cell }}
),

both_series as (
    select * from by_vintage
    union all
    select * from default_series
)

select
    *,
    eu27_members_eur - eu27_published_eur as members_minus_published_eur
from both_series
where eu27_member_count > 0 or eu27_published_eur is not null
