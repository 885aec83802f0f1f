"""Accounts: users, their login sessions and personal API tokens. Every SQL statement about them.

Passwords are hashed with argon2id; session ids and API tokens are random and stored only as
SHA-256, so a copied database alone opens no session. A session lives in this table, not only in
the signed cookie, so that logout, locking an account or changing its role ends it at once.
"""
import datetime as dt
import hashlib
import secrets
import sqlite3

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from archive.security import login_throttle
from archive.security.access import ROLES
from archive.store.db import BUSY_TIMEOUT_S
from archive.store import now

MIN_PASSWORD_LENGTH = 12
SESSION_LIFETIME = dt.timedelta(hours=8)
TOKEN_PREFIX = "ta_"            # recognisable in a leaked log or paste
USER_FIELDS = "id, name, role, active, failed_logins, locked_until, created_at, updated_at"

_hasher = PasswordHasher()  # argon2-cffi's defaults: RFC 9106's low-memory profile (64 MiB, 3 passes)
_DUMMY_HASH = _hasher.hash("not a password of anyone's")  # equal work for unknown names


def use_hasher(hasher):
    """Swap the argon2 parameters (the test suite uses cheap ones; hashes record their own)."""
    global _hasher, _DUMMY_HASH
    _hasher, _DUMMY_HASH = hasher, hasher.hash("not a password of anyone's")


class AccountError(ValueError):
    """A refused account change or login, with a message that can be shown to the person."""


