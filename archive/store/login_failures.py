"""Failed logins, counted per (name, client address), both kept only as SHA-256 keys
(archive/security/login_throttle.py decides what they mean). Times are ISO text in UTC."""


def waits(db, address_key, name_keys):
    """The `wait_until` times set for this address and these names."""
    marks = ", ".join("?" * len(name_keys))
    return [row[0] for row in db.execute(
        f"SELECT wait_until FROM login_failure WHERE address_sha256 = ? AND name_sha256 IN ({marks}) "
        "AND wait_until IS NOT NULL", [address_key, *name_keys])]


def forget_before(db, moment):
    db.execute("DELETE FROM login_failure WHERE last_at < ?", [moment])


def forget(db, name_key, address_key=None):
    """Forget the name's failures: from one address, or from every address."""
    if address_key is None:
        db.execute("DELETE FROM login_failure WHERE name_sha256 = ?", [name_key])
    else:
        db.execute("DELETE FROM login_failure WHERE name_sha256 = ? AND address_sha256 = ?", [name_key, address_key])


def standing(db, name_key):
    """(failures, addresses, latest wait_until or None) of the name, from every address. The row of
    wrong codes from every address ('*') counts its wait, not its failures, counted per address already."""
    return tuple(db.execute(
        "SELECT coalesce(sum(failures) FILTER (WHERE address_sha256 != '*'), 0), "
        "count(*) FILTER (WHERE address_sha256 != '*'), max(wait_until) FROM login_failure "
        "WHERE name_sha256 = ?", [name_key]).fetchone())


def counted(db, name_key, address_key):
    """(failures, first failure) of the row, or None."""
    row = db.execute("SELECT failures, first_at FROM login_failure WHERE name_sha256 = ? AND address_sha256 = ?",
                     [name_key, address_key]).fetchone()
    return tuple(row) if row else None


def start(db, name_key, address_key, moment):
    db.execute("INSERT OR REPLACE INTO login_failure (name_sha256, address_sha256, failures, first_at, last_at) "
               "VALUES (?, ?, 1, ?, ?)", [name_key, address_key, moment, moment])


def add_failure(db, name_key, address_key, moment):
    db.execute("UPDATE login_failure SET failures = failures + 1, last_at = ? WHERE name_sha256 = ? "
               "AND address_sha256 = ?", [moment, name_key, address_key])


def set_wait(db, name_key, address_key, until):
    db.execute("UPDATE login_failure SET wait_until = ? WHERE name_sha256 = ? AND address_sha256 = ?",
               [until, name_key, address_key])
