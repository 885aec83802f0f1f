"""What an administrator reads about each account: locked, throttled or active, and since or until when.

An account is *locked* by an administrator (`user.active = 0`): when and by whom comes from the
audit log, which records every lock. It is *throttled* while `user.locked_until` is in the future,
after failed logins (archive/accounts.py `authenticate` sets it; this module only reads the
columns, whatever the throttling rule that wrote them). Otherwise it is active, perhaps with some
failed logins counted since the last success.
"""
import datetime as dt
from dataclasses import dataclass

from archive import audit_entries


@dataclass(frozen=True)
class AccountState:
    kind: str               # 'locked', 'throttled' or 'active'
    since: str | None = None  # ISO time the lock began (locked)
    by: str | None = None     # who locked it (locked)
    until: str | None = None  # ISO time the throttle ends (throttled)
    failed_logins: int = 0

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


def state_of(user, lock=None, now=None):
    """The state of one account row (`active`, `failed_logins`, `locked_until`), given its last lock
    from the audit log, as {at, actor} or None."""
    now = now or dt.datetime.now(dt.timezone.utc)
    failed = user.get("failed_logins") or 0
    if not user["active"]:
        return AccountState("locked", since=lock and lock["at"], by=lock and lock["actor"], failed_logins=failed)
    until = _moment(user.get("locked_until"))
    if until and until > now:
        return AccountState("throttled", until=user["locked_until"], failed_logins=failed)
    return AccountState("active", failed_logins=failed)


def states(db, users, now=None):
    """{account name: AccountState} for these account rows, with one read of the audit log."""
    locks = audit_entries.latest_locks(db)
    return {user["name"]: state_of(user, locks.get(user["name"].casefold()), now) for user in users}
