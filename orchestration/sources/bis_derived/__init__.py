"""The bis_derived source: its YAML (bis_derived.yml) and parser code."""
