"""Two-factor login: TOTP secrets, recovery codes, pending logins and which roles must use it. Codes
and pending-login ids arrive already hashed (archive/security/two_factor.py hashes them)."""
import json

from archive.store.rows import insert_row, now

REQUIRED_KEY = "two_factor_roles"  # meta: the roles that must use two-factor login, as a JSON list


# --- the requirement -------------------------------------------------------------------------

def required_roles(db):
    """The roles stored as requiring two-factor login, or None when an administrator never chose."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", [REQUIRED_KEY]).fetchone()
    return json.loads(row[0]) if row else None


def set_required_roles(db, roles):
    db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [REQUIRED_KEY, json.dumps(sorted(roles))])


# --- secrets ---------------------------------------------------------------------------------

def factor_of(db, user_id):
    """{secret, confirmed_at, last_step, created_at} of the account, or None."""
    return next(db.query("SELECT secret, confirmed_at, last_step, created_at FROM two_factor WHERE user_id = ?",
                         [user_id]), None)


def enrolled_user_ids(db):
    return {row[0] for row in db.execute("SELECT user_id FROM two_factor WHERE confirmed_at IS NOT NULL")}


def start_enrolment(db, user_id, secret):
    """A new, unconfirmed secret for the account (an earlier unconfirmed one is replaced)."""
    db.execute("DELETE FROM two_factor WHERE user_id = ? AND confirmed_at IS NULL", [user_id])
    insert_row(db, "two_factor", {"user_id": user_id, "secret": secret, "created_at": now()})


def confirm(db, user_id, step):
    db.execute("UPDATE two_factor SET confirmed_at = ?, last_step = ? WHERE user_id = ?", [now(), step, user_id])


def accept_step(db, user_id, step):
    """Note `step` as the last accepted, unless it (or a later one) already was: True when noted.
    One statement, so two requests with the same code cannot both be accepted."""
    return db.execute("UPDATE two_factor SET last_step = ? WHERE user_id = ? AND confirmed_at IS NOT NULL "
                      "AND (last_step IS NULL OR last_step < ?)", [step, user_id, step]).rowcount == 1


def reseal_secrets(db, reseal):
    """Each secret rewritten as `reseal` gives it (sealed with the current key); returns how many changed."""
    changed = 0
    for user_id, secret in db.execute("SELECT user_id, secret FROM two_factor").fetchall():
        if reseal(secret) != secret:
            db.execute("UPDATE two_factor SET secret = ? WHERE user_id = ?", [reseal(secret), user_id])
            changed += 1
    return changed


def remove(db, user_id):
    """The account's secret and recovery codes, gone: it logs in with its password alone again."""
    db.execute("DELETE FROM recovery_code WHERE user_id = ?", [user_id])
    db.execute("DELETE FROM two_factor WHERE user_id = ?", [user_id])


# --- recovery codes --------------------------------------------------------------------------

def replace_recovery_codes(db, user_id, code_hashes):
    db.execute("DELETE FROM recovery_code WHERE user_id = ?", [user_id])
    for code_sha256 in code_hashes:
        insert_row(db, "recovery_code", {"user_id": user_id, "code_sha256": code_sha256})


def use_recovery_code(db, user_id, code_sha256):
    """True when the code was one of the account's unused ones; it is used from now on."""
    return db.execute("UPDATE recovery_code SET used_at = ? WHERE user_id = ? AND code_sha256 = ? "
                      "AND used_at IS NULL", [now(), user_id, code_sha256]).rowcount == 1


def recovery_codes_left(db, user_id):
    return db.execute("SELECT count(*) FROM recovery_code WHERE user_id = ? AND used_at IS NULL",
                      [user_id]).fetchone()[0]


# --- pending logins --------------------------------------------------------------------------

def insert_pending(db, pending_sha256, user_id, step, expires_at):
    db.execute("DELETE FROM pending_login WHERE expires_at < ?", [now()])
    insert_row(db, "pending_login", {"id": pending_sha256, "user_id": user_id, "step": step,
                                     "created_at": now(), "expires_at": expires_at})


def pending(db, pending_sha256, at):
    """{user_id, step} of a pending login live at `at` whose account is active, or None."""
    return next(db.query("SELECT p.user_id, p.step FROM pending_login p JOIN user u ON u.id = p.user_id "
                         "WHERE p.id = ? AND p.expires_at > ? AND u.active = 1", [pending_sha256, at]), None)


def end_pending(db, pending_sha256):
    db.execute("DELETE FROM pending_login WHERE id = ?", [pending_sha256])


def end_pendings(db, user_id):
    db.execute("DELETE FROM pending_login WHERE user_id = ?", [user_id])
