"""Accounts: users, their login sessions and personal API tokens (their SQL: archive/store/accounts.py).

Passwords are hashed with argon2id; session ids and API tokens are random and stored only as
SHA-256, so a copied database alone opens no session. A session lives in this table, not only in
the signed cookie, so that logout, locking an account or changing its role ends it at once.
"""
import datetime as dt
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from archive import errors
from archive.i18n import say
from archive.security import login_throttle
from archive.security.access import DEFAULT_SCOPE, ROLES, SAFE_METHODS, TOKEN_SCOPES
from archive.store import accounts as rows
from archive.store import now

MIN_PASSWORD_LENGTH = 12
SESSION_LIFETIME = dt.timedelta(hours=8)
TOKEN_PREFIX = "ta_"            # recognisable in a leaked log or paste

_hasher = PasswordHasher()  # argon2-cffi's defaults: RFC 9106's low-memory profile (64 MiB, 3 passes)
_dummy_hash = None  # a hash to check unknown names against (equal work), made at the first login


def use_hasher(hasher):
    """Swap the argon2 parameters (the test suite uses cheap ones; hashes record their own)."""
    global _hasher, _dummy_hash
    _hasher, _dummy_hash = hasher, None


class AccountError(errors.Invalid):
    """A refused account change or login, with a message that can be shown to the person."""


def _sha256(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def _utc(offset=dt.timedelta()):
    return (dt.datetime.now(dt.timezone.utc) + offset).isoformat(timespec="seconds")


def check_password(password):
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(say("a password needs at least %(least)s characters", least=MIN_PASSWORD_LENGTH))


# --- users -----------------------------------------------------------------------------------

def add_user(db, name, role, password):
    if role not in ROLES:
        raise AccountError(say("unknown role %(role)s; roles are: %(roles)s", role=repr(role), roles=", ".join(ROLES)))
    if not name or len(name) > 64 or not name.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise AccountError(say("a user name is 1-64 letters, digits, '.', '-' or '_'"))
    check_password(password)
    if get_user(db, name):
        raise AccountError(say("there is already a user %(name)s", name=name))
    return rows.insert_user(db, name, role, _hasher.hash(password))


def get_user(db, name):
    return rows.user_named(db, name)


def get_user_by_id(db, user_id):
    return rows.user_with_id(db, user_id)


def list_users(db):
    return rows.users(db)


def change_user(db, name, role=None, active=None, password=None):
    """Change role, active flag or password; any change ends the user's sessions."""
    user = get_user(db, name)
    if user is None:
        raise AccountError(say("no user %(name)s", name=name))
    changes = {}
    if role is not None:
        if role not in ROLES:
            raise AccountError(say("unknown role %(role)s; roles are: %(roles)s", role=repr(role),
                                   roles=", ".join(ROLES)))
        changes["role"] = role
    if active is not None:
        changes.update(active=int(active), failed_logins=0, locked_until=None)
        if active:
            login_throttle.forget(db, user["name"])  # unlocking also lets every address try again
    if password is not None:
        check_password(password)
        changes["password_hash"] = _hasher.hash(password)
    rows.update_user(db, user["id"], changes)
    end_sessions(db, user["id"])
    return {**user, **changes}


def authenticate(db, name, password):
    """The user for a correct name and password of an active account; None for anything else.

    An unknown name, a wrong password and an account an administrator locked get the same answer
    after the same work: the password is hashed against a stored hash in every case, so neither
    the answer nor its time tells a stranger which names exist. (Slowing guesses down is
    archive/security/login_throttle.py's, per name and address: no number of failures locks an account.)"""
    row = rows.user_with_password(db, name)
    correct = _verify(row["password_hash"] if row else _dummy(), password)
    if row is None:
        return None
    if not (correct and row["active"]):
        rows.update_user(db, row["id"], {"failed_logins": row["failed_logins"] + 1}, touch=False)
        return None
    changes = {"failed_logins": 0, "locked_until": None}
    if _hasher.check_needs_rehash(row["password_hash"]):
        changes["password_hash"] = _hasher.hash(password)
    rows.update_user(db, row["id"], changes, touch=False)
    return get_user_by_id(db, row["id"])


def password_matches(db, user_id, password):
    """Is this the account's password? (Asked again before a change only its owner may make.)"""
    row = get_user_by_id(db, user_id)
    found = row and rows.user_with_password(db, row["name"])
    return bool(found) and _verify(found["password_hash"], password)


def _dummy():
    global _dummy_hash
    if _dummy_hash is None:  # hashing costs a tenth of a second: not at import, which every command pays
        _dummy_hash = _hasher.hash("not a password of anyone's")
    return _dummy_hash


def _verify(password_hash, password):
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# --- sessions --------------------------------------------------------------------------------

def start_session(db, user_id):
    """A new random session id (for the cookie); only its hash is stored."""
    session_id = secrets.token_urlsafe(32)
    rows.insert_session(db, _sha256(session_id), user_id, _utc(SESSION_LIFETIME))
    return session_id


def session_user(db, session_id):
    """The active user of a live session, or None (expired, ended, unknown, inactive)."""
    return rows.session_user(db, _sha256(session_id), _utc())


def end_session(db, session_id):
    rows.end_session(db, _sha256(session_id))


def end_sessions(db, user_id):
    rows.end_sessions(db, user_id)


# --- API tokens ------------------------------------------------------------------------------

def create_token(db, user_id, label, days=None, scope=DEFAULT_SCOPE):
    """A new personal API token, returned once; only its hash is kept."""
    if not label or len(label) > 100:
        raise AccountError(say("a token needs a label of 1-100 characters, to recognise it later"))
    if scope not in TOKEN_SCOPES:
        raise AccountError(say("a token's scope is read or write, not %(scope)s", scope=repr(scope)))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    rows.insert_token(db, user_id, label, _sha256(token), _utc(dt.timedelta(days=days)) if days else None, scope)
    return token


def create_token_for(db, name, label, days=None, scope=DEFAULT_SCOPE):
    """A new token for the account NAME (an administrator's or the CLI's doing), returned once."""
    user = get_user(db, name)
    if user is None:
        raise AccountError(say("no user %(name)s", name=name))
    return create_token(db, user["id"], label, days, scope)


def token_may(found, method):
    """May a request with this token (as `token_user` found it) use this HTTP method?"""
    return found["token_scope"] == "write" or method.upper() in SAFE_METHODS


def token_user(db, token):
    """The active user a live token belongs to, or None (unknown, revoked, expired, inactive). Reads
    only: a request must not wait for a long import's transaction just to note the token's use."""
    return rows.token_user(db, _sha256(token), _utc())


def note_token_use(db, found):
    """Record when a token was last used, to the minute; skipped, not waited for, while another
    process holds the write lock (the note is a courtesy, the request is what matters)."""
    stamp = now()
    if not (found["last_used_at"] and found["last_used_at"][:16] == stamp[:16]):
        rows.note_token_use(db, found["token_id"], stamp)


def list_tokens(db, user_id):
    return rows.tokens_of(db, user_id)


def revoke_token(db, user_id, token_id):
    """Revoke one of the user's own tokens; False when it is not theirs or already revoked."""
    return rows.revoke_token(db, user_id, token_id)
