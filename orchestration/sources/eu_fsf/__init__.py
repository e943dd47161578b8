"""The eu_fsf source: its YAML (eu_fsf.yml) and parser code."""
