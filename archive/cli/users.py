"""Accounts: archive user add, list, set, token, reset-2fa, require-2fa."""
import sys

import click

from archive.cli.base import actor, cli, pass_data
from archive.security import access


@cli.group("user")
def user_group():
    """Accounts: add users, change their role, lock them, give them API tokens."""


def _read_password(password_stdin):
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def write(data, change, audit_action=None, subject=None, detail=None):
    """Run `change(db)` in one transaction, recorded in the audit log (a refusal is an ArchiveError)."""
    from archive import service
    from archive.custody import audit
    from archive.store import db as database

    db = service.open_db(data)
    try:
        with database.write_transaction(db):
            result = change(db)
            if audit_action:
                audit.record(db, actor(), audit_action, subject, detail)
        return result
    finally:
        db.close()


@user_group.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(list(access.ROLES)))
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@pass_data
def user_add(data, name, role, password_stdin):
    """Create the account NAME with ROLE (the password from a prompt, or stdin)."""
    from archive import service
    from archive.security import accounts

    service.init(data)
    password = _read_password(password_stdin)
    write(data, lambda db: accounts.add_user(db, name, role, password), "user_added", name, {"role": role})
    click.echo(f"Added {name} ({role}).")


@user_group.command("list")
@pass_data
def user_list(data):
    """List the accounts with their role and state."""
    from archive.security import accounts, two_factor

    def listed(db):
        enrolled = two_factor.enrolled_user_ids(db)
        return [{**user, "two_factor": user["id"] in enrolled} for user in accounts.list_users(db)]

    for user in write(data, listed):
        state = "active" if user["active"] else "locked"
        click.echo(f"{user['name']:<24} {user['role']:<9} {state:<7} 2fa {'on' if user['two_factor'] else 'off'}")


@user_group.command("set")
@click.argument("name")
@click.option("--role", type=click.Choice(list(access.ROLES)))
@click.option("--lock/--unlock", "lock", default=None, help="Lock the account, or unlock it (also after failed logins).")
@click.option("--password", "new_password", is_flag=True, help="Set a new password (prompt, or stdin with --password-stdin).")
@click.option("--password-stdin", is_flag=True)
@pass_data
def user_set(data, name, role, lock, new_password, password_stdin):
    """Change NAME's role, lock or unlock it, or set a new password; ends the user's sessions."""
    from archive.security import accounts

    password = _read_password(password_stdin) if new_password else None
    active = None if lock is None else not lock
    detail = {k: v for k, v in (("role", role), ("active", active), ("password", bool(password))) if v is not None}
    write(data, lambda db: accounts.change_user(db, name, role, active, password), "user_changed", name, detail)
    click.echo(f"Changed {name}; their sessions were ended.")


@user_group.command("token")
@click.argument("name")
@click.option("--label", required=True, help="What the token is for, to recognise it later.")
@click.option("--days", type=click.IntRange(1, 3650), help="Expire after this many days (default: never).")
@click.option("--scope", type=click.Choice(access.TOKEN_SCOPES), default=access.DEFAULT_SCOPE, show_default=True,
              help="read: search and read only (GET); write: also change what the account may change.")
@pass_data
def user_token(data, name, label, days, scope):
    """Create a personal API token for NAME and print it (only this once)."""
    from archive.security import accounts

    detail = {"label": label, "scope": scope, **({"days": days} if days else {})}
    click.echo(write(data, lambda db: accounts.create_token_for(db, name, label, days, scope), "token_created",
                     name, detail))


@user_group.command("reset-2fa")
@click.argument("name")
@pass_data
def user_reset_two_factor(data, name):
    """Turn off NAME's two-factor login (a lost phone and lost recovery codes); ends their sessions."""
    from archive.security import two_factor

    user = write(data, lambda db: two_factor.reset(db, name), "two_factor_reset", name)
    click.echo(f"Reset {user['name']}'s two-factor login; their sessions were ended. They log in with their "
               "password, and set up a new phone then if their role requires it.")


@user_group.command("require-2fa")
@click.argument("roles", nargs=-1, type=click.Choice(list(access.ROLES)))
@click.option("--none", "no_role", is_flag=True, help="Require it of no role.")
@pass_data
def user_require_two_factor(data, roles, no_role):
    """Require two-factor login of ROLES (all others: not required); without ROLES, say which are."""
    from archive.security import two_factor

    if not roles and not no_role:
        required = write(data, two_factor.required_roles)
        click.echo(f"Required for: {', '.join(required) or 'no role'}.")
        return
    write(data, lambda db: two_factor.set_required_roles(db, list(roles)), "two_factor_required", None,
          {"roles": sorted(roles)})
    click.echo(f"Two-factor login is now required for: {', '.join(roles) or 'no role'}.")
