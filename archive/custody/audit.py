"""The append-only audit log: who did what, when, each entry chained to the one before by a hash.

An entry's hash is SHA-256 over its own content and the previous entry's hash, so altering,
removing or reordering any entry breaks every hash after it. Removing entries from the *end*
leaves a valid shorter chain: `verify` prints the head (count and last hash) so that it can be
written down outside the database, and given back with `--expect-head` to detect that too: the
chain must still pass through that head, whatever was appended since.
Details never hold a witness's identifying fields.

An entry written while a request authenticated by an API token is served names that token's label
(`api_token` in its detail), whoever writes the entry: `through_token` is set once, by
archive/security/auth.py, for the whole request (and carried into an export job's thread).
"""
import contextvars
import json

from archive import store
from archive.custody.hashing import text_sha256
from archive.i18n import say
from archive.store import audit as store_audit

GENESIS = "0" * 64
_token_label = contextvars.ContextVar("audit_token_label", default=None)


def through_token(label):
    """Entries recorded from now on in this context name the API token `label` (None: no token)."""
    _token_label.set(label)


def token_label():
    """The API token this context's entries name, or None (for a job's thread to carry on)."""
    return _token_label.get()


def _digest(previous_hash, at, actor, action, subject, detail):
    content = json.dumps([previous_hash, at, actor, action, subject, detail], ensure_ascii=False,
                         separators=(",", ":"))
    return text_sha256(content)


def record(db, actor, action, subject=None, detail=None):
    """Append one entry; call inside the write transaction of the change it records."""
    previous = store_audit.last_hash(db) or GENESIS
    label = _token_label.get()
    detail = {**(detail or {}), "api_token": label} if label is not None else detail
    at, detail = store.now(), json.dumps(detail or {}, ensure_ascii=False, sort_keys=True)
    store_audit.insert_event(db, {
        "at": at, "actor": actor, "action": action, "subject": subject, "detail": detail,
        "previous_hash": previous, "hash": _digest(previous, at, actor, action, subject, detail)})


def head(db):
    """(number of entries, hash of the last): what to keep outside the database."""
    return store_audit.count_all(db), store_audit.last_hash(db) or GENESIS


def verify(db, expected_head=None):
    """Problems found in the chain, as sentences naming the entry; an empty list when intact."""
    return check(db, expected_head)[0]


def check(db, expected_head=None):
    """(problems, head) from one reading of the chain: the head is that of the entries checked,
    even while others are being appended.

    A head written down earlier (COUNT, HASH) must still be in the chain: its COUNT-th entry must
    carry HASH. Entries appended since are chained after it and change nothing; fewer than COUNT
    entries means some were removed from the end, another hash there that the chain was rewritten."""
    problems, previous, count, passed = [], GENESIS, 0, None
    for entry in store_audit.chain(db):
        count += 1
        if entry["previous_hash"] != previous:
            problems.append(say("entry %(entry)s: does not follow the entry before it (an entry was removed, "
                                "inserted or reordered)", entry=entry["id"]))
        digest = _digest(entry["previous_hash"], entry["at"], entry["actor"], entry["action"],
                         entry["subject"], entry["detail"])
        if digest != entry["hash"]:
            problems.append(say("entry %(entry)s: its content does not match its hash (it was altered)",
                                entry=entry["id"]))
        previous = entry["hash"]
        if expected_head is not None and count == expected_head[0]:
            passed = previous
    if expected_head is not None:
        kept_count, kept_hash = expected_head
        if count < kept_count:
            problems.append(say("the chain ends at entry %(count)s (%(hash)s…), before the head given "
                                "(%(kept_count)s, %(kept_hash)s…): entries are missing from the end",
                                count=count, hash=previous[:12], kept_count=kept_count, kept_hash=kept_hash[:12]))
        elif (passed or GENESIS) != kept_hash:
            problems.append(say("the chain's entry %(kept_count)s is %(hash)s…, not the head given (%(kept_hash)s…): "
                                "the chain was rewritten up to there",
                                kept_count=kept_count, hash=(passed or GENESIS)[:12], kept_hash=kept_hash[:12]))
    return problems, (count, previous)