def _sha256(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def _utc(offset=dt.timedelta()):
    return (dt.datetime.now(dt.timezone.utc) + offset).isoformat(timespec="seconds")


def check_password(password):
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")


# --- users -----------------------------------------------------------------------------------

def add_user(db, name, role, password):
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; roles are: {', '.join(ROLES)}")
    if not name or len(name) > 64 or not name.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise AccountError("a user name is 1-64 letters, digits, '.', '-' or '_'")
    check_password(password)
    if get_user(db, name):
        raise AccountError(f"there is already a user {name}")
    stamp = now()
    return db["user"].insert({"name": name, "role": role, "password_hash": _hasher.hash(password),
                              "active": 1, "failed_logins": 0, "created_at": stamp,
                              "updated_at": stamp}).last_pk


def get_user(db, name):
    rows = list(db.query(f"SELECT {USER_FIELDS} FROM user WHERE name = ?", [name]))
    return rows[0] if rows else None


def get_user_by_id(db, user_id):
    rows = list(db.query(f"SELECT {USER_FIELDS} FROM user WHERE id = ?", [user_id]))
    return rows[0] if rows else None


def list_users(db):
    return list(db.query(f"SELECT {USER_FIELDS} FROM user ORDER BY name"))


def change_user(db, name, role=None, active=None, password=None):
    """Change role, active flag or password; any change ends the user's sessions."""
    user = get_user(db, name)
    if user is None:
        raise AccountError(f"no user {name}")
    changes = {}
    if role is not None:
        if role not in ROLES:
            raise AccountError(f"unknown role {role!r}; roles are: {', '.join(ROLES)}")
        changes["role"] = role
    if active is not None:
        changes.update(active=int(active), failed_logins=0, locked_until=None)
        if active:
            login_throttle.forget(db, user["name"])  # unlocking also lets every address try again
    if password is not None:
        check_password(password)
        changes["password_hash"] = _hasher.hash(password)
    db["user"].update(user["id"], {**changes, "updated_at": now()})
    end_sessions(db, user["id"])
    return {**user, **changes}


def authenticate(db, name, password):
    """The user for a correct name and password of an active account; None for anything else.

    An unknown name, a wrong password and an account an administrator locked get the same answer
    after the same work: the password is hashed against a stored hash in every case, so neither
    the answer nor its time tells a stranger which names exist. (Slowing guesses down is
    archive/security/login_throttle.py's, per name and address: no number of failures locks an account.)"""
    row = next(db.query("SELECT * FROM user WHERE name = ?", [name]), None)
    correct = _verify(row["password_hash"] if row else _DUMMY_HASH, password)
    if row is None:
        return None
    if not (correct and row["active"]):
        db["user"].update(row["id"], {"failed_logins": row["failed_logins"] + 1})
        return None
    changes = {"failed_logins": 0, "locked_until": None}
    if _hasher.check_needs_rehash(row["password_hash"]):
        changes["password_hash"] = _hasher.hash(password)
    db["user"].update(row["id"], changes)
    return get_user_by_id(db, row["id"])


def _verify(password_hash, password):
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# --- sessions --------------------------------------------------------------------------------

def start_session(db, user_id):
    """A new random session id (for the cookie); only its hash is stored."""
    session_id = secrets.token_urlsafe(32)
    db["login_session"].insert({"id": _sha256(session_id), "user_id": user_id, "created_at": now(),
                                "expires_at": _utc(SESSION_LIFETIME)})
    return session_id


def session_user(db, session_id):
    """The active user of a live session, or None (expired, ended, unknown, inactive)."""
    rows = list(db.query(
        f"SELECT {', '.join('u.' + f.strip() for f in USER_FIELDS.split(','))} FROM login_session s "
        "JOIN user u ON u.id = s.user_id "
        "WHERE s.id = ? AND s.ended_at IS NULL AND s.expires_at > ? AND u.active = 1",
        [_sha256(session_id), _utc()]))
    return rows[0] if rows else None


def end_session(db, session_id):
    db.execute("UPDATE login_session SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
               [now(), _sha256(session_id)])


def end_sessions(db, user_id):
    db.execute("UPDATE login_session SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL", [now(), user_id])


# --- API tokens ------------------------------------------------------------------------------

def create_token(db, user_id, label, days=None):
    """A new personal API token, returned once; only its hash is kept."""
    if not label or len(label) > 100:
        raise AccountError("a token needs a label of 1-100 characters, to recognise it later")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db["api_token"].insert({"user_id": user_id, "label": label, "token_sha256": _sha256(token),
                            "created_at": now(), "expires_at": _utc(dt.timedelta(days=days)) if days else None})
    return token


def create_token_for(db, name, label, days=None):
    """A new token for the account NAME (an administrator's or the CLI's doing), returned once."""
    user = get_user(db, name)
    if user is None:
        raise AccountError(f"no user {name}")
    return create_token(db, user["id"], label, days)


def token_user(db, token):
    """The active user a live token belongs to, or None (unknown, revoked, expired, inactive). Reads
    only: a request must not wait for a long import's transaction just to note the token's use."""
    rows = list(db.query(
        "SELECT t.id AS token_id, t.last_used_at, u.id, u.name, u.role FROM api_token t "
        "JOIN user u ON u.id = t.user_id "
        "WHERE t.token_sha256 = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?) "
        "AND u.active = 1", [_sha256(token), _utc()]))
    return rows[0] if rows else None


def note_token_use(db, found):
    """Record when a token was last used, to the minute; skipped, not waited for, while another
    process holds the write lock (the note is a courtesy, the request is what matters)."""
    stamp = now()
    if found["last_used_at"] and found["last_used_at"][:16] == stamp[:16]:
        return
    db.execute("PRAGMA busy_timeout = 0")
    try:
        db.execute("UPDATE api_token SET last_used_at = ? WHERE id = ?", [stamp, found["token_id"]])
    except sqlite3.OperationalError:
        pass
    finally:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")


def list_tokens(db, user_id):
    return list(db.query("SELECT id, label, created_at, expires_at, last_used_at, revoked_at FROM api_token "
                         "WHERE user_id = ? ORDER BY id", [user_id]))


def revoke_token(db, user_id, token_id):
    """Revoke one of the user's own tokens; False when it is not theirs or already revoked."""
    cursor = db.execute("UPDATE api_token SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
                        [now(), token_id, user_id])
    return cursor.rowcount == 1
