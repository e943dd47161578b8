-- For each release of OFAC's SDN CSV, the release its addresses (add.csv) and strong aliases
-- (alt.csv) come from: its own when its folder holds the file, else the latest earlier release
-- that did. OFAC's sdn.csv is often fetched or published alone; without this, every release
-- published that way would show its entities without the aliases and addresses they still have.
-- Only releases that also hold sdn.csv count as a place to take details from: the address and
-- alias rows of a release without sdn.csv cannot be tied to an entry (they are in quarantine).
with sdn_releases as (
    select distinct release_date from {{ ref('stg_ofac_sdn__entries') }}
),

detail_releases as (
    select distinct 'address' as detail, release_date from {{ ref('stg_ofac_sdn__addresses') }}
    union all
    select distinct 'alias' as detail, release_date
    from {{ ref('stg_ofac_sdn__aliases') }}
    where origin = 'alt.csv'
)

select
    s.release_date,
    d.detail,
    max(d.release_date) as from_release
from sdn_releases as s
inner join detail_releases as d
    on d.release_date <= s.release_date
inner join sdn_releases as complete
    on d.release_date = complete.release_date
group by s.release_date, d.detail
