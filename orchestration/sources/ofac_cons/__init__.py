"""The ofac_cons source: its YAML (ofac_cons.yml) and parser code."""
