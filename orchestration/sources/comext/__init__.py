"""The comext source: its YAML (comext.yml) and parser code."""
