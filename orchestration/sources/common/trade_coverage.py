"""The run summary's account of the trade files: per source and file, what was read, loaded,
quarantined, left out by design and reached the marts (marts.fct_data_coverage)."""

from __future__ import annotations

from pathlib import Path

import duckdb

_QUERY = """
    select source, source_file, rows_read, rows_loaded, rows_quarantined,
           values_excluded_by_design, values_in_fct_trade_flows, values_in_default_series,
           values_in_hs6_rollup, values_unaccounted, exclusion_reasons
    from marts.fct_data_coverage
    order by source, source_file
"""


def coverage_lines(database: Path) -> list[str]:
    """One line per trade file of the published warehouse; nothing when it has no coverage
    mart (a warehouse built before it existed)."""
    if not database.exists():
        return []
    with duckdb.connect(str(database), read_only=True) as con:
        found = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'marts' and table_name = 'fct_data_coverage'"
        ).fetchall()[0][0]
        if not found:
            return []
        rows = con.execute(_QUERY).fetchall()
    lines = []
    for (source, path, read, loaded, quarantined, excluded, in_fct, default, rollup,
         unaccounted, reasons) in rows:  # fmt: skip
        line = (
            f"  {source} {path}: read {read:,}, loaded {loaded:,}, quarantined {quarantined:,}, "
            f"excluded by design {excluded:,}, in fct_trade_flows {in_fct:,} (default series "
            f"{default:,}, HS6 roll-up {rollup:,})"
        )
        if unaccounted:
            line += f", UNACCOUNTED {unaccounted:,}"
        if reasons:
            line += f" [{reasons}]"
        lines.append(line)
    return lines
