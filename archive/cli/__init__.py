"""The `archive` command. The data directory is a group option: `archive --data DIR COMMAND`."""
import getpass
import json
import os
import secrets
import sys

import click
from marshmallow import ValidationError

from archive import custody, intake, service, store
from archive.config import SETTINGS, DataDir, setting
from archive.custody import audit
from archive.search import results
from archive.security import access, accounts, sealing
from archive.store import consent as store_consent
from archive.store import db as database
from schemas.export import FORMATS, PER
from schemas.search import SearchArgsSchema, SearchResultsSchema, search_kwargs
from search_index.indexer import IndexMissing
from search_index.searcher import SORTS, Searcher, UnknownFacet


def _actor():
    return setting("USER") or getpass.getuser()


def _valid_text(ctx, param, value):
    """An option's text as the archive stores it: bytes that are not UTF-8 arrive as lone surrogates."""
    from schemas.validators import no_lone_surrogates

    try:
        no_lone_surrogates(value or "")
    except ValidationError as err:
        raise click.BadParameter(" ".join(err.messages)) from None
    return value


class ArchiveGroup(click.Group):
    """Turns the archive's expected failures into a message and exit code 1, not a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (service.ArchiveMissing, IndexMissing) as err:
            click.echo(f"Error: {err}", err=True)
            sys.exit(1)


@click.group(cls=ArchiveGroup)
@click.option("--data", "data", envvar="ARCHIVE_DATA", default=SETTINGS["DATA"][0], show_default=True,
              type=click.Path(file_okay=False), help="Data directory (or $ARCHIVE_DATA).")
@click.version_option(package_name="testimony-archive")
@click.pass_context
def cli(ctx, data):
    """A witness-testimony archive with human-rights coding."""
    ctx.obj = DataDir.at(data)


pass_data = click.make_pass_decorator(DataDir)


@cli.command()
@pass_data
def init(data):
    """Create the archive (database, codebook, index) in the data directory. Safe to repeat."""
    service.init(data)
    click.echo(f"Archive ready in {data.root}")


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--actor", default=_actor, show_default="$ARCHIVE_USER or your login", callback=_valid_text,
              help="Who is importing, as recorded in history.")
@pass_data
def import_(data, file, actor):
    """Import testimonies from a CSV, JSON array or JSON Lines FILE, all or nothing."""
    _import(data, file, actor)


def _import(data, file, actor):
    service.init(data)
    try:
        with _progress("Checking and storing") as checking, _progress("Indexing") as indexing:
            report = service.import_file(data, file, actor, checking, indexing)
    except intake.ImportRejected as err:
        _reject(err.problems, file, err.truncated)
    click.echo(f"Imported {len(report.imported)} of {report.rows} record(s) from {intake.printable_name(file)}.")
    if report.references:
        click.echo(f"  references: {report.references[0]} … {report.references[-1]}"
                   if len(report.references) > 3 else f"  references: {', '.join(report.references)}")
    if report.duplicates:
        click.echo(f"{len(report.duplicates)} record(s) already in the archive (same text), not imported again:")
        for row, reference in report.duplicates[:20]:
            click.echo(f"  row {row}: same text as {reference}")
    if report.rows and not report.imported:
        click.echo("Nothing new was imported.")
    for row, place in report.unknown_places:
        click.echo(f"  row {row}: place {place!r} is not in the gazetteer; kept as written and flagged")


def _reject(problems, file, truncated=False):
    click.echo(f"Import of {intake.printable_name(file)} refused; nothing was imported. Problems:", err=True)
    for problem in problems:
        click.echo(f"  {intake.describe(*problem)}", err=True)
    if truncated:
        click.echo("  (more problems not shown: fix these and import again)", err=True)
    sys.exit(1)


class _progress:
    """A progress bar on stderr when it is a terminal (silent otherwise), from `start(total)` on."""

    def __init__(self, label):
        self.label, self.bar = label, None

    def __enter__(self):
        return self

    def start(self, total):
        if sys.stderr.isatty():
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr).__enter__()

    def advance(self):
        if self.bar is not None:
            self.bar.update(1)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)


@cli.command()
@click.argument("query", required=False, default="")
@click.option("--filter", "filters", multiple=True, metavar="FIELD=VALUE",
              help="Keep results with this facet value; repeat it (same field: either value; fields: all).")
@click.option("--from", "date_from", metavar="DATE", help="Incidents on or after DATE (YYYY, YYYY-MM, YYYY-MM-DD).")
@click.option("--to", "date_to", metavar="DATE", help="Incidents on or before DATE.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(0, 10_000))
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON (the API's shape).")
@pass_data
def search(data, query, filters, date_from, date_to, sort, limit, as_json):
    """Search testimonies (no QUERY: all of them)."""
    selected = _filters(filters)
    args = _search_args(query, sort, date_from, date_to, per_page=max(limit, 1))
    db = service.open_db(data)
    searcher = Searcher(data.index, service.load_codebook())
    try:
        found = searcher.search(**{**search_kwargs(args), "filters": selected, "limit": limit})
        found = results.describe(db, service.load_codebook(), found)
    except UnknownFacet as err:
        raise click.BadParameter(str(err), param_hint="--filter") from None
    finally:
        searcher.close()
        db.close()
    if as_json:
        click.echo(json.dumps(SearchResultsSchema().dump(found), ensure_ascii=False, indent=2))
        return
    if found["reinterpreted"]:
        click.echo("(The query could not be read as query language; searched for its words instead.)")
    for notice in found["notices"]:
        click.echo(f"({notice})")
    for item in found["understood"]:
        click.echo(f"(\"{item['text']}\" also searched as the {item['kind'].replace('_', ' ')} {item['label']}.)")
    click.echo(f"{found['total']} testimon{'y' if found['total'] == 1 else 'ies'}")
    if found["suggestion"]:
        click.echo(f"Did you mean: {found['suggestion']}")
    for hit in found["results"]:
        date = hit["incident_date"]["label"] if hit["incident_date"] else ""
        click.echo(f"  {hit['reference']:<14} {date:<18}  {hit['title']}")


def _filters(filters):
    """--filter FIELD=VALUE options -> {field: [values]}."""
    selected = {}
    for item in filters:
        field, sep, value = item.partition("=")
        if not sep or not field.strip() or not value.strip():
            raise click.BadParameter(f"{item!r} is not FIELD=VALUE", param_hint="--filter")
        selected.setdefault(field.strip(), []).append(value.strip())
    return selected


def _search_args(query, sort, date_from, date_to, **more):
    period = {key: value for key, value in (("from", date_from), ("to", date_to)) if value}
    try:
        return SearchArgsSchema().load({"q": query, "sort": sort, **period, **more})
    except ValidationError as err:
        raise click.BadParameter("; ".join(f"{k}: {' '.join(v)}" for k, v in err.messages.items())) from None


@cli.command()
@pass_data
def reindex(data):
    """Rebuild the search index from the database."""
    with _progress("Indexing") as indexing:
        count = service.reindex(data, indexing)
    click.echo(f"Indexed {count} testimon{'y' if count == 1 else 'ies'}.")


@cli.command()
@pass_data
def check(data):
    """Check the database and that the index holds exactly its testimonies; exit 1 on any drift."""
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
def verify(data):
    """Recompute every statement's SHA-256 and compare it with the one taken at intake."""
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
@click.option("--actor", default=_actor, show_default="$ARCHIVE_USER or your login")
@pass_data
def backup(data, destination, actor):
    """Copy the database to DESTINATION (a new file, or a directory), safely while the archive runs."""
    service.open_db(data).close()
    try:
        path = custody.backup(data, destination, actor)
    except custody.CustodyError as err:
        click.echo(f"Error: {err}", err=True)
        sys.exit(1)
    click.echo(f"Backed up to {path}")


