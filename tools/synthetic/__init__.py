"""Synthetic data in the publishers' shapes: the bundled sample panel and benchmark files."""
