"""The `archive` command, one module a group of commands: data (init, import, reindex, check, demo,
serve), search (search, export), custody (verify, audit, backup, restore, seal), users, consent
(consent, withdrawals, purge), codebook and incidents (refit). The group itself and what they share: base.py."""
# each module imported adds its commands to the group
from archive.cli import codebook, consent, custody, data, incidents, search, users  # noqa: F401
from archive.cli.base import cli, pass_data  # noqa: F401
