"""The baci source: its YAML (baci.yml) and parser code."""
