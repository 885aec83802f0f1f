"""What an administrator reads about each account: locked, throttled or active, and since or until when.

An account is *locked* by an administrator (`user.active = 0`): when and by whom comes from the
audit log, which records every lock. It is *throttled* while failed logins of its name make some
address wait (archive/security/login_throttle.py: waits are per name and address, so a stranger's failures
never lock the owner out; the admin sees how many failures, from how many addresses, and until when).
Otherwise it is active, perhaps with some failed logins counted since the last success.
"""
import datetime as dt
from dataclasses import dataclass

from archive.security import login_throttle
from archive.store import audit as audit_entries


@dataclass(frozen=True)
class AccountState:
    kind: str               # 'locked', 'throttled' or 'active'
    since: str | None = None  # ISO time the lock began (locked)
    by: str | None = None     # who locked it (locked)
    until: str | None = None  # ISO time the throttle ends (throttled)
    failed_logins: int = 0
    addresses: int = 0        # how many addresses the counted failures came from

    @property
    def lockable(self):
        return self.kind != "locked"

    @property
    def unlockable(self):
        """Unlocking also lifts a throttle (accounts.change_user clears the count and the time)."""
        return self.kind in ("locked", "throttled")


def _moment(text):
    """An ISO time as an aware datetime (a naive one is taken as UTC); None if unreadable."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def state_of(user, lock=None, now=None, standing=(0, 0, None)):
    """The state of one account row (`active`), given its last lock from the audit log ({at, actor}
    or None) and its failed logins' `standing` (login_throttle.standing)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    failed, addresses, wait = standing
    if not user["active"]:
        return AccountState("locked", since=lock and lock["at"], by=lock and lock["actor"], failed_logins=failed,
                            addresses=addresses)
    until = _moment(wait)
    if until and until > now:
        return AccountState("throttled", until=wait, failed_logins=failed, addresses=addresses)
    return AccountState("active", failed_logins=failed, addresses=addresses)


def states(db, users, now=None):
    """{account name: AccountState} for these account rows, with one read of the audit log."""
    locks = audit_entries.latest_locks(db)
    return {user["name"]: state_of(user, locks.get(user["name"].casefold()), now,
                                   login_throttle.standing(db, user["name"])) for user in users}
