"""The opensanctions source: its YAML (opensanctions.yml) and parser code."""
