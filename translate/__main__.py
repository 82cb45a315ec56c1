"""``python -m translate`` runs the ``bitext`` command line."""

from translate.cli import main

main()
