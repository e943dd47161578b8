"""Code shared by the source parsers. Not a source: this folder has no ``common.yml``."""
