"""``python -m extraction.cli``: the ``claims`` command."""

from extraction.cli.commands import main

main()
