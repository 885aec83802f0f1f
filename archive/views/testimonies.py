"""One testimony, in full: the statement with its coded passages, the codes beside it, and for
those who may code, the coding form (archive/static/coding.js) and the status buttons; and, for a
role and consent that allow it, the witness's identity (each showing is audited)."""
from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _

from archive import coding, double_coding, languages, service, store, value_words
from archive.coding import code_list, history_items, history_words, suggestion_review
from archive.custody import audit
from archive.incidents import pages as incident_pages
from archive.search import results
from archive.search.state import Search
from archive.security import access, sealing
from archive.security.auth import current_user, open_testimony, requires
from archive.store.db import write_transaction
from archive.views.testimony_links import opened_from
from archive.web import get_db, get_searcher
from search_index.snippets import match_spans

bp = Blueprint("testimonies", __name__, url_prefix="/testimonies")


@bp.get("/<path:reference>")
@requires("search")
def show(reference):
    db, user, book = get_db(), current_user(), service.load_codebook()
    testimony = open_testimony(db, reference)
    codes = sorted(coding.page_codes(db, testimony, user),  # in reading order; codes awaiting a passage last
                   key=lambda c: (c["passage_start"] is None, c["passage_start"] or 0, c["id"]))
    redactions = store.redactions_in(db, testimony["id"])
    blind = double_coding.is_blind(db, testimony["id"], user)
    groups = code_list.split(codes, coding_blind=user["name"] if blind else None)
    # History shows every coder's codes: not to a reviewer who is coding this testimony blind.
    told = _history(db, reference, book) if access.can(user, "review") and not blind else None
    can_code = access.can(user, "code")
    suggestions = suggestion_review.pending_suggestions(db, testimony, book, user) if can_code else None
    search = Search.from_query_string(request.args.get("search", ""))  # the search it was opened from
    marked = get_searcher().marked_words(search.args["q"]) if search.args["q"] else {}
    words = search.args["q"] if marked else ""  # a reference searched for marks nothing
    found = match_spans(testimony["text"], marked, languages.of(testimony))
    return render_template(
        "testimonies/show.html", testimony=testimony, book=book, redactions=redactions,
        history=history_items.items(told, book) if told is not None else None,
        codes=[_listed(code, book, told) for code in groups.current],
        blind_codes=_listed_by_coder(groups.blind, book, told),
        superseded_codes=_listed_by_coder(groups.superseded, book, told),
        blind_counts=groups.blind_counts(), superseded_count=groups.superseded_count,
        statement=coding.statement_markup(testimony["text"], groups.current, redactions, book, found),
        found=found, words=words,
        found_words=list(dict.fromkeys(testimony["text"][start:end].lower() for start, end in found)), incident=results.describe_incident(testimony, book),
        assignment=double_coding.assignment(db, testimony["id"], user["name"]) if user else None, blind=blind,
        double_coding=_double_coding(db, testimony) if access.can(user, "review") and not blind else None,
        back_to_results=(url_for("search.index") + "?" + search.query_string(with_page=True)
                         if request.args.get("search") else None),
        suggestions=suggestions,
        proposals={(s.kind, s.value): suggestion_review.proposal(testimony["text"], s, suggestions, book)
                   for s in suggestions or ()},
        dismissed=suggestion_review.dismissed(db, testimony, book, user) if can_code else None,
        back=url_for("testimonies.show", reference=reference, search=opened_from()),
        reading_language=languages.of(testimony), language_choices=_language_choices(testimony),
        can_code=can_code, next_statuses=coding.next_statuses(testimony, user),
        status_labels=coding.STATUS_LABELS, categories=coding.categories(book),
        may_see_identity=access.may_see_identity(user, testimony),
        linked_incidents=incident_pages.testimony_incidents(db, testimony["id"], book),
        can_link_incidents=access.can(user, "link_incidents"))


def _language_choices(testimony):
    """[(code, name in the reader's language)] for the correction form: the languages detection can tell,
    and the statement's own where it is another, by name."""
    codes = {*languages.CHOOSABLE, *filter(None, [languages.of(testimony)])}
    return sorted(((code, value_words.language(code)) for code in codes), key=lambda choice: choice[1].casefold())


def _double_coding(db, testimony):
    """For a reviewer: {coders, submitted, settled} of the testimony's double coding, or {} if none."""
    assignments = store.assignments_of(db, testimony["id"])
    if not assignments:
        return {}
    return {"coders": [a["coder"] for a in assignments], "submitted": sum(bool(a["submitted_at"]) for a in assignments),
            "settled": assignments[0]["settled_at"]}


def _history(db, reference, book):
    """The testimony's history in words, for reviewers (archive/coding/history_words.py)."""
    return history_words.tell(store.history_of(db, reference), book)


def _listed_by_coder(codes, book, told):
    return {coder: [_listed(code, book, told) for code in listed] for coder, listed in codes.items()}


def _listed(code, book, told):
    """A code as the list shows it, with what the edit form needs and (for reviewers) its history."""
    first, _sep, last = (code["date_text"] or "").partition("/")
    return {
        **results.describe_code(code, book),
        "category": coding.category_of(book, code["abuse_type"]) or "none",
        "coder": code["coder"], "stage": code["stage"], "note": code["note"], "editable": code["editable"],
        "victims": code["victims"], "minors": code["minors"], "updated_at": code["updated_at"],
        "form": {"id": code["id"], "abuse_type": code["abuse_type"], "perpetrators": code["perpetrators"],
                 "place": code["place_text"] or (book.places[code["place_id"]]["name"] if code["place_id"] else ""),
                 "date": first, "date_to": last, "victims": code["victims"], "minors": code["minors"],
                 "note": code["note"] or "", "start": code["passage_start"], "end": code["passage_end"],
                 "passage": code["passage_text"] or ""},
        "history": history_items.items([t for t in told if t.row["entity"] == "code"
                                        and t.row["entity_id"] == code["id"]], book) if told is not None else None,
    }


@bp.get("/<path:reference>/identity")
@requires("read_identity")
def identity(reference):
    db = get_db()
    testimony = open_testimony(db, reference)
    if not access.may_see_identity(current_user(), testimony):
        abort(403, _("The witness's consent does not allow showing their identity."))
    try:
        found = store.get_witness_identity(db, testimony["witness_id"]) if testimony["witness_id"] else None
    except sealing.IdentityKeyError as err:
        abort(503, _("The identity cannot be shown: %(err)s. An administrator must set the key.", err=err))
    with write_transaction(db):
        audit.record(db, current_user()["name"], "view_identity", reference, {"found": found is not None})
    return render_template("testimonies/identity.html", testimony=testimony, identity=found)
