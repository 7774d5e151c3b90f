"""``python -m extraction.cli``: the ``claims`` command."""

from extraction.cli.main import main

main()
