"""The bundled sample corpus: hand-written TASS-like stories and their rendered site mirror.

``corpus.sample.build`` renders ``stories/*.json`` into ``data/`` (feeds and pages) and ``gold.json``.
"""
