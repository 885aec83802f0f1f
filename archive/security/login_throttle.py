"""Slowing down password guessing without letting a stranger lock anyone out (OWASP ASVS 2.2.1).

Failed logins are counted per (name, client address), whether or not the name is an account, so
the answer never tells a stranger which names exist. After FREE_FAILURES, each further attempt of
that name from that address must wait, FIRST_WAIT doubling with every failure up to MAX_WAIT: a
few hundred guesses a day. The owner, from their own address, is not slowed by a stranger's
failures. An address that fails ADDRESS_FAILURES times within ADDRESS_WINDOW, whatever the names,
waits until the window ends: that bounds one address spreading guesses over many names.

Names and addresses are stored only as SHA-256: the table says nothing about who tried what.
"""
import datetime as dt
import hashlib

FREE_FAILURES = 5
FIRST_WAIT = dt.timedelta(seconds=30)
MAX_WAIT = dt.timedelta(minutes=15)
ADDRESS_FAILURES = 100
ADDRESS_WINDOW = dt.timedelta(hours=1)
FORGET_AFTER = dt.timedelta(days=1)  # a row with no failure for this long is deleted
ANY_NAME = ""                        # the name key of an address's own row


class Throttled(Exception):
    """Attempts from this address for this name (or from this address at all) must wait until `until`."""

    def __init__(self, until):
        self.until = until
        super().__init__(f"Too many failed logins: wait until {until.strftime('%H:%M:%S')} UTC before trying "
                         "again, or ask an administrator.")


def clock():
    """Now, in UTC (tests move it)."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def check(db, name, address):
    """Raise Throttled if attempts of `name` from `address` must wait now."""
    now = clock()
    waits = [_time(row["wait_until"]) for row in db.query(
        "SELECT wait_until FROM login_failure WHERE address_sha256 = ? AND name_sha256 IN (?, ?) "
        "AND wait_until IS NOT NULL", [_sha(address), _name_key(name), ANY_NAME])]
    until = max((wait for wait in waits if wait > now), default=None)
    if until:
        raise Throttled(until)


def failed(db, name, address):
    """Count a failed attempt; in the caller's write transaction."""
    now = clock()
    db.execute("DELETE FROM login_failure WHERE last_at < ?", [_text(now - FORGET_AFTER)])
    failures, _ = _count(db, _name_key(name), address, now)
    if failures >= FREE_FAILURES:
        doublings = min(failures - FREE_FAILURES, 10)  # MAX_WAIT is reached long before; no overflow
        _set_wait(db, _name_key(name), address, now + min(MAX_WAIT, FIRST_WAIT * 2 ** doublings))
    at_address, first = _count(db, ANY_NAME, address, now, window=ADDRESS_WINDOW)
    if at_address >= ADDRESS_FAILURES:
        _set_wait(db, ANY_NAME, address, first + ADDRESS_WINDOW)


def succeeded(db, name, address):
    """The right password, not throttled: this name's count from this address starts again."""
    db.execute("DELETE FROM login_failure WHERE name_sha256 = ? AND address_sha256 = ?",
               [_name_key(name), _sha(address)])


def forget(db, name):
    """An administrator unlocked the account: every address may try it again at once."""
    db.execute("DELETE FROM login_failure WHERE name_sha256 = ?", [_name_key(name)])


def standing(db, name):
    """What an administrator may know of this name's failed logins: (failures counted, how many
    addresses they came from, the latest time a wait lasts until or None). Addresses stay hashed."""
    failures, addresses, until = db.execute(
        "SELECT coalesce(sum(failures), 0), count(*), max(wait_until) FROM login_failure WHERE name_sha256 = ?",
        [_name_key(name)]).fetchone()
    return failures, addresses, until


def _count(db, name_key, address, now, window=None):
    """Add one failure to the row, started afresh when its `window` is over: (count, first failure)."""
    row = db.execute("SELECT failures, first_at FROM login_failure WHERE name_sha256 = ? AND address_sha256 = ?",
                     [name_key, _sha(address)]).fetchone()
    if row is None or (window is not None and _time(row[1]) < now - window):
        db.execute("INSERT OR REPLACE INTO login_failure (name_sha256, address_sha256, failures, first_at, last_at) "
                   "VALUES (?, ?, 1, ?, ?)", [name_key, _sha(address), _text(now), _text(now)])
        return 1, now
    db.execute("UPDATE login_failure SET failures = failures + 1, last_at = ? WHERE name_sha256 = ? "
               "AND address_sha256 = ?", [_text(now), name_key, _sha(address)])
    return row[0] + 1, _time(row[1])


def _set_wait(db, name_key, address, until):
    db.execute("UPDATE login_failure SET wait_until = ? WHERE name_sha256 = ? AND address_sha256 = ?",
               [_text(until) if until else None, name_key, _sha(address)])


def _name_key(name):
    return _sha("name:" + name.casefold())  # user names compare without case (COLLATE NOCASE)


def _sha(text):
    return hashlib.sha256(text.encode("utf-8", "backslashreplace")).hexdigest()


def _text(moment):
    return moment.isoformat(timespec="seconds")


def _time(text):
    return dt.datetime.fromisoformat(text)
