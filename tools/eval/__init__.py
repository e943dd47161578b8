"""The screening evaluation: the labelled set's builder and the precision/recall measure."""
