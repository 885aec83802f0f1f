"""The coding workbench: codes tied to passages, the testimony's status, and the statement's markup.

Every change is one write transaction through `store` (which writes history) with an entry in the
audit log (ids only: a passage may identify someone), then the testimony is re-indexed.
Offsets are code points into the stored (NFC) text; the page's script converts the browser's
UTF-16 offsets before it posts, and the schema re-reads the passage from the text.
"""
from flask import current_app
from markupsafe import Markup, escape

from archive import double_coding, errors, service, store
from archive.custody import audit
from archive.i18n import N_, say
from archive.security import access
from archive.store.db import write_transaction

# (from, to) -> the permission that allows it. `new -> in_progress` also happens on the first code.
TRANSITIONS = {
    ("new", "in_progress"): "code",
    ("in_progress", "coded"): "code",
    ("coded", "in_progress"): "code",
    ("coded", "reviewed"): "review",
    ("reviewed", "in_progress"): "review",
}
# English here (the history's words); pages translate them where they show them (N_ marks them for that).
STATUS_LABELS = {"new": N_("New"), "in_progress": N_("In progress"), "coded": N_("Coded"), "reviewed": N_("Reviewed")}


class CodingError(errors.Refused):
    """A change the rules refuse; `status` is the HTTP status to answer with."""

    def __init__(self, message, status=409):
        super().__init__(message)
        self.status = status


def page_codes(db, testimony, user):
    """The codes this user sees on the coding page, by the double-coding rules: an assigned coder
    only their own blind codes; a reviewer every stage; anyone else the testimony's coding. Each
    carries `editable`: may this user change it (double_coding.may_change_code)?"""
    return [{**code, "editable": double_coding.may_change_code(db, code, user)}
            for code in double_coding.visible_codes(db, testimony, user)]


def category_of(codebook, abuse_type):
    """The top-level category of an abuse type (its colour on the page), or None."""
    if not abuse_type or abuse_type not in codebook.abuse_types:
        return None
    return codebook.ancestors(abuse_type)[-1]


def add_code(db, testimony, code, user):
    """Store a validated code (CodeSchema) or, if marked identifying, a redaction. Returns
    ('code' or 'redaction', id). The first code moves a new testimony to in_progress. An assigned
    coder's codes are blind until the double coding is settled, and fixed once submitted; a blind
    code changes no status (that would tell the other coder how far this one has come)."""
    actor = user["name"]
    with write_transaction(db):
        assigned = double_coding.assignment(db, testimony["id"], actor)
        if assigned and assigned["submitted_at"] and not assigned["settled_at"]:
            raise CodingError(say("you submitted your blind coding of this testimony: it is fixed until it is settled"))
        if code["redact"]:
            redaction_id = store.insert_redaction(
                db, testimony["id"], code["passage_start"], code["passage_end"], actor,
                code["reason"] or "identifying passage marked on the workbench")
            audit.record(db, actor, "redaction_added", testimony["reference"], {"redaction": redaction_id})
            return "redaction", redaction_id
        columns = {k: v for k, v in code.items() if k not in ("redact", "reason")}
        columns["codebook_version"] = store.codebook_version(db)
        columns["stage"] = double_coding.stage_for(db, testimony["id"], actor)
        code_id = store.insert_code(db, testimony["id"], columns, actor, code["reason"] or "coded on the workbench")
        audit.record(db, actor, "code_added", testimony["reference"], {"code": code_id})
        if testimony["status"] == "new" and columns["stage"] == "coded":
            store.update_testimony(db, testimony["reference"], {"status": "in_progress"}, actor, "first code")
    return "code", code_id


def edit_code(db, testimony, code_id, code, user, reason):
    """Change a code of this testimony; `reason` is required and goes to history."""
    actor = user["name"]
    if code["redact"]:
        raise CodingError(say("a code cannot be turned into a redaction: remove it and mark the passage again"), 422)
    if not (reason or "").strip():
        raise CodingError(say("say why the code is changed"), 422)
    changes = {k: v for k, v in code.items() if k not in ("redact", "reason")}
    with write_transaction(db):
        _changeable(db, testimony, code_id, user)
        changed = store.update_code(db, code_id, changes, actor, reason.strip())
        if changed:
            audit.record(db, actor, "code_changed", testimony["reference"],
                         {"code": code_id, "fields": sorted(changed)})
        return changed


def remove_code(db, testimony, code_id, user, reason):
    actor = user["name"]
    if not (reason or "").strip():
        raise CodingError(say("say why the code is removed"), 422)
    with write_transaction(db):
        _changeable(db, testimony, code_id, user)
        store.delete_code(db, code_id, actor, reason.strip())
        audit.record(db, actor, "code_removed", testimony["reference"], {"code": code_id})


