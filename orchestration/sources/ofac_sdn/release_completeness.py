"""Rows of add.csv and alt.csv whose entity is not in the sdn.csv of the same release.

OFAC publishes the three files together; a release folder missing sdn.csv (a download that
stopped after the first files) or whose sdn.csv lacks entities the other two name is
incomplete. Its address and alias rows cannot be tied to an entry: they go to quarantine with
the reason, the release is reported incomplete, and everything else is published. The models
read addresses and aliases only for entities of the same release (int_ofac_sdn_details), so
these rows never reach a mart.

Run after every load of the source, over all its releases: a later delivery of the missing
sdn.csv releases the rows from quarantine.
"""

from __future__ import annotations

import duckdb

from orchestration.raw.sql import run, table_exists

# raw.writer's table; imported from there it would load the raw layer while the source
# registry that layer reads is still being built.
QUARANTINE_TABLE = "raw.quarantine"

REASON = "entity {ent} is not in the sdn.csv of release {release}"
_PREFIX = "entity % is not in the sdn.csv of release %"

# table -> its columns in file order, for the quarantined row's text
_DETAIL_COLUMNS = {
    "add": ["ent_num", "add_num", "address", "city_state_postal", "country", "add_remarks"],
    "alt": ["ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks"],
}


def quarantine_orphans(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Write the orphan rows to quarantine (replacing the ones of earlier runs); returns one
    note per incomplete release."""
    if not all(table_exists(con, f"raw.ofac_sdn__{t}") for t in ("sdn", *_DETAIL_COLUMNS)):
        return []
    run(con, "begin transaction")
    try:
        run(
            con,
            f"delete from {QUARANTINE_TABLE} where source = 'ofac_sdn' and reason like ?",
            [_PREFIX],
        )
        for table, columns in _DETAIL_COLUMNS.items():
            text = " || ',' || ".join(f"coalesce(cast(d.{c} as varchar), '-0- ')" for c in columns)
            run(
                con,
                f"""insert into {QUARANTINE_TABLE} by name
                    select d.source, '{table}' as raw_table, d.release_date, d.source_file,
                           d.file_sha256, d.source_line,
                           'entity ' || d.ent_num || ' is not in the sdn.csv of release '
                               || strftime(d.release_date, '%Y-%m-%d')
                               || case when s.has_sdn then '' else ' (the release has no sdn.csv)'
                                  end as reason,
                           {text} as raw_text
                    from raw.ofac_sdn__{table} as d
                    left join (select distinct release_date, true as has_sdn
                               from raw.ofac_sdn__sdn) as s using (release_date)
                    where not exists (
                        select 1 from raw.ofac_sdn__sdn as e
                        where e.release_date = d.release_date and e.ent_num = d.ent_num
                    )""",
            )
        notes = con.execute(
            f"""select strftime(release_date, '%Y-%m-%d'), count(*),
                       bool_or(reason like '%(the release has no sdn.csv)')
                from {QUARANTINE_TABLE}
                where source = 'ofac_sdn' and reason like ?
                group by 1 order by 1""",
            [_PREFIX],
        ).fetchall()
        run(con, "commit")
    except BaseException:
        run(con, "rollback")
        raise
    return [
        f"ofac_sdn release {release} is incomplete: "
        + ("no sdn.csv; " if no_sdn else "")
        + f"{n:,} address or alias rows name entities its sdn.csv lacks (quarantined)"
        for release, n, no_sdn in notes
    ]
