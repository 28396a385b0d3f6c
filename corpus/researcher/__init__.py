"""Researcher mode: ``tasscorpus align SRC TGT`` and ``tasscorpus diff SRC TGT`` on text files, no store.

These commands read documents pasted by a user, so they live with the documents (``corpus/``);
``align/`` knows only sentences. ``corpus/cli.py`` registers them.
"""
