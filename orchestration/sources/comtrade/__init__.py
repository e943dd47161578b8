"""The comtrade source: its YAML (comtrade.yml) and parser code."""
