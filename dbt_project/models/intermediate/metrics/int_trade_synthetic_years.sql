-- Which source-years of the trade flows come from generated files (is_synthetic), so that the
-- metric marts can mark every row derived from them: a row of year Y reads year Y and the
-- baseline years of its source (macro synthetic_flag).
select
    source,
    year,
    bool_or(is_synthetic) as is_synthetic
from {{ ref('fct_trade_flows') }}
group by source, year
