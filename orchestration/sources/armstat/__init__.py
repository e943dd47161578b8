"""The armstat source: its YAML (armstat.yml) and parser code."""
