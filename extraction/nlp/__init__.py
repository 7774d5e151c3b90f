"""The spaCy pipeline: ``spacy.blank("en")`` plus this project's components, built once per
process by ``pipeline.build_pipeline``. ``components`` holds the sentence splitter, the rule
matcher (run only near numbers and trigger words) and the gazetteer matchers, each writing one
``doc.spans`` key; ``number_joins`` merges split numbers ("80 000"); ``spans`` gives cached read
access to a Doc's span groups.
"""
