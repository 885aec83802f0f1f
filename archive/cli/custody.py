"""The chain of custody: verify, audit verify, backup, restore, seal."""
import os
import sys

import click

from archive.cli.base import actor, cli, pass_data
from archive.cli.users import write


@cli.command()
@pass_data
def verify(data):
    """Recompute every statement's SHA-256 and compare it with the one taken at intake."""
    from archive import custody, service, store
    from archive.store import consent as store_consent

    db = service.open_db(data)
    try:
        mismatches = custody.verify_texts(db)
        count = store.count_testimonies(db)
        purged = len(store_consent.purged_ids(db))
    finally:
        db.close()
    for reference, problem in mismatches:
        click.echo(f"{reference}: {problem}", err=True)
    if mismatches:
        sys.exit(1)
    click.echo(f"OK: the text of all {count} statements matches its SHA-256." +
               (f" ({purged} purged: only their hashes are kept.)" if purged else ""))


@cli.group("audit")
def audit_group():
    """The hash-chained audit log."""


@audit_group.command("verify")
@click.option("--expect-head", metavar="COUNT:HASH",
              help="The head printed by an earlier verify, to detect entries removed from the end.")
@pass_data
def audit_verify(data, expect_head):
    """Check that no audit entry was altered, removed or reordered; print the chain's head."""
    from archive import service
    from archive.custody import audit

    expected = None
    if expect_head:
        count, sep, digest = expect_head.partition(":")
        if not sep or not count.isdigit() or len(digest) != 64:
            raise click.BadParameter("write it as COUNT:HASH, as verify prints it", param_hint="--expect-head")
        expected = (int(count), digest)
    db = service.open_db(data)
    try:
        problems = audit.verify(db, expected)
        count, digest = audit.head(db)
    finally:
        db.close()
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo(f"OK: {count} entries, chained. Head (keep it outside the archive): {count}:{digest}")


@cli.command()
@click.argument("destination", type=click.Path())
@click.option("--actor", default=actor, show_default="$ARCHIVE_USER or your login")
@pass_data
def backup(data, destination, actor):
    """Copy the database to DESTINATION (a new file, or a directory), safely while the archive runs."""
    from archive import custody, service

    service.open_db(data).close()
    path = custody.backup(data, destination, actor)
    click.echo(f"Backed up to {path}")


@cli.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--actor", default=actor, show_default="$ARCHIVE_USER or your login")
@click.confirmation_option(prompt="Replace the archive's database with this backup (the current one is kept)?")
@pass_data
def restore(data, source, actor):
    """Bring back a backup (stop `archive serve` first); the replaced database is kept; reindexes."""
    from archive import custody

    os.makedirs(data.root, exist_ok=True)
    kept = custody.restore(data, source, actor)
    click.echo(f"Restored {os.path.basename(source)}" +
               (f"; the database it replaced is kept as {kept.name}." if kept else "."))
    if kept:
        _warn_brought_back(data, kept)


def _warn_brought_back(data, replaced):
    """A backup older than a purge brings the purged statement back: say so, and what to do."""
    from archive import service
    from archive.consent import purge

    db = service.open_db(data)
    try:
        back = purge.brought_back(replaced, db)
    finally:
        db.close()
    for reference, purged_at in back:
        click.echo(f"Warning: this backup is older than the purge of {reference} ({purged_at}): the restore brought "
                   f"the statement back. Purge it again now: `archive consent {reference} --to withdrawn …`, then "
                   f"`archive purge {reference} --reason …`.", err=True)


@cli.command()
@click.option("--generate-key", is_flag=True, help="Print a new key for ARCHIVE_IDENTITY_KEY and stop.")
@pass_data
def seal(data, generate_key):
    """Seal every witness's identity and two-factor secret with ARCHIVE_IDENTITY_KEY (rotating out older keys)."""
    from archive import store
    from archive.security import sealing
    from archive.store import two_factor as two_factor_rows

    if generate_key:
        click.echo(sealing.generate_key())
        return
    if not sealing.enabled():
        raise sealing.IdentityKeyError("set ARCHIVE_IDENTITY_KEY first (`archive seal --generate-key` makes one)")
    changed, secrets = write(data, lambda db: (store.reseal_identities(db),
                                               two_factor_rows.reseal_secrets(db, sealing.reseal)), "identities_sealed")
    click.echo(f"Sealed {changed} identit{'y' if changed == 1 else 'ies'} and {secrets} two-factor secret"
               f"{'' if secrets == 1 else 's'}; keep the key safe: without it they cannot be read.")
