"""The ofac_sdn source: its YAML (ofac_sdn.yml) and parser code."""
