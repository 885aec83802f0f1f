"""Setting an archive up and keeping it: init, import, reindex, check, demo, serve."""
import os
import secrets
import sys

import click

from archive.cli.base import actor, cli, pass_data, progress, valid_text
from archive.cli.users import write
from archive.security import access


@cli.command()
@pass_data
def init(data):
    """Create the archive (database, codebook, index) in the data directory. Safe to repeat."""
    from archive import service

    service.init(data)
    click.echo(f"Archive ready in {data.root}")


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--actor", default=actor, show_default="$ARCHIVE_USER or your login", callback=valid_text,
              help="Who is importing, as recorded in history.")
@pass_data
def import_(data, file, actor):
    """Import testimonies from a CSV, JSON array or JSON Lines FILE, or a REFI-QDA project (.qdpx) with
    its codes, all or nothing."""
    _import(data, file, actor)


def _import(data, file, actor, already=None, demo=False):
    """Import the file; `already`: what to say instead when every record is already in the archive."""
    from archive import intake, service

    service.init(data)
    try:
        with progress("Checking and storing") as checking, progress("Indexing") as indexing:
            report = service.import_file(data, file, actor, checking, indexing)
    except intake.ImportRejected as err:
        _reject(err.problems, file, err.truncated)
    if already and report.rows and len(report.duplicates) == report.rows:
        click.echo(already)
        return
    click.echo(f"Imported {len(report.imported)} of {report.rows} record(s) from {intake.printable_name(file)}.")
    if report.references:
        click.echo(f"  references: {report.references[0]} … {report.references[-1]}"
                   if len(report.references) > 3 else f"  references: {', '.join(report.references)}")
    if report.codes:
        click.echo(f"  {report.codes} code(s) with their passages")
    if report.duplicates:
        click.echo(f"{len(report.duplicates)} record(s) already in the archive (same text), not imported again:")
        for row, reference in report.duplicates[:20]:
            click.echo(f"  {'source ' + repr(row) if isinstance(row, str) else f'row {row}'}: same text as {reference}")
    for said in report.skipped:
        click.echo(f"  {said}")
    if report.incidents_recorded or report.incidents_linked:
        click.echo(_incidents_said(report))
    if not report.indexed:
        click.echo("The search index could not be updated, so searches do not find these yet (they are stored): "
                   "run `archive reindex`.", err=True)
    if report.rows and not report.imported and not report.linked:
        click.echo("Nothing new was imported.")
    if demo and report.unknown_places:  # on purpose: witnesses often describe a place they cannot name
        described = "; ".join(f"{place!r} (row {row})" for row, place in report.unknown_places)
        click.echo(f"  as in real statements, {len(report.unknown_places)} places are described, not named: "
                   f"{described}. The archive keeps them as written and flags them for a coder to place.")
        return
    for row, place in report.unknown_places:
        click.echo(f"  row {row}: place {place!r} is not in the gazetteer; kept as written and flagged")


def _incidents_said(report):
    """Incidents: 2 recorded (BVMN-1, BVMN-2), 1 already in the archive; 3 testimonies linked as their sources."""
    recorded, existing = report.incidents_recorded, report.incidents_linked
    named = lambda ids: ", ".join(ids[:5]) + (" …" if len(ids) > 5 else "")  # noqa: E731
    said = [f"{len(recorded)} recorded ({named(recorded)})" if recorded else "",
            f"{len(existing)} already in the archive ({named(existing)})" if existing else ""]
    links = len(report.linked)
    return (f"Incidents: {', '.join(s for s in said if s)}; {links} testimon{'y' if links == 1 else 'ies'} "
            "linked as their sources.")


def _reject(problems, file, truncated=False):
    from archive import intake

    click.echo(f"Import of {intake.printable_name(file)} refused; nothing was imported. Problems:", err=True)
    for problem in problems:
        click.echo(f"  {intake.describe(*problem)}", err=True)
    if truncated:
        click.echo("  (more problems not shown: fix these and import again)", err=True)
    sys.exit(1)


