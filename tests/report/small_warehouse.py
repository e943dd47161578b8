"""A published warehouse written by hand: a few rows in each mart the report reads, values chosen
so the expected figures can be worked out by reading this file."""

from __future__ import annotations

from pathlib import Path

import duckdb

FORMULA_NAME = '=HYPERLINK("http://example.invalid/x","click me")'

TABLES = """
create schema marts; create schema raw;
create table marts.fct_country_exposure (country_iso3 varchar, year integer, month integer,
  basket varchar, frequency varchar, sources varchar, coalition_imports_usd double,
  coalition_imports_baseline_usd double, coalition_imports_growth double,
  exports_to_russia_usd double, exports_to_russia_baseline_usd double,
  exports_to_russia_growth double, baseline_years varchar, coalition_imports_observed boolean,
  exports_to_russia_observed boolean, chpl_list_version varchar, hs_version varchar);
create table marts.fct_russia_chpl_suppliers (year integer, month integer, frequency varchar,
  sources varchar, basket varchar, origin_iso3 varchar, origin_is_coalition boolean,
  origin_is_transit boolean, exports_to_russia_usd double, russia_imports_usd double,
  supplier_share double, supplier_rank bigint, origin_count bigint, hhi double,
  is_partial_year boolean, chpl_list_version varchar);
create table marts.fct_transit_offset (year integer, month integer, frequency varchar,
  basket varchar, product_level varchar, hs6 varchar, hs_version varchar, sources varchar,
  transit_net_change_usd double, transit_increase_usd double,
  coalition_exports_to_russia_usd double, coalition_exports_to_russia_baseline_usd double,
  coalition_drop_to_ru_usd double, transit_offset_ratio double, offset_flag boolean,
  transit_countries_increasing bigint, baseline_years varchar, hs_mapping_flag varchar);
create table marts.dim_product (hs6 varchar, hs_version varchar, description varchar);
create table marts.fct_sanctions_list_changes (list varchar, release_date date,
  entity_key varchar, source_id varchar, change varchar, fields_changed varchar[]);
create table marts.dim_sanctioned_entity (entity_key varchar, list varchar, source_id varchar,
  primary_name varchar, source_file varchar, source_line bigint);
create table marts.fct_company_exposure (counterparty_id varchar, counterparty_name varchar,
  risk_rank bigint, risk_score double, is_listed boolean, is_owned_50 boolean,
  best_score double, best_list varchar, n_red_flags integer, revenue_at_risk_usd double,
  run_id varchar, source_file varchar, source_line bigint);
create table marts.fct_screening_matches (counterparty_id varchar, counterparty_name varchar,
  list varchar, source_id varchar, matched_name varchar, score double, decision varchar,
  features varchar, programs varchar[], source_file varchar, source_line bigint);
create table raw.ingested_files (source varchar, raw_table varchar, source_file varchar,
  release_date date, file_sha256 varchar, row_count bigint, quarantined bigint,
  ingested_at timestamp);
"""

