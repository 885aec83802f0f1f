"""Slowing down password guessing without letting a stranger lock anyone out (OWASP ASVS 2.2.1).

Failed logins are counted per (name, client address), whether or not the name is an account, so
the answer never tells a stranger which names exist. After FREE_FAILURES, each further attempt of
that name from that address must wait, FIRST_WAIT doubling with every failure up to MAX_WAIT: a
few hundred guesses a day. The owner, from their own address, is not slowed by a stranger's
failures. An address that fails ADDRESS_FAILURES times within ADDRESS_WINDOW, whatever the names,
waits until the window ends: that bounds one address spreading guesses over many names.

A wrong second-factor code (archive/security/two_factor.py) counts as a failed login of the name
from that address, and also in the name's own row for every address (ANY_ADDRESS), which only a
right code clears: after CODE_FAILURES wrong codes, from however many addresses, every login of the
name waits, and is answered as any throttled login is, whether or not its password is right. Only
someone who knows the password can type codes, so a stranger still cannot lock anyone out.

Names and addresses are stored only as SHA-256: the table says nothing about who tried what (its SQL:
archive/store/login_failures.py).
"""
import datetime as dt
import hashlib

from flask_babel import gettext as _

from archive import errors
from archive.store import login_failures as failures

FREE_FAILURES = 5
FIRST_WAIT = dt.timedelta(seconds=30)
MAX_WAIT = dt.timedelta(minutes=15)
ADDRESS_FAILURES = 100
ADDRESS_WINDOW = dt.timedelta(hours=1)
FORGET_AFTER = dt.timedelta(days=1)  # a row with no failure for this long is deleted
ANY_NAME = ""                        # the name key of an address's own row
ANY_ADDRESS = "*"                    # the address key of a name's wrong codes from every address
CODE_FAILURES = 10


class Throttled(errors.ArchiveError):
    status = 429
    """Attempts from this address for this name (or from this address at all) must wait until `until`."""

    def __init__(self, until):
        self.until = until
        super().__init__(_("Too many failed logins: wait until %(time)s UTC before trying again, or ask an "
                           "administrator.", time=until.strftime('%H:%M:%S')))


def clock():
    """Now, in UTC (tests move it)."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def check(db, name, address):
    """Raise Throttled if attempts of `name` from `address` must wait now."""
    now = clock()
    waits = [_time(wait) for wait in failures.waits(db, _sha(address), [_name_key(name), ANY_NAME])
             + failures.waits(db, ANY_ADDRESS, [_name_key(name)])]
    until = max((wait for wait in waits if wait > now), default=None)
    if until:
        raise Throttled(until)


def failed(db, name, address):
    """Count a failed attempt; in the caller's write transaction."""
    now = clock()
    failures.forget_before(db, _text(now - FORGET_AFTER))
    count, _ = _count(db, _name_key(name), address, now)
    if count >= FREE_FAILURES:
        doublings = min(count - FREE_FAILURES, 10)  # MAX_WAIT is reached long before; no overflow
        _set_wait(db, _name_key(name), address, now + min(MAX_WAIT, FIRST_WAIT * 2 ** doublings))
    at_address, first = _count(db, ANY_NAME, address, now, window=ADDRESS_WINDOW)
    if at_address >= ADDRESS_FAILURES:
        _set_wait(db, ANY_NAME, address, first + ADDRESS_WINDOW)


def code_failed(db, name, address):
    """Count a wrong second-factor code: as a failed login from the address, and for the name from
    every address; in the caller's write transaction."""
    failed(db, name, address)
    count, _ = _count(db, _name_key(name), ANY_ADDRESS, clock(), hashed=True)
    if count >= CODE_FAILURES:
        doublings = min(count - CODE_FAILURES, 10)
        failures.set_wait(db, _name_key(name), ANY_ADDRESS, _text(clock() + min(MAX_WAIT, FIRST_WAIT * 2 ** doublings)))


def code_succeeded(db, name, address):
    """The right code: the name's counts, from this address and from every address, start again."""
    succeeded(db, name, address)
    failures.forget(db, _name_key(name), ANY_ADDRESS)


def succeeded(db, name, address):
    """The right password, not throttled: this name's count from this address starts again."""
    failures.forget(db, _name_key(name), _sha(address))


def forget(db, name):
    """An administrator unlocked the account: every address may try it again at once."""
    failures.forget(db, _name_key(name))


def standing(db, name):
    """What an administrator may know of this name's failed logins: (failures counted, how many
    addresses they came from, the latest time a wait lasts until or None). Addresses stay hashed."""
    return failures.standing(db, _name_key(name))


def _count(db, name_key, address, now, window=None, hashed=False):
    """Add one failure to the row, started afresh when its `window` is over: (count, first failure).
    `hashed`: `address` is already a key (ANY_ADDRESS)."""
    key = address if hashed else _sha(address)
    row = failures.counted(db, name_key, key)
    if row is None or (window is not None and _time(row[1]) < now - window):
        failures.start(db, name_key, key, _text(now))
        return 1, now
    failures.add_failure(db, name_key, key, _text(now))
    return row[0] + 1, _time(row[1])


def _set_wait(db, name_key, address, until):
    failures.set_wait(db, name_key, _sha(address), _text(until) if until else None)


def _name_key(name):
    return _sha("name:" + name.casefold())  # user names compare without case (COLLATE NOCASE)


def _sha(text):
    return hashlib.sha256(text.encode("utf-8", "backslashreplace")).hexdigest()


def _text(moment):
    return moment.isoformat(timespec="seconds")


def _time(text):
    return dt.datetime.fromisoformat(text)
