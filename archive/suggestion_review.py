"""A person reviews the suggestions for a testimony: what is pending, accept one, dismiss one,
restore one dismissed by mistake.

Nothing is coded without a person accepting it. Accepting re-finds the suggestion in the stored
text (the form names only its kind and value, never offsets), so the code's passage is always the
exact span that triggered it. Each change is one write transaction, recorded in history by the
person who made it; then the testimony is re-indexed (SQLite first, the index after).
"""
import datetime as dt
import logging

from archive import audit, dates, double_coding, service, store
from archive.db import write_transaction
from archive.results import date_label
from archive.suggestions import ABUSE_TYPE, DATE, PLACE, suggest

log = logging.getLogger(__name__)


class NotPending(LookupError):
    """The suggestion is not (or no longer) pending: dismissed, already coded, or never found."""


def pending_suggestions(db, testimony, codebook, user=None):
    """suggest() on the testimony, minus dismissed suggestions and values already coded on it
    (including this user's own blind codes in double coding)."""
    name = user["name"] if user else None
    hidden = store.dismissed_suggestions(db, testimony["id"], name) | _coded_values(db, testimony, name)
    return [s for s in suggest(testimony["text"], codebook, testimony.get("language"))
            if (s.kind, s.value) not in hidden]


def accept(db, data_dir, testimony, codebook, kind, value, actor):
    """Make the pending suggestion (kind, value) a code with its passage; returns the code id.
    A new testimony moves to in_progress."""
    with write_transaction(db):
        current = store.get_testimony_row(db, testimony["reference"])  # read again inside the write
        suggestion = _pending(db, current, codebook, kind, value, actor)
        code = {**_columns(suggestion), "codebook_version": codebook.version, "perpetrators": [],
                "passage_start": suggestion.start, "passage_end": suggestion.end,
                "passage_text": current["text"][suggestion.start:suggestion.end]}
        code["stage"] = double_coding.stage_for(db, current["id"], actor)
        code_id = store.insert_code(db, current["id"], code, actor,
                                    f"accepted a suggestion ({suggestion.kind} {suggestion.value!r} "
                                    f"from {suggestion.trigger!r})")
        audit.record(db, actor, "code_added", current["reference"],  # ids only, as for any code
                     {"code": code_id, "suggestion": {"kind": kind, "value": value}})
        if current["status"] == "new":
            store.update_testimony(db, current["reference"], {"status": "in_progress"}, actor, "first code")
    _reindex(data_dir, db, current["id"], codebook)
    return code_id


def dismiss(db, testimony, codebook, kind, value, actor, reason=None):
    """Stop offering (kind, value) on this testimony; within a blind coding, to this coder only."""
    with write_transaction(db):
        current = store.get_testimony_row(db, testimony["reference"])
        _pending(db, current, codebook, kind, value, actor)
        store.insert_suggestion_dismissal(db, current["id"], kind, value, actor, reason,
                                          blind=double_coding.stage_for(db, current["id"], actor) == "blind")
        audit.record(db, actor, "suggestion_dismissed", current["reference"], {"kind": kind, "value": value})


def dismissed(db, testimony, codebook, user):
    """The dismissed suggestions of a testimony that this user sees, with labels, to offer again."""
    return [{**row, "label": label(codebook, row["kind"], row["value"])}
            for row in store.suggestion_dismissals(db, testimony["id"], user["name"] if user else None)]


def restore(db, testimony, kind, value, actor):
    """Offer a dismissed suggestion again (a dismissal made by mistake is not final)."""
    with write_transaction(db):
        current = store.get_testimony_row(db, testimony["reference"])
        if not store.delete_suggestion_dismissal(db, current["id"], kind, value, actor):
            raise NotPending(f"the suggestion {kind} {value!r} is not dismissed on {current['reference']}")
        audit.record(db, actor, "suggestion_restored", current["reference"], {"kind": kind, "value": value})


def label(codebook, kind, value):
    """How a suggestion's value reads: an abuse type's or place's label, a date at its precision."""
    if kind == DATE:
        try:
            return date_label(value, dates.parse(value, today=dt.date.max).precision)
        except dates.DateError:
            return value
    return codebook.label(kind, value)


def _pending(db, testimony, codebook, kind, value, actor):
    for suggestion in pending_suggestions(db, testimony, codebook, {"name": actor}):
        if (suggestion.kind, suggestion.value) == (kind, value):
            return suggestion
    raise NotPending(f"no pending suggestion {kind} {value!r} on {testimony['reference']}: it was dismissed, "
                     f"is already coded, or is not in the text")


def _columns(suggestion):
    if suggestion.kind == ABUSE_TYPE:
        return {"abuse_type": suggestion.value}
    if suggestion.kind == PLACE:
        return {"place_id": suggestion.value, "place_text": suggestion.trigger}
    date = dates.parse(suggestion.value)
    return {"date_text": date.text, "date_from": date.start.isoformat(), "date_to": date.end.isoformat(),
            "date_precision": date.precision}


def _coded_values(db, testimony, name):
    codes = store.codes_of(db, [testimony["id"]], stages=("coded", "blind")).get(testimony["id"], [])
    values = set()
    for code in codes:
        if code["stage"] == "blind" and code["coder"] != name:
            continue  # another coder's blind coding is not this user's to see
        values |= {(ABUSE_TYPE, code["abuse_type"]), (PLACE, code["place_id"]), (DATE, code["date_text"])}
    return values


def _reindex(data_dir, db, testimony_id, codebook):
    """SQLite has committed: if the index cannot follow, nothing is lost (`archive check` reports
    the drift, `archive reindex` repairs it), so it is logged, not raised."""
    try:
        service.index_testimonies(data_dir, db, [testimony_id], codebook)
    except Exception as err:  # noqa: BLE001 - the code is stored; the index can be rebuilt
        log.warning("index not updated for testimony %s (%s): run archive reindex", testimony_id,
                    type(err).__name__)
