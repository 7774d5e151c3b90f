"""The lexicon: what the rules know about English news, read from ``extraction/data/``.
``lexicons`` is the only reader of that folder (rule patterns, gazetteers, word classes, units,
counted nouns); ``numbers`` turns number words and digits into values, ``units`` unit names into
canonical units, ``dates`` time expressions into periods resolved against a publication date.
"""