@cli.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--actor", default=_actor, show_default="$ARCHIVE_USER or your login")
@click.confirmation_option(prompt="Replace the archive's database with this backup (the current one is kept)?")
@pass_data
def restore(data, source, actor):
    """Bring back a backup (stop `archive serve` first); the replaced database is kept; reindexes."""
    os.makedirs(data.root, exist_ok=True)
    try:
        kept = custody.restore(data, source, actor)
    except custody.CustodyError as err:
        click.echo(f"Error: {err}", err=True)
        sys.exit(1)
    click.echo(f"Restored {os.path.basename(source)}" +
               (f"; the database it replaced is kept as {kept.name}." if kept else "."))
    if kept:
        _warn_brought_back(data, kept)


def _warn_brought_back(data, replaced):
    """A backup older than a purge brings the purged statement back: say so, and what to do."""
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


@cli.group("user")
def user_group():
    """Accounts: add users, change their role, lock them, give them API tokens."""


def _read_password(password_stdin):
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def _write(data, change, audit_action=None, subject=None, detail=None):
    """Run `change(db)` in one transaction, recorded in the audit log; refusals exit 1."""
    db = service.open_db(data)
    try:
        with database.write_transaction(db):
            result = change(db)
            if audit_action:
                audit.record(db, _actor(), audit_action, subject, detail)
        return result
    except accounts.AccountError as err:
        click.echo(f"Error: {err}", err=True)
        sys.exit(1)
    finally:
        db.close()


