"""Reading input, the first stage: files, JSON/JSONL dumps, directories, stdin, HTML pages and
WARC archives become `Article` objects, and what cannot be read becomes a one-line `Failure`.
``ingest`` walks the inputs and dispatches by file name; ``encoding`` turns bytes into text or
refuses them; ``html`` and ``warc`` read web pages and archives; ``headers`` reads a text file's
title, outlet and date; ``boilerplate`` removes site menus, link lists and cookie banners;
``ranges`` cuts the inputs into units (byte ranges of dumps, runs of files) for a cluster.
"""
