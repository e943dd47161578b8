"""Builders of the bundled sample extracts in data/sample/ from the full files."""
