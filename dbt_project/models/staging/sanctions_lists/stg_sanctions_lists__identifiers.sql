{{ union_sanctions_table('identifiers', ['list', 'source_id', 'id_type', 'id_value',
                                          'id_type_raw', 'issuing_country']) }}
