"""The uk source: its YAML (uk.yml) and parser code."""
