"""A witness's consent over time: a change (narrower, wider, or withdrawn) and what must follow a
withdrawal. The page, the CLI and the API all call `change`; nothing else writes consent after intake.

A change is one write transaction: the testimony's consent, the day the witness decided and who
recorded it, history (old and new values, the reason) and the audit log (ids only: a reason may
name someone). Then the testimony is re-indexed, so that its consent facet, which every search,
count and "did you mean" filters on, holds the new consent at the next request. Exports, case files
and the testimony page read consent from SQLite and follow at once. A testimony that is `public`
becomes `restricted` when its consent no longer covers publication (public needs it).
"""
import datetime as dt
from dataclasses import dataclass

from archive import dates, errors, service, store
from archive.custody import audit
from archive.i18n import N_, say
from archive.security import access
from archive.store import consent as store_consent
from archive.store.db import write_transaction

LABELS = {  # translated where shown (N_ marks them)
    "publication": N_("Publication: may be published, pseudonymised"),
    "legal": N_("Legal use: lawyers and courts only"),
    "internal": N_("Internal: kept in the archive, never shared"),
    "withdrawn": N_("Withdrawn: nobody but reviewers can open it"),
}


class ConsentError(errors.Invalid):
    """A change the rules refuse: `field` names the input at fault (None: the request as a whole)."""

    def __init__(self, field, message, status=422):
        super().__init__(message)
        self.field, self.message, self.status = field, message, status


@dataclass
class Changed:
    reference: str
    previous: str
    consent: str
    decided: str
    recorded_by: str
    recorded_at: str
    confidentiality: str
    changed: list
    open_to_recorder: bool  # False once withdrawn by someone who may not open withdrawn testimonies


def change(data_dir, db, reference, request, user):
    """Record the witness's decision `request` (ConsentChangeSchema: consent, decided, reason) on the
    testimony `reference`, as `user`. Raises store.NotFound (also for a testimony the user may not
    open) and ConsentError."""
    if not access.can(user, "change_consent"):
        raise ConsentError(None, say("your role may not change a witness's consent"), 403)
    new, decided, reason = request["consent"], request["decided"], request["reason"].strip()
    with write_transaction(db):
        testimony = store.get_testimony_row(db, reference)
        if not access.may_open(user, testimony):
            raise store.NotFound(say("no testimony %(reference)s", reference=reference))
        _check(testimony, new, decided)
        changes = {"consent": new, "consent_decided_at": decided.isoformat()}
        if testimony["confidentiality"] == "public" and new != "publication":
            changes["confidentiality"] = "restricted"
        stamp = store.now()
        written = store_consent.set_consent(db, testimony, changes, user["name"], reason, stamp)
        audit.record(db, user["name"], "consent_changed", reference, {
            "from": testimony["consent"], "to": new, "decided": decided.isoformat(),
            **({"confidentiality": "restricted"} if "confidentiality" in changes else {})})
    service.index_after_commit(data_dir, db, [testimony["id"]])
    after = {**testimony, **written}
    return Changed(reference, testimony["consent"], new, decided.isoformat(), user["name"], stamp,
                   after["confidentiality"], sorted(changes), access.may_open(user, after))


def _check(testimony, new, decided):
    """Against what the testimony holds: a conflict with it (409), not a wrong field."""
    if new == testimony["consent"]:
        raise ConsentError(field="consent", message=say("the consent is already %(consent)s", consent=new),
                           status=409)
    if testimony["interview_date"]:
        interview = dates.parse(testimony["interview_date"], today=dt.date.max)
        if decided < interview.start:
            raise ConsentError(field="decided", message=say(
                "%(decided)s is before the interview (%(interview)s): give the day of the witness's decision",
                decided=decided.isoformat(), interview=testimony["interview_date"]), status=409)
    if testimony["consent_decided_at"] and decided.isoformat() < testimony["consent_decided_at"]:
        raise ConsentError(field="decided", message=say(
            "%(decided)s is before the decision already recorded (%(recorded)s): record decisions in the order made",
            decided=decided.isoformat(), recorded=testimony["consent_decided_at"]), status=409)




# --- withdrawals: what must follow -------------------------------------------------------------

def consequences(db, testimony, data_dir=None):
    """Where a testimony has been, for those who handle its withdrawal: the case files holding it (their
    owners to be told), the exports that included it (when, by whom, whether they showed the witness's
    identity: ask the recipients to destroy their copies), exports too old to say, export files still
    waiting on the server, the backups taken since it was added, and (given the data directory) the
    databases `archive restore` kept there since then."""
    since = testimony["created_at"]
    return {
        "kept_databases": _kept_databases(data_dir, since) if data_dir is not None else [],
        "case_files": store_consent.case_files_holding(db, testimony["id"]),
        "exports": store_consent.exports_holding(db, testimony["id"]),
        "unlisted_exports": store_consent.exports_unlisted(db, since),
        "waiting_files": store_consent.waiting_export_files(db, [testimony["id"]]),
        "backups": store_consent.backups_since(db, since),
    }


def _kept_databases(data_dir, since):
    """`archive.db.before-restore-*` files in the data directory made since `since`: they hold it too."""
    found = []
    for path in sorted(data_dir.root.glob("archive.db.before-restore-*")):
        made = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).isoformat(timespec="seconds")
        if made >= since and not path.name.endswith(("-wal", "-shm")):
            found.append({"path": str(path), "at": made})
    return found


def withdrawals(db, user, data_dir=None):
    """Every withdrawn testimony, with its withdrawal and what must follow; the title only for a role
    that may open it. And the purged ones, with what their purge listed."""
    listed = []
    for testimony in store_consent.withdrawn_testimonies(db):
        readable = access.may_open(user, testimony)
        listed.append({
            "reference": testimony["reference"], "title": testimony["title"] if readable else None,
            "readable": readable, "decided": testimony["consent_decided_at"],
            "recorded_at": testimony["consent_recorded_at"], "recorded_by": testimony["consent_recorded_by"],
            "reason": store_consent.consent_reason(db, testimony["id"]),
            **consequences(db, testimony, data_dir)})
    return {"withdrawn": listed, "purged": store_consent.purged_testimonies(db)}
