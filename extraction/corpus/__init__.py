"""The corpus: what holds across articles. ``dedup`` finds copies (shingle index, containment),
``grouping`` finds the same claim in several articles and the conflicts between groups,
``index`` keeps their indexes in the store, and ``refresh`` is the pass that brings copies,
groups and conflicts up to date after an ingest, touching only what is new.
"""
