"""The national_yearly source: its YAML (national_yearly.yml) and parser code."""