ROWS = """
-- Kyrgyzstan: coalition imports 100 a year before the war, 300 in 2023 (growth 2.0);
-- Armenia flat at 200 (growth 0).
insert into marts.fct_country_exposure
select c, y, null, 'chpl', 'A', 'baci', v, case c when 'KGZ' then 100.0 else 200.0 end,
       case when y = 2023 then g end, r, 10, case when y = 2023 then rg end, '2019-2021',
       true, true, '2024-02-23', 'HS2017'
from (values ('KGZ', 2019, 100.0, null::double, 10.0, null::double),
             ('KGZ', 2023, 300.0, 2.0, 200.0, 19.0),
             ('ARM', 2019, 200.0, null, 10.0, null),
             ('ARM', 2023, 200.0, 0.0, 10.0, 0.0)) t(c, y, v, g, r, rg);
insert into marts.fct_russia_chpl_suppliers values
  (2023, null, 'A', 'baci', 'chpl', 'CHN', false, true, 60, 100, 0.60, 1, 3, 0.445, false, 'v'),
  (2023, null, 'A', 'baci', 'chpl', 'HKG', false, true, 25, 100, 0.25, 2, 3, 0.445, false, 'v'),
  (2023, null, 'A', 'baci', 'chpl', 'DEU', true, false, 15, 100, 0.15, 3, 3, 0.445, false, 'v'),
  (2022, null, 'A', 'baci', 'chpl', 'CHN', false, true, 50, 100, 0.50, 1, 2, 0.5, false, 'v'),
  (2022, null, 'A', 'baci', 'chpl', 'DEU', true, false, 50, 100, 0.50, 1, 2, 0.5, false, 'v'),
  -- a partial year is not the page's year
  (2024, 3, 'A', 'baci', 'chpl', 'TUR', false, true, 9, 9, 1.0, 1, 1, 1.0, true, 'v');
insert into marts.fct_transit_offset values
  (2023, null, 'A', 'chpl', 'hs6', '854231', 'HS2017', 'baci', 5e6, 6e6, 2e6, 10e6, 8e6, 0.75,
   true, 2, '2019-2021', 'exact'),
  (2023, null, 'A', 'chpl', 'hs6', '847130', 'HS2017', 'baci', 3e6, 3e6, 1e6, 2e6, 1e6, 3.0,
   true, 1, '2019-2021', 'exact'),
  (2023, null, 'A', 'chpl', 'basket', null, 'HS2017', 'baci', 8e6, 9e6, 3e6, 12e6, 9e6, 1.0,
   true, 2, '2019-2021', 'exact');
insert into marts.dim_product values ('854231', 'HS2017', 'Processors and controllers'),
  ('847130', 'HS2017', 'Portable computers');
insert into marts.fct_sanctions_list_changes values
  ('ofac_sdn', '2023-12-28', 'k1', '101', 'added', null),
  ('ofac_sdn', '2023-12-28', 'k2', '102', 'added', null),
  ('ofac_sdn', '2023-12-28', 'k3', '103', 'modified', ['programs']);
insert into marts.dim_sanctioned_entity values
  ('k1', 'ofac_sdn', '101', 'ALPHA LLC', '/data/sanctions/ofac_sdn/2023-12-28/sdn.csv', 5),
  ('k2', 'ofac_sdn', '102', 'BETA OOO', '/data/sanctions/ofac_sdn/2023-12-28/sdn.csv', 6),
  ('k3', 'ofac_sdn', '103', 'GAMMA AO', '/data/sanctions/ofac_sdn/2023-12-28/sdn.csv', 7);
insert into marts.fct_company_exposure values
  ('c1', 'Beta Trading', 1, 0.92, true, false, 0.97, 'ofac_sdn', 2, 5000, 'r1',
   '/data/counterparties.csv', 2),
  ('c2', '{formula}', 2, 0.40, false, false, 0.81, 'ofac_sdn', 1, 0, 'r1',
   '/data/counterparties.csv', 3);
insert into marts.fct_screening_matches values
  ('c1', 'Beta Trading', 'ofac_sdn', '102', 'BETA OOO', 0.97, 'alert',
   '{{"name": 0.97, "country": true}}', ['RUSSIA-EO14024'], '/data/counterparties.csv', 2),
  ('c2', '{formula}', 'ofac_sdn', '101', 'ALPHA LLC', 0.81, 'review',
   '{{"name": 0.81}}', ['RUSSIA-EO14024'], '/data/counterparties.csv', 3);
insert into raw.ingested_files values
  ('baci', 'raw.baci__trade', 'trade/baci/BACI_HS17_Y2023_V202601.csv', null, 'ab', 10, 0,
   '2026-01-01 00:00:00'),
  ('ofac_sdn', 'raw.ofac_sdn__sdn', 'sanctions/ofac_sdn/2023-12-28/sdn.csv', '2023-12-28',
   'cd', 3, 0, '2026-01-01 00:00:00');
"""


def write(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute(TABLES)
        con.execute(ROWS.replace("'{formula}'", "'" + FORMULA_NAME.replace("'", "''") + "'")
                    .replace("{{", "{").replace("}}", "}"))  # fmt: skip
    return path