def _changeable(db, testimony, code_id, user):
    """The code, if it belongs to this testimony, this user may see it (NotFound otherwise: another
    coder's blind code is not revealed) and change it (the double-coding rules)."""
    code = store.get_code(db, code_id)
    if code_id not in {c["id"] for c in double_coding.visible_codes(db, testimony, user)}:
        raise store.NotFound(say("no code %(code)s in %(reference)s", code=code_id, reference=testimony["reference"]))
    if not double_coding.may_change_code(db, code, user):
        raise CodingError(say("this code cannot be changed now: a superseded code is kept as it was, and a blind "
                              "code only by its coder until they submit"), 403)
    return code


def change_status(db, testimony, status, user, reason=None):
    """Move the testimony to `status` if the transition exists and the user's role allows it."""
    permission = TRANSITIONS.get((testimony["status"], status))
    if permission is None:
        raise CodingError(say("a testimony that is %(status)s cannot be marked %(new_status)s",
                              status=_status_word(testimony["status"]), new_status=_status_word(status)), 409)
    if not access.can(user, permission):
        raise CodingError(say("marking a testimony %(status)s needs the %(permission)s permission",
                              status=_status_word(status), permission=permission), 403)
    if double_coding.is_blind(db, testimony["id"], user):
        raise CodingError(say("you are coding this testimony blind: its status moves when a reviewer settles it"), 409)
    with write_transaction(db):
        store.update_testimony(db, testimony["reference"], {"status": status}, user["name"],
                               (reason or "").strip() or f"marked {STATUS_LABELS[status].lower()}")
        audit.record(db, user["name"], "status_changed", testimony["reference"],
                     {"from": testimony["status"], "to": status})


def correct_language(db, testimony, correction, user):
    """Set the language the statement is written in, as a coder read it (it then wins over any detected):
    history keeps the old and new values and the reason; the audit log, the change."""
    with write_transaction(db):
        store.update_testimony(db, testimony["reference"], {"language": correction["language"]}, user["name"],
                               (correction.get("reason") or "").strip() or "language corrected")
        audit.record(db, user["name"], "language_corrected", testimony["reference"],
                     {"from": testimony["language"], "detected": testimony.get("language_detected"),
                      "to": correction["language"]})


def _status_word(status):
    """A status as a refusal names it, in the reader's language: 'in progress' (an unknown one as given)."""
    return say(STATUS_LABELS[status]).lower() if status in STATUS_LABELS else status.lower()


def next_statuses(testimony, user):
    """The statuses this user may move the testimony to, for the page's buttons."""
    return [to for (source, to), permission in TRANSITIONS.items()
            if source == testimony["status"] and access.can(user, permission)]


def reindex(db, testimony_id):
    """The index after a change on a page (service.index_after_commit, for this app's archive)."""
    service.index_after_commit(current_app.config["DATA_DIR"], db, [testimony_id])


def statement_markup(text, codes, redactions, codebook, found=()):
    """The statement as HTML: every segment escaped, coded passages wrapped in <mark>, and the
    words of the search the page was opened from (`found`, spans) in <mark class="found">.

    Passages may overlap, so the text is cut at every passage boundary; each segment is wrapped
    in one <mark> per passage covering it, longest outermost. A passage's first segment carries
    its id (`passage-<code id>`). Each mark carries `data-start`, its segment's code-point offset.
    """
    spans = [(c["passage_start"], c["passage_end"], f"passage-{c['id']}",
              f"cat-{category_of(codebook, c['abuse_type']) or 'none'}", c["id"])
             for c in codes if c.get("passage_start") is not None and c["passage_end"] <= len(text)]
    spans += [(r["passage_start"], r["passage_end"], f"redaction-{r['id']}", "redaction", None)
              for r in redactions if r["passage_end"] <= len(text)]
    spans += [(start, end, f"found-{n}", "found", None) for n, (start, end) in enumerate(found, 1)]
    cuts = sorted({0, len(text), *(s[0] for s in spans), *(s[1] for s in spans)})
    parts, opened = [], set()
    for start, end in zip(cuts, cuts[1:]):
        covering = sorted((s for s in spans if s[0] <= start and end <= s[1]), key=lambda s: (s[0] - s[1], s[2]))
        segment = escape(text[start:end])
        for span in reversed(covering):  # innermost first, wrapped outwards
            first = span[2] not in opened
            opened.add(span[2])
            segment = Markup('<mark class="{}"{}{} data-start="{}">{}</mark>').format(
                span[3], Markup(' id="{}"').format(span[2]) if first else "",
                Markup(' data-code="{}"').format(span[4]) if span[4] is not None else "", start, segment)
        parts.append(segment)
    return Markup("").join(parts)


def categories(codebook):
    """The top-level abuse categories in codebook order: (id, label), for the colour legend."""
    return [(a["id"], codebook.label("abuse_type", a["id"])) for a in codebook.abuse_types.values()
            if a["parent"] is None]

