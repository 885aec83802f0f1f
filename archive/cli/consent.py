"""The `archive consent`, `archive withdrawals` and `archive purge` commands (archive/consent/__init__.py,
archive/consent/purge.py), added to the `archive` group by archive/cli/__init__.py. Each acts as a named account,
whose role must allow it, exactly as on the web."""

import click

from archive.cli.base import actor, cli, fail, pass_data
from archive.security import access
from archive.security.access import CONSENTS

CONSENT_OPTIONS = {"consent": "--to", "decided": "--decided", "reason": "--reason"}
PURGE_OPTIONS = {"confirmation": "--confirm", "reason": "--reason"}


@cli.command("consent")
@click.argument("reference")
@click.option("--to", "new", required=True, type=click.Choice(CONSENTS), help="The witness's consent from now on.")
@click.option("--decided", required=True, metavar="YYYY-MM-DD", help="The day the witness decided.")
@click.option("--reason", required=True, help="Why; kept in history (never write the witness's name).")
@click.option("--recorded-by", "recorded_by", default=actor, show_default="$ARCHIVE_USER or your login",
              help="The account recording the decision: a reviewer or an admin.")
@pass_data
def consent_command(data, reference, new, decided, reason, recorded_by):
    """Record a change of the witness's consent to REFERENCE (or its withdrawal), effective at once."""
    from archive import consent, service
    from schemas.consent import ConsentChangeSchema

    request = _load(ConsentChangeSchema(), {"consent": new, "decided": decided, "reason": reason},
                    CONSENT_OPTIONS)
    db = service.open_db(data)
    try:
        user = _account(db, recorded_by, "change_consent", "--recorded-by")
        done = consent.change(data, db, reference, request, user)
    except consent.ConsentError as err:
        fail(_named(err, CONSENT_OPTIONS))
    finally:
        db.close()
    click.echo(f"Consent of {reference}: {done.previous} → {done.consent} (the witness decided on "
               f"{done.decided}; recorded by {done.recorded_by}).")
    if "confidentiality" in done.changed:
        click.echo("Its confidentiality is now restricted: only a statement with consent to publication "
                   "can be public.")
    if done.consent == "withdrawn":
        click.echo("It is now unreachable for every role but reviewers. What must follow (case files, "
                   "exports, backups): `archive withdrawals`.")

@cli.command("withdrawals")
@click.option("--as", "account", default=actor, show_default="$ARCHIVE_USER or your login",
              help="The account you list them as: a reviewer or an admin.")
@pass_data
def withdrawals_command(data, account):
    """List withdrawn testimonies with what must follow, and the purged ones."""
    from archive import consent, service

    db = service.open_db(data)
    try:
        found = consent.withdrawals(db, _account(db, account, "handle_withdrawals", "--as"), data)
    finally:
        db.close()
    if not found["withdrawn"]:
        click.echo("No withdrawn testimony.")
    for item in found["withdrawn"]:
        _echo_withdrawn(item)
    for item in found["purged"]:
        click.echo(f"{item['reference']}  purged {item['purged_at']} by {item['actor']}: {item['reason']}")
        click.echo(f"  SHA-256 {item['sha256']}")
        for backup in item["record"].get("backups", []):
            click.echo(f"  backup taken before the purge, still holding it: {backup['path'] or backup['name']} "
                       f"({backup['at']})")

@cli.command("purge")
@click.argument("reference")
@click.option("--reason", required=True, help="Why it is erased; kept for good (never write the witness's name).")
@click.option("--confirm", "confirmation", help="The reference typed again (asked for when not given).")
@click.option("--as", "account", default=actor, show_default="$ARCHIVE_USER or your login",
              help="The admin account purging it.")
