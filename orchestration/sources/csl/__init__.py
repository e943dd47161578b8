"""The csl source: its YAML (csl.yml) and parser code."""
