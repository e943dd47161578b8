{{ union_sanctions_table('names', ['list', 'source_id', 'name', 'name_kind', 'script']) }}
