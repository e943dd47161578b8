{{ union_sanctions_table('addresses', ['list', 'source_id', 'full_address', 'street', 'city',
                                        'region', 'postal_code', 'country_name',
                                        'country_iso2']) }}
