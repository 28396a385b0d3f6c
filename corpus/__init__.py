"""tasscorpus: documents side — sources, fetching, the store, cross-edition pairing, export."""

__version__ = "0.1.0"
