"""The codebook browser: abuse types (tree and one type), places, perpetrators, with counts.

Counts cover only the testimonies the person may open (auth.search_scope), the same scope
as their searches, so a count never reveals that confidential testimonies exist.
"""
from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _

from archive import service, store
from archive.codebook import browser as codebook_browser
from archive.security.auth import requires, search_scope
from archive.web import get_db

bp = Blueprint("codebook", __name__, url_prefix="/codebook")
MAX_QUERY = 200


@bp.get("")
@requires("search")
def index():
    query = _query()
    rows = codebook_browser.abuse_tree(service.load_codebook(), _counts("abuse_type"), query)
    return render_template("codebook/index.html", rows=rows, query=query, book=service.load_codebook())


@bp.get("/abuse-types/<abuse_type>")
@requires("search")
def abuse_type(abuse_type):
    book = service.load_codebook()
    if abuse_type not in book.abuse_types:
        abort(404, description=_("The codebook has no abuse type %(abuse_type)s.", abuse_type=repr(abuse_type)))
    detail = codebook_browser.abuse_type_detail(book, abuse_type, _counts("abuse_type"))
    return render_template("codebook/abuse_type.html", abuse=detail, book=book)


@bp.get("/places")
@requires("search")
def places():
    query = _query()
    rows = codebook_browser.places(service.load_codebook(), _counts("place_id"), query)
    return render_template("codebook/places.html", rows=rows, query=query)


@bp.get("/places/<place_id>")
@requires("search")
def place(place_id):
    book = service.load_codebook()
    if place_id not in book.places:
        abort(404, description=_("The gazetteer has no place %(place_id)s.", place_id=repr(place_id)))
    testimonies = _counts("place_id").get(place_id, (0, 0))[1]
    return render_template("codebook/place.html", place=book.places[place_id], testimonies=testimonies)


@bp.get("/perpetrators")
@requires("search")
def perpetrators():
    sides, non_state = codebook_browser.perpetrators(service.load_codebook(), _counts("perpetrator"))
    return render_template("codebook/perpetrators.html", sides=sides, non_state=non_state)


def _query():
    return (request.args.get("q") or "").strip()[:MAX_QUERY]


def _counts(by):
    return store.code_counts(get_db(), by, search_scope())
