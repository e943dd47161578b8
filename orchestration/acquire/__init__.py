"""Getting the publishers' files: downloads of the official files named in the source YAMLs,
and the UN Comtrade API client. Everything lands in a raw archive laid out like an inputs
directory."""
