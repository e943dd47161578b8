"""Reading the published warehouse for the report: which marts and columns exist, the column
comments dbt persisted, and the input files (with their vintages) behind a set of sources."""

from __future__ import annotations

import duckdb

from orchestration.report.model import Table


class Marts:
    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        rows = con.execute(
            "select schema_name || '.' || table_name, column_name, comment "
            "from duckdb_columns() where schema_name in ('marts', 'raw')"
        ).fetchall()
        self._columns: dict[str, list[str]] = {}
        self.comments: dict[tuple[str, str], str] = {}
        for table, column, comment in rows:
            self._columns.setdefault(table, []).append(column)
            if comment:
                self.comments[(table, column)] = comment

    def has(self, table: str, *columns: str) -> bool:
        present = self._columns.get(table)
        return present is not None and all(c in present for c in columns)

    def missing(self, table: str, *columns: str) -> list[str]:
        present = self._columns.get(table)
        if present is None:
            return [table]
        return [f"{table}.{c}" for c in columns if c not in present]

    def rows(self, sql: str, params: list | None = None) -> tuple[list[str], list[tuple]]:
        cursor = self.con.execute(sql, params or [])
        return [d[0] for d in cursor.description], cursor.fetchall()

    def describe(self, table: str, columns: list[str]) -> dict[str, str]:
        """The comments dbt persisted for these columns (empty where none was written)."""
        return {c: self.comments[(table, c)] for c in columns if (table, c) in self.comments}

    def any_synthetic(self, table: str) -> bool:
        if not self.has(table, "is_synthetic"):
            return False
        return bool(self.con.execute(f"select bool_or(is_synthetic) from {table}").fetchall()[0][0])

    def sources_table(self, page_id: str, sources: list[str]) -> Table:
        """The files loaded for these sources: release (vintage), sha256, rows, quarantined."""
        columns = ["source", "source_file", "release_date", "file_sha256", "row_count",
                   "quarantined", "ingested_at"]  # fmt: skip
        if not self.has("raw.ingested_files", *columns) or not sources:
            return Table(f"{page_id}-sources", columns, [], caption="no input file record")
        _, rows = self.rows(
            f"select {', '.join(columns)} from raw.ingested_files "
            "where source in (select unnest(?::varchar[])) order by source, source_file",
            [sorted(set(sources))],
        )
        versions = self._trade_versions(sources)
        caption = "Input files behind this page (raw.ingested_files)"
        if versions:
            caption += "; trade vintages: " + ", ".join(f"{s} {v}" for s, v in versions)
        return Table(f"{page_id}-sources", columns, rows, caption=caption)

    def _trade_versions(self, sources: list[str]) -> list[tuple[str, str]]:
        table = "marts.fct_trade_flows"
        column = next((c for c in ("vintage", "source_version") if self.has(table, c)), None)
        if column is None:
            return []
        _, rows = self.rows(
            f"select distinct source, cast({column} as varchar) from {table} "
            "where source in (select unnest(?::varchar[])) order by 1, 2",
            [sorted(set(sources))],
        )
        return rows


def split_sources(values: list[str | None]) -> list[str]:
    """The ``sources`` column of a metric mart lists the sources a row combines (``baci`` or
    ``comext,comtrade``)."""
    out: set[str] = set()
    for value in values:
        out.update(s.strip() for s in (value or "").split(",") if s.strip())
    return sorted(out)
