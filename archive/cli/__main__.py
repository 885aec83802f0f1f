"""`python -m archive.cli`: the `archive` command."""
from archive.cli import cli

cli()