@user_group.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(list(access.ROLES)))
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@pass_data
def user_add(data, name, role, password_stdin):
    """Create the account NAME with ROLE (the password from a prompt, or stdin)."""
    service.init(data)
    password = _read_password(password_stdin)
    _write(data, lambda db: accounts.add_user(db, name, role, password), "user_added", name, {"role": role})
    click.echo(f"Added {name} ({role}).")


@user_group.command("list")
@pass_data
def user_list(data):
    """List the accounts with their role and state."""
    for user in _write(data, accounts.list_users):
        state = "active" if user["active"] else "locked"
        click.echo(f"{user['name']:<24} {user['role']:<9} {state}")


@user_group.command("set")
@click.argument("name")
@click.option("--role", type=click.Choice(list(access.ROLES)))
@click.option("--lock/--unlock", "lock", default=None, help="Lock the account, or unlock it (also after failed logins).")
@click.option("--password", "new_password", is_flag=True, help="Set a new password (prompt, or stdin with --password-stdin).")
@click.option("--password-stdin", is_flag=True)
@pass_data
def user_set(data, name, role, lock, new_password, password_stdin):
    """Change NAME's role, lock or unlock it, or set a new password; ends the user's sessions."""
    password = _read_password(password_stdin) if new_password else None
    active = None if lock is None else not lock
    detail = {k: v for k, v in (("role", role), ("active", active), ("password", bool(password))) if v is not None}
    _write(data, lambda db: accounts.change_user(db, name, role, active, password), "user_changed", name, detail)
    click.echo(f"Changed {name}; their sessions were ended.")


@user_group.command("token")
@click.argument("name")
@click.option("--label", required=True, help="What the token is for, to recognise it later.")
@click.option("--days", type=click.IntRange(1, 3650), help="Expire after this many days (default: never).")
@pass_data
def user_token(data, name, label, days):
    """Create a personal API token for NAME and print it (only this once)."""
    detail = {"label": label, **({"days": days} if days else {})}
    click.echo(_write(data, lambda db: accounts.create_token_for(db, name, label, days), "token_created", name,
                      detail))


@cli.command()
@click.option("--generate-key", is_flag=True, help="Print a new key for ARCHIVE_IDENTITY_KEY and stop.")
@pass_data
def seal(data, generate_key):
    """Seal every witness's identity with ARCHIVE_IDENTITY_KEY (rotating out older keys)."""
    if generate_key:
        click.echo(sealing.generate_key())
        return
    try:
        if not sealing.enabled():
            raise sealing.IdentityKeyError("set ARCHIVE_IDENTITY_KEY first (`archive seal --generate-key` makes one)")
        changed = _write(data, store.reseal_identities, "identities_sealed")
    except sealing.IdentityKeyError as err:
        click.echo(f"Error: {err}", err=True)
        sys.exit(1)
    click.echo(f"Sealed {changed} identit{'y' if changed == 1 else 'ies'}; keep the key safe: without it they cannot be read.")


