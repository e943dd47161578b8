-- Listed entities of every list parsed into the shared shape (OpenSanctions: targets only).
{{ union_sanctions_table('entities', ['list', 'source_id', 'schema', 'primary_name', 'programs',
                                       'listed_on', 'remarks', 'country_iso2']) }}
