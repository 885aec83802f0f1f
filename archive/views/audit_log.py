"""The audit view, for administrators: the log newest first, filtered and paged; the chain check; CSV.

The filter comes in as a query string (the form is GET, so a filtered view is a link: the users
page links each account to its history). A part of it that cannot be read, such as a date that
does not exist, is named beside its field and left out; the rest still filters.
"""
import dataclasses
import datetime as dt

from flask import Blueprint, Response, current_app, render_template, request, url_for
from marshmallow import ValidationError

from archive import service
from archive.custody import audit
from archive.custody.audit_words import ACTION_WORDS, action_words, detail_words
from archive.export import audit_csv
from archive.security import accounts
from archive.security.auth import current_user, requires
from archive.store import audit as audit_entries
from archive.store.audit import AuditFilter
from archive.store.db import write_transaction
from archive.web import get_db
from schemas.audit import FILTER_KEYS, AuditFilterSchema, ChainCheckSchema, expected_head

bp = Blueprint("audit_log", __name__, url_prefix="/admin/audit")


def read_filter(source):
    """(AuditFilter, page, {field: messages}, {field: value as typed}) from a query string or form."""
    typed = {key: source.get(key, "") for key in (*FILTER_KEYS, "page") if source.get(key, "").strip()}
    try:
        loaded, errors = AuditFilterSchema().load(typed), {}
    except ValidationError as err:
        errors = err.messages
        loaded = AuditFilterSchema().load({k: v for k, v in typed.items() if k not in errors})
    chosen = AuditFilter(user=loaded["user"], subject=loaded["testimony"], action=loaded["action"],
                         date_from=loaded["date_from"] and loaded["date_from"].start,
                         date_to=loaded["date_to"] and loaded["date_to"].end)
    return chosen, loaded["page"], errors, typed


def _described(entry):
    return {"number": entry["id"], "at": entry["at"], "actor": entry["actor"], "action": entry["action"],
            "what": action_words(entry["action"]), "subject": entry["subject"],
            "details": detail_words(entry["action"], entry["detail"])}


def _page(check=None, check_error=None, status=200):
    db = get_db()
    chosen, page, errors, typed = read_filter(request.values)
    total = audit_entries.count_entries(db, chosen)
    pages = max(1, -(-total // audit_entries.PER_PAGE))
    entries = [_described(e) for e in audit_entries.find_entries(db, chosen, min(page, pages))]
    kinds = sorted(set(ACTION_WORDS) | set(audit_entries.recorded_actions(db)), key=action_words)
    kept = {key: value for key, value in typed.items() if key in FILTER_KEYS and key not in errors}

    def link(**changed):
        return url_for("audit_log.index", **{**kept, **changed})

    return render_template(
        "audit/index.html", entries=entries, total=total, page=min(page, pages), pages=pages, link=link,
        typed=typed, errors=errors, kept=kept, filtered=bool(kept),
        kinds=[(kind, action_words(kind)) for kind in kinds],
        accounts=[user["name"] for user in accounts.list_users(db)],
        check=check, check_error=check_error), status


@bp.get("")
@requires("audit")
def index():
    return _page()


@bp.post("/check")
@requires("audit")
def check():
    """Run the chain check and show the head to keep (read-only: the check itself is not logged, so the
    head shown stays the log's head)."""
    try:
        expected = expected_head(ChainCheckSchema().load(request.form.to_dict()))
    except ValidationError as err:
        return _page(check_error=" ".join(err.messages.get("expect-head", [])), status=400)
    problems, (count, digest) = audit.check(get_db(), expected)
    return _page(check={"problems": problems, "count": count, "hash": digest, "expected": expected})


@bp.post("/export.csv")
@requires("audit")
def export_csv():
    """The filtered view, every page of it, as CSV. The export is itself logged, and covers the log up
    to the entry before that record (a snapshot: entries appended while it streams are not in it)."""
    db = get_db()
    chosen, _, _, _ = read_filter(request.form)
    with write_transaction(db):
        chosen = dataclasses.replace(chosen, through=audit_entries.last_number(db))
        count = audit_entries.count_entries(db, chosen)
        recorded = {k: v for k, v in chosen.as_dict().items() if k != "through"}
        audit.record(db, current_user()["name"], "audit_exported", None,
                     {"entries": count, "through": chosen.through, "filter": recorded})
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d-%H%M%S")
    return Response(_streamed(current_app.config["DATA_DIR"], chosen), mimetype="text/csv", headers={
                        "Content-Disposition": f'attachment; filename="audit-log-{stamp}.csv"',
                        "Cache-Control": "no-store"})


def _streamed(data_dir, chosen):
    """The CSV's chunks from a connection of its own: the request's is closed at teardown, before
    the body is sent."""
    db = service.open_db(data_dir)
    try:
        yield from audit_csv.lines(audit_entries.iter_entries(db, chosen))
    finally:
        db.close()
