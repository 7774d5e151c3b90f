"""The spaCy pipeline: ``spacy.blank("en")`` plus this project's components, built once per
process by ``pipeline.build_nlp``, one component a module, each declaring what it assigns:
``tokenizer`` (news rules for the tokenizer: units glued to numbers), ``number_joins`` (merges
split numbers, "80 000"), ``sentences`` (the sentence splitter), ``claim_rules`` (the rule
Matcher, run only near numbers and trigger words; ``triggers`` computes what it may skip), and
``gazetteers`` (places, actors, sources). Each rule family and gazetteer kind writes one
``doc.spans`` key; ``spans`` gives cached read access to a Doc's span groups, ``arrays`` the
numpy helpers they share.
"""
