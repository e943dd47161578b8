"""The canada_sema source: its YAML (canada_sema.yml) and parser code."""
