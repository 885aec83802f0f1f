"""Accounts: users, their login sessions and personal API tokens. Passwords, session ids and tokens
arrive already hashed (archive/security/accounts.py hashes them); nothing here sees a secret."""
import sqlite3

from archive.store.db import BUSY_TIMEOUT_S
from archive.store.rows import insert_row, now

USER_FIELDS = ("id", "name", "role", "active", "failed_logins", "locked_until", "created_at", "updated_at",
               "language")
_SELECT_USER = f"SELECT {', '.join(USER_FIELDS)} FROM user"


def insert_user(db, name, role, password_hash):
    stamp = now()
    return insert_row(db, "user", {"name": name, "role": role, "password_hash": password_hash, "active": 1,
                                   "failed_logins": 0, "created_at": stamp, "updated_at": stamp})


def user_named(db, name):
    return next(db.query(f"{_SELECT_USER} WHERE name = ?", [name]), None)


def user_with_id(db, user_id):
    return next(db.query(f"{_SELECT_USER} WHERE id = ?", [user_id]), None)


def users(db):
    return list(db.query(f"{_SELECT_USER} ORDER BY name"))


def user_with_password(db, name):
    """The user row with its password hash, for checking a login; None for an unknown name."""
    return next(db.query("SELECT * FROM user WHERE name = ?", [name]), None)


def update_user(db, user_id, changes, touch=True):
    """Change a user's columns; `touch`: a change of the account (not a login's bookkeeping)."""
    columns = {**changes, "updated_at": now()} if touch else changes
    db.execute(f"UPDATE user SET {', '.join(f'[{k}] = ?' for k in columns)} WHERE id = ?",
               [*columns.values(), user_id])


# --- sessions --------------------------------------------------------------------------------

def insert_session(db, session_sha256, user_id, expires_at):
    insert_row(db, "login_session", {"id": session_sha256, "user_id": user_id, "created_at": now(),
                                     "expires_at": expires_at})


def session_user(db, session_sha256, at):
    """The active user of a session live at `at`, or None (expired, ended, unknown, inactive)."""
    return next(db.query(
        f"SELECT {', '.join('u.' + f for f in USER_FIELDS)} FROM login_session s JOIN user u ON u.id = s.user_id "
        "WHERE s.id = ? AND s.ended_at IS NULL AND s.expires_at > ? AND u.active = 1", [session_sha256, at]), None)


def end_session(db, session_sha256):
    db.execute("UPDATE login_session SET ended_at = ? WHERE id = ? AND ended_at IS NULL", [now(), session_sha256])


def end_sessions(db, user_id):
    db.execute("UPDATE login_session SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL", [now(), user_id])


# --- API tokens ------------------------------------------------------------------------------

def insert_token(db, user_id, label, token_sha256, expires_at, scope):
    insert_row(db, "api_token", {"user_id": user_id, "label": label, "token_sha256": token_sha256,
                                 "created_at": now(), "expires_at": expires_at, "scope": scope})


def token_user(db, token_sha256, at):
    """The active user a token live at `at` belongs to, with the token's id, label, scope and last use;
    or None."""
    return next(db.query(
        "SELECT t.id AS token_id, t.label AS token_label, t.scope AS token_scope, t.last_used_at, u.id, u.name, u.role, u.language FROM api_token t "
        "JOIN user u ON u.id = t.user_id "
        "WHERE t.token_sha256 = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?) "
        "AND u.active = 1", [token_sha256, at]), None)


def note_token_use(db, token_id, stamp):
    """Record when a token was last used; skipped, not waited for, while another process holds the
    write lock (the note is a courtesy, the request is what matters)."""
    db.execute("PRAGMA busy_timeout = 0")
    try:
        db.execute("UPDATE api_token SET last_used_at = ? WHERE id = ?", [stamp, token_id])
    except sqlite3.OperationalError:
        pass
    finally:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")


def tokens_of(db, user_id):
    return list(db.query("SELECT id, label, scope, created_at, expires_at, last_used_at, revoked_at FROM api_token "
                         "WHERE user_id = ? ORDER BY id", [user_id]))


def revoke_token(db, user_id, token_id):
    """True when one of the user's own live tokens was revoked."""
    return db.execute("UPDATE api_token SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
                      [now(), token_id, user_id]).rowcount == 1


def set_language(db, user_id, language):
    """The interface language the user chose (a code of archive/i18n.py LANGUAGES), kept on the account."""
    update_user(db, user_id, {"language": language}, touch=False)
