"""Evaluation material shipped with tasscorpus: the rewrite benchmark (:mod:`corpus.evaluation.rewrites`)."""
