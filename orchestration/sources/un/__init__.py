"""The un source: its YAML (un.yml) and parser code."""
