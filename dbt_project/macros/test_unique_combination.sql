{#- The rows of a key (columns) held more than once, with their count. In two stages, because
    grouping a big table by a dozen columns is slow (77 million BACI rows: 24 s, and
    fct_trade_flows has two such keys) while grouping by one hash of them is not (7 s): first the
    hashes held more than once, then the exact grouping of those rows only. Equal keys have
    equal hashes, so no duplicate is missed; rows that only share a hash drop out in the exact
    stage. When no hash repeats, as in a clean table, the second stage reads nothing
    (docs/benchmarks.md, "Key tests by hash"). -#}
{% test unique_combination(model, columns) %}
with repeated_hashes as (
    select hashed.key_hash
    from (select {{ key_hash(columns) }} as key_hash from {{ model }}) as hashed
    group by hashed.key_hash
    having count(*) > 1
)

select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
where {{ key_hash(columns) }} in (select key_hash from repeated_hashes)
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