@cli.command()
@pass_data
def demo(data):
    """Load the demo testimonies (written for this project) and one demo account per role. Safe to repeat."""
    _import(data, str(service.DEMO_FILE), actor="demo")
    path = data.root / "demo-accounts.txt"
    if path.exists():
        click.echo(f"Demo accounts (names and passwords): {path}")
        return
    created = _write(data, lambda db: [
        (f"demo-{role}", role, accounts.add_user(db, f"demo-{role}", role, password) and password)
        for role in access.ROLES for password in [secrets.token_urlsafe(12)]], "demo_accounts_added")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.writelines(f"{name}\t{role}\t{password}\n" for name, role, password in created)
    click.echo("Demo accounts, one per role (also in " + str(path) + ", readable only by you):")
    for name, role, password in created:
        click.echo(f"  {name:<16} {password}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@pass_data
def serve(data, host, port):
    """Serve the web app with waitress."""
    import waitress

    from archive import create_app

    service.init(data)
    app = create_app({"DATA": str(data.root)})
    db = service.open_db(data)
    try:
        if not accounts.list_users(db):
            click.echo("No accounts yet: create one with `archive user add NAME --role admin`.", err=True)
    finally:
        db.close()
    click.echo(f"Serving {data.root} at http://{host}:{port}/")
    waitress.serve(app, host=host, port=port, threads=8)


# --- export (archive/export/) --------------------------------------------------------------------

@cli.command("export")
@click.argument("query", required=False, default="")
@click.option("--filter", "filters", multiple=True, metavar="FIELD=VALUE", help="As for `archive search`.")
@click.option("--from", "date_from", metavar="DATE", help="Incidents on or after DATE.")
@click.option("--to", "date_to", metavar="DATE", help="Incidents on or before DATE.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--case-file", "case_file", metavar="NAME", help="Export this case file instead of a search.")
@click.option("--format", "file_format", type=click.Choice(FORMATS), required=True)
@click.option("--per", type=click.Choice(PER), default="testimony", show_default=True,
              help="CSV: one row per testimony or per code.")
@click.option("--bom", is_flag=True, help="CSV: UTF-8 with a byte-order mark, for Excel.")
@click.option("--identify", is_flag=True,
              help="Include witnesses' name and contact where your role and their consent allow.")
@click.option("--statements", is_flag=True, help="PDF: add each full statement after its codes.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The file to write (a new one).")
@click.option("--as", "account", default=lambda: setting("USER"), show_default="$ARCHIVE_USER",
              help="The account you export as: its role and the witnesses' consent decide what is exported.")
@pass_data
def export_(data, query, filters, date_from, date_to, sort, case_file, file_format, per, bom, identify,
            statements, out, account):
    """Export a search (QUERY and filters, as `archive search`) or a case file as CSV, JSON or PDF."""
    from archive import export
    from archive.export import selection as chosen

    if os.path.exists(out):
        raise click.BadParameter(f"{out} exists; exports never overwrite a file", param_hint="--out")
    if case_file and (query or filters or date_from or date_to):
        raise click.UsageError("give either a search or --case-file, not both")
    args = _search_args(query, sort, date_from, date_to, **_filters(filters))
    book = service.load_codebook()
    db = service.open_db(data)
    try:
        user = _account(db, account)
        if case_file:
            picked = chosen.from_case_file(db, user, _case_file(db, user, case_file))
        else:
            searcher = Searcher(data.index, book)
            try:
                picked = chosen.from_search(db, searcher, user, args)
            except UnknownFacet as err:
                raise click.BadParameter(str(err), param_hint="--filter") from None
            finally:
                searcher.close()
        options = export.Options(file_format, per, bom, identify, statements)
        try:
            done = export.write(db, book, user, picked, options, out)
        except (export.ExportRefused, export.ExportTooLarge) as err:
            click.echo(f"Error: {err}.", err=True)
            sys.exit(1)
    finally:
        db.close()
    click.echo(f"Exported {done.count} testimon{'y' if done.count == 1 else 'ies'} to {out} "
               f"({file_format}; export {done.export_id} recorded, SHA-256 {done.sha256}).")
    if identify:
        click.echo(f"Witness identity shown for {done.identified} of them.")
    for warning in done.warnings:
        click.echo(f"Note: {warning}.")


def _case_file(db, user, name):
    """The case file of that name that the account may open: its own first, else the one shared with it."""
    openable = [found for found in store.case_files_named(db, name)
                if access.may_open_case_file(user, found, store.case_file_shares(db, found["id"]))]
    own = [found for found in openable if access.owns_case_file(user, found)]
    if own or len(openable) == 1:
        return (own or openable)[0]
    if not openable:
        raise click.BadParameter(f"{user['name']} has no case file named {name!r}, and none is shared with them",
                                 param_hint="--case-file")
    owners = ", ".join(found["created_by"] for found in openable)
    raise click.BadParameter(f"several case files named {name!r} are shared with {user['name']} (by {owners}): "
                             "ask one of their owners to rename theirs", param_hint="--case-file")


def _account(db, name):
    """The account the CLI acts as (its role decides what it may export)."""
    if not name:
        raise click.UsageError("say which account you export as: --as NAME (or set $ARCHIVE_USER)")
    user = accounts.get_user(db, name)
    if user is None or not user["active"]:
        raise click.BadParameter(f"no active account named {name!r}", param_hint="--as")
    return {"id": user["id"], "name": user["name"], "role": user["role"]}


from archive.cli import consent as cli_consent  # noqa: E402 - consent changes, withdrawals and purges (issue 14)

cli_consent.register(cli, pass_data, _actor)