@pass_data
def purge_command(data, reference, reason, confirmation, account):
    """Erase the withdrawn testimony REFERENCE for good, from the database, the index and the files."""
    from archive import service
    from archive.consent import purge
    from schemas.consent import PurgeSchema

    if confirmation is None:
        confirmation = click.prompt(f"This cannot be undone. Type {reference} to purge it")
    request = _load(PurgeSchema(), {"confirmation": confirmation, "reason": reason}, PURGE_OPTIONS)
    db = service.open_db(data)
    try:
        done = purge.purge(data, db, reference, request, _account(db, account, "purge", "--as"))
    except purge.PurgeError as err:
        fail(_named(err, PURGE_OPTIONS))
    finally:
        db.close()
    _echo_purged(done)


def _load(schema, values, options):
    from marshmallow import ValidationError

    try:
        return schema.load(values)
    except ValidationError as err:
        field = next(iter(err.messages))
        raise click.BadParameter(" ".join(err.messages[field]), param_hint=options.get(field, field)) from None


def _account(db, name, permission, option):
    from archive.security import accounts

    user = accounts.get_user(db, name) if name else None
    if user is None or not user["active"]:
        raise click.BadParameter(f"no active account named {name!r}", param_hint=option)
    user = {"id": user["id"], "name": user["name"], "role": user["role"]}
    if not access.can(user, permission):
        raise click.BadParameter(f"{name} is a {user['role']}: {permission.replace('_', ' ')} needs "
                                 f"{' or '.join(access.PERMISSIONS[permission][0])}", param_hint=option)
    return user


def _named(err, options):
    return f"{options[err.field]}: {err.message}" if err.field in options else err.message


def _echo_withdrawn(item):
    title = f"  {item['title']}" if item["title"] else ""
    click.echo(f"{item['reference']}{title}")
    click.echo(f"  withdrawn: the witness decided on {item['decided'] or '?'}; recorded {item['recorded_at']} by "
               f"{item['recorded_by']}" + (f": {item['reason']}" if item["reason"] else ""))
    for case in item["case_files"]:
        click.echo(f"  in case file {case['name']!r} (owner {case['owner']}): tell them")
    for export in item["exports"]:
        click.echo(f"  exported {export['at']} by {export['actor']} ({export['format']}, export {export['id']}"
                   f"{', witness identity shown' if export['identified'] else ''}): ask for copies to be destroyed")
    if item["unlisted_exports"]:
        click.echo(f"  {len(item['unlisted_exports'])} earlier export(s) do not list their testimonies and may hold "
                   f"it: {', '.join(str(e['id']) for e in item['unlisted_exports'])}")
    for job in item["waiting_files"]:
        click.echo(f"  export file waiting for {job['actor']} (job {job['id']}): removed if it is purged")
    for backup in item["backups"]:
        click.echo(f"  backup since it was added: {backup['path'] or backup['name']} ({backup['at']})")
    for kept in item["kept_databases"]:
        click.echo(f"  database kept by `archive restore` in the data directory: {kept['path']} ({kept['at']})")
    click.echo("  next: keep it withdrawn (nothing more to do), or purge it: "
               f"`archive purge {item['reference']} --reason …` (an admin)")


def _echo_purged(done):
    record, finished = done.record, done.finished
    click.echo(f"Purged {done.reference}. Kept: its reference and SHA-256 {record['sha256']}, and the purge in "
               "history and the audit log. Erased: the statement, its codes and passages, the witness and "
               "their identity, and every copy in history, the index and the files.")
    for case in record["case_files"]:
        click.echo(f"  it was in case file {case['name']!r}: tell its owner, {case['owner']}")
    for export in record["exports"]:
        click.echo(f"  it left in export {export['id']} ({export['at']}, {export['actor']}): ask the recipients "
                   "to destroy their copies")
    for backup in record["backups"]:
        click.echo(f"  backup still holding it: {backup['path'] or backup['name']} ({backup['at']}): destroy it "
                   "or purge it again after any restore")
    if record["export_files_removed"]:
        click.echo(f"  {record['export_files_removed']} export file(s) waiting on the server were removed")
    if not finished.complete:
        fail(f"the files are not wiped yet: {finished.problem}")
    seconds = ", ".join(f"{part} {value:.1f} s" for part, value in finished.seconds.items())
    click.echo(f"Files wiped ({seconds}; {finished.documents_copied} document(s) of the index rewritten).")
