"""Running: ``api`` is the library's front door (``extract_text``, ``extract_articles``);
``runner`` ingests inputs into a store (read, skip stored texts, extract in chunks, one writer);
``parallel`` runs worker processes and ``dask_engine`` the same chunks on a Dask cluster;
``progress`` draws the progress bar or JSON progress lines; ``settings`` is the one `Settings`
object (defaults, CLI options, ``CLAIMS_*`` variables).
"""