@cli.command()
@pass_data
def reindex(data):
    """Rebuild the search index from the database."""
    from archive import service

    with progress("Indexing") as indexing:
        count = service.reindex(data, indexing)
    click.echo(f"Indexed {count} testimon{'y' if count == 1 else 'ies'}.")


@cli.command()
@pass_data
def check(data):
    """Check the database and that the index holds exactly its testimonies; exit 1 on any drift."""
    from archive import service

    problems, drift = service.check(data)
    for problem in problems:
        click.echo(f"database: {problem}", err=True)
    if drift.purged:
        click.echo(f"{len(drift.purged)} purged testimon{'y' if len(drift.purged) == 1 else 'ies'} still "
                   f"in the index files (ids {', '.join(map(str, drift.purged[:20]))})", err=True)
    if drift.outdated_fields:
        click.echo(f"the index was built by another version of the archive (fields differ: "
                   f"{', '.join(drift.outdated_fields)})", err=True)
    for name, ids in (("missing from the index", drift.missing), ("older in the index", drift.stale),
                      ("in the index but not the database", drift.extra),
                      ("indexed more than once", drift.duplicated)):
        if ids:
            shown = ", ".join(str(i) for i in ids[:20]) + (" …" if len(ids) > 20 else "")
            click.echo(f"{len(ids)} testimon{'y' if len(ids) == 1 else 'ies'} {name} (ids {shown})", err=True)
    if problems or drift:
        click.echo("Run `archive reindex` to rebuild the index from the database.", err=True)
        sys.exit(1)
    click.echo("OK: database intact; index matches it.")


@cli.command()
@pass_data
def demo(data):
    """Load the demo testimonies (written for this project) and one demo account per role. Safe to repeat."""
    from archive import service
    from archive.security import accounts, two_factor

    _import(data, str(service.DEMO_FILE), actor="demo", already="The demo testimonies are already loaded.", demo=True)
    path = data.root / "demo-accounts.txt"
    if path.exists():
        click.echo(f"Demo accounts (names and passwords): {path}")
        return
    created = write(data, lambda db: [
        (f"demo-{role}", role, accounts.add_user(db, f"demo-{role}", role, password) and password)
        for role in access.ROLES for password in [secrets.token_urlsafe(12)]], "demo_accounts_added")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.writelines(f"{name}\t{role}\t{password}\n" for name, role, password in created)
    click.echo("Demo accounts, one per role (also in " + str(path) + ", readable only by you):")
    for name, role, password in created:
        click.echo(f"  {name:<16} {password}")
    required = write(data, two_factor.required_roles)
    if required:
        click.echo(f"Accounts of {', '.join(required)} set up two-factor login at their first login (an authenticator "
                   "app on a phone); `archive user require-2fa --none` turns the requirement off for a trial.")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@pass_data
def serve(data, host, port):
    """Serve the web app with waitress."""
    import waitress

    from archive import create_app, service
    from archive.security import accounts

    service.init(data)
    app = create_app({"DATA": str(data.root)})
    db = service.open_db(data)
    try:
        if not accounts.list_users(db):
            click.echo("No accounts yet: create one with `archive user add NAME --role admin`.", err=True)
    finally:
        db.close()
    _warm(app)
    click.echo(f"Serving {data.root} at http://{host}:{port}/")
    waitress.serve(app, host=host, port=port, threads=8)


def _warm(app):
    """Open the index and load what every search needs before the first visitor, then freeze it all.
    What start-up makes (~100,000 objects: code, the index's arrays, each language's analysis) lives as
    long as the server; left to the garbage collector, each full collection walks it again, in the middle
    of someone's search (70-80 ms at 10,000 testimonies, measured: the slowest 5% of searches)."""
    import gc

    from search_index.indexer import IndexMissing, IndexOutdated

    try:
        app.extensions["archive.searcher"].search("")  # the index, the facet counts' arrays
        app.extensions["archive.searcher"].search("warm")  # the languages' stemmers and lemma dictionaries
    except (IndexMissing, IndexOutdated):
        pass  # every page says so, and how to rebuild it
    gc.collect()
    gc.freeze()
