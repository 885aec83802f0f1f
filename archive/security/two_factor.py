"""Two-factor login: a code from an authenticator app (TOTP, RFC 6238, through pyotp) after the password,
or one of ten single-use recovery codes (its SQL: archive/store/two_factor.py).

- A code is accepted for the current 30-second step or the one either side (a phone's clock drifts),
  and only for a step later than the last one accepted: a code seen over a shoulder, or sent twice,
  opens nothing.
- Recovery codes are 80 random bits each, so they are stored as SHA-256, as API tokens are.
- The secret must be read back to check codes, so it is stored as given, or sealed with
  ARCHIVE_IDENTITY_KEY when one is set (archive/security/sealing.py), as witnesses' names are.
- Between the password and the code there is a *pending login* (its id in the cookie, its SHA-256
  in the table): not a session, it opens nothing but the code or enrolment page, for minutes.
- Which roles must use it is the archive's setting (`meta`); until an administrator chooses, every
  role that may read witnesses' identities must, and admin, who may give any role to anyone.
"""
import datetime as dt
import hashlib
import hmac
import secrets
import time

import pyotp
import segno

from archive import errors
from archive.i18n import say
from archive.security import sealing
from archive.security.access import PERMISSIONS, ROLES
from archive.store import accounts as account_rows
from archive.store import two_factor as rows

ISSUER = "Testimony archive"     # what the authenticator app shows beside the account name
STEP_SECONDS = 30                # RFC 6238's default, which every app uses
DRIFT_STEPS = 1                  # a code of the step before or after is accepted too
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
RECOVERY_LENGTH = 16             # 16 of 31 letters: 79 bits, beyond guessing even from a copied hash
PENDING_LIFETIME = dt.timedelta(minutes=10)


class TwoFactorError(errors.Invalid):
    """A refused enrolment, code or change, with a message for the person."""


def clock():
    """Seconds since the epoch (tests move it, as a phone's clock would be)."""
    return time.time()


def _sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def _utc(offset=dt.timedelta()):
    return (dt.datetime.now(dt.timezone.utc) + offset).isoformat(timespec="seconds")


# --- who must use it -------------------------------------------------------------------------

def default_required_roles():
    """Roles that may read identities (PERMISSIONS' read_identity), and those who grant roles."""
    wanted = set(PERMISSIONS["read_identity"][0]) | set(PERMISSIONS["manage_users"][0])
    return [role for role in ROLES if role in wanted]


def required_roles(db):
    stored = rows.required_roles(db)
    return default_required_roles() if stored is None else [role for role in ROLES if role in stored]


def set_required_roles(db, roles):
    """Store the roles that must use it; sessions of their accounts without it end (they enrol at
    their next login). Returns the names whose sessions ended."""
    unknown = [role for role in roles if role not in ROLES]
    if unknown:
        raise TwoFactorError(say("unknown role %(role)s; roles are: %(roles)s", role=repr(unknown[0]),
                                 roles=", ".join(ROLES)))
    rows.set_required_roles(db, roles)
    enrolled = rows.enrolled_user_ids(db)
    ended = []
    for user in account_rows.users(db):
        if user["role"] in roles and user["id"] not in enrolled:
            account_rows.end_sessions(db, user["id"])
            ended.append(user["name"])
    return ended


def is_required(db, user):
    return user["role"] in required_roles(db)


def is_enrolled(db, user_id):
    factor = rows.factor_of(db, user_id)
    return bool(factor and factor["confirmed_at"])


def enrolled_user_ids(db):
    return rows.enrolled_user_ids(db)


def recovery_codes_left(db, user_id):
    return rows.recovery_codes_left(db, user_id)


# --- enrolment -------------------------------------------------------------------------------

def start_enrolment(db, user_id):
    """A new secret for the account, not in force until a code of it is typed back."""
    if is_enrolled(db, user_id):
        raise TwoFactorError(say("two-factor login is already on for this account"))
    rows.start_enrolment(db, user_id, sealing.seal(pyotp.random_base32()))


