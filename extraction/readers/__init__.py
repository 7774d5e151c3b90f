"""Readers for inputs that are not plain text: HTML pages (``html``) and WARC archives (``warc``).

``extraction.ingest`` dispatches to them by file name; each turns its input into the text and
metadata an `Article` is built from, and what it cannot read into a failure.
"""
