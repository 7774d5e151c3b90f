"""The command line: the commands (``commands``), free-text query parsing (``query``), terminal
rendering (``render``) and scoring against gold (``evaluate``). ``claims`` is ``main``."""

from extraction.cli.commands import app, main

__all__ = ["app", "main"]