def enrolment(db, user):
    """What the enrolment page shows: the secret (grouped in fours, to type), its otpauth:// URI and
    the QR code of it as an SVG data: URI (drawn here: nothing is fetched). None if not started."""
    factor = rows.factor_of(db, user["id"])
    if factor is None or factor["confirmed_at"]:
        return None
    secret = sealing.unseal(factor["secret"])
    uri = pyotp.TOTP(secret).provisioning_uri(name=user["name"], issuer_name=ISSUER)
    qr = segno.make(uri, error="m").svg_data_uri(scale=4, border=4, dark="#000", light="#fff")
    return {"secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)), "uri": uri, "qr": qr}


def confirm_enrolment(db, user_id, code):
    """Put the secret in force with its first code; returns the recovery codes, to be shown once."""
    factor = rows.factor_of(db, user_id)
    if factor is None or factor["confirmed_at"]:
        raise TwoFactorError(say("start setting up two-factor login first"))
    step = _matching_step(sealing.unseal(factor["secret"]), code)
    if step is None:
        raise TwoFactorError(say("that code is not the one your app shows now: check the app's account is "
                                 "this archive's, and that the phone's clock is right"))
    rows.confirm(db, user_id, step)
    return new_recovery_codes(db, user_id)


def new_recovery_codes(db, user_id):
    """Ten new recovery codes (the old ones stop working), returned once; only their hashes are kept."""
    codes = ["-".join("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(4)) for _ in range(4))
             for _ in range(RECOVERY_CODES)]
    rows.replace_recovery_codes(db, user_id, [_sha256(_recovery_form(code)) for code in codes])
    return codes


# --- checking a code -------------------------------------------------------------------------

def check_code(db, user_id, code):
    """'code' or 'recovery' when the code opens the account (and is used up), None otherwise."""
    factor = rows.factor_of(db, user_id)
    if factor is None or not factor["confirmed_at"]:
        return None
    digits = "".join(code.split())
    if digits.isdigit():
        step = _matching_step(sealing.unseal(factor["secret"]), digits)
        return "code" if step is not None and rows.accept_step(db, user_id, step) else None
    return "recovery" if rows.use_recovery_code(db, user_id, _sha256(_recovery_form(code))) else None


def _matching_step(secret, code):
    """The time step whose code this is, within the drift allowed; None if none."""
    digits = "".join(str(code).split())
    if not (len(digits) == 6 and digits.isdigit()):
        return None
    totp, now_step = pyotp.TOTP(secret), int(clock() // STEP_SECONDS)
    found = None
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), digits):  # every step compared: equal time
            found = step
    return found


def _recovery_form(code):
    """A recovery code as compared: letters only, lower case (typed with or without the dashes)."""
    return "".join(letter for letter in code.casefold() if letter.isalnum())[:64]


# --- turning it off --------------------------------------------------------------------------

def remove(db, user_id):
    """Secret and recovery codes gone, every session and pending login of the account ended."""
    rows.remove(db, user_id)
    rows.end_pendings(db, user_id)
    account_rows.end_sessions(db, user_id)


def reset(db, name):
    """An administrator's reset (the page or `archive user reset-2fa`): the account logs in with its
    password again, and enrols anew at its next login if its role requires it."""
    user = account_rows.user_named(db, name)
    if user is None:
        raise TwoFactorError(say("no user %(name)s", name=name))
    if rows.factor_of(db, user["id"]) is None:
        raise TwoFactorError(say("%(name)s has no two-factor login to reset", name=user["name"]))
    remove(db, user["id"])
    return user


# --- pending logins --------------------------------------------------------------------------

def start_pending(db, user_id, step):
    """A pending login (step 'code' or 'enrol'); returns the random id for the cookie."""
    pending_id = secrets.token_urlsafe(32)
    rows.insert_pending(db, _sha256(pending_id), user_id, step, _utc(PENDING_LIFETIME))
    return pending_id


def pending(db, pending_id):
    """{user_id, step} of a live pending login, or None (expired, ended, unknown, account locked)."""
    return rows.pending(db, _sha256(pending_id), _utc()) if pending_id else None


def end_pending(db, pending_id):
    if pending_id:
        rows.end_pending(db, _sha256(pending_id))
