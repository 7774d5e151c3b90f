"""The command line: the application and what its commands share (``app``), the commands that
write (``commands``), read (``reading``) and show the corpus (``views``), free-text query parsing
(``query``), terminal rendering (``render``) and scoring against gold (``evaluate``). ``claims``
is ``main.main``."""

from extraction.cli.app import app
from extraction.cli.main import main

__all__ = ["app", "main"]
