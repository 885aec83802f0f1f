"""A testimony's parts in the JSON API, by the testimony page's rules: its codes with their passages (the
codes this reader sees there: an assigned coder only their own blind codes, a reviewer every stage, others
the coding) and, for reviewers not coding it blind, its history in words."""
from flask.views import MethodView
from flask_smorest import abort

from archive import coding, service, store
from archive.coding import history_items, history_words
from archive.coding.sentences import Quoted, Strong
from archive.double_coding import is_blind
from archive.i18n import say
from archive.search import results
from archive.security.auth import current_user, requires
from archive.views.api_answers import NO_TESTIMONY, NOT_LOGGED_IN, Blueprint, opened_testimony
from archive.web import get_db
from schemas.testimony_parts import TestimonyCodesSchema, TestimonyHistorySchema

bp = Blueprint("api_testimony_parts", __name__, url_prefix="/api",
               description="A testimony's codes with their passages, and its history.")


@bp.route("/testimonies/<path:reference>/codes")
class Codes(MethodView):
    decorators = [requires("search")]

    @bp.etag
    @bp.response(200, TestimonyCodesSchema)
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    @bp.alt_response(404, description=NO_TESTIMONY)
    def get(self, reference):
        """The testimony's codes as its page lists them for you, each with its passage (offsets and the words
        quoted), and the passages marked identifying. Poll it with If-None-Match: 304 while nothing changed."""
        db, user, book = get_db(), current_user(), service.load_codebook()
        testimony = opened_testimony(reference)
        codes = sorted(coding.page_codes(db, testimony, user),  # reading order, as the page; no passage: last
                       key=lambda c: (c["passage_start"] is None, c["passage_start"] or 0, c["id"]))
        return {"reference": testimony["reference"], "sha256": testimony["sha256"],
                "codes": [{**results.describe_code(code, book), "coder": code["coder"], "stage": code["stage"],
                           "note": code["note"], "victims": code["victims"], "minors": code["minors"],
                           "updated_at": code["updated_at"]} for code in codes],
                "redactions": [{"start": r["passage_start"], "end": r["passage_end"]}
                               for r in store.redactions_in(db, testimony["id"])]}


@bp.route("/testimonies/<path:reference>/history")
class History(MethodView):
    decorators = [requires("review")]  # as the history on the testimony page

    @bp.response(200, TestimonyHistorySchema)
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    @bp.alt_response(403, description="Your role may not read history (reviewers may), or you are coding this "
                                      "testimony blind.")
    @bp.alt_response(404, description=NO_TESTIMONY)
    def get(self, reference):
        """The testimony's history in words, newest first, as its page tells it to a reviewer: entries made
        together as one item, each a sentence with what it did under it. A reviewer assigned to code it blind
        does not see it until the double coding is settled: it shows every coder's codes."""
        db, book = get_db(), service.load_codebook()
        testimony = opened_testimony(reference)
        if is_blind(db, testimony["id"], current_user()):
            abort(403, message=say("You are coding this testimony blind: its history shows the other coders' codes, "
                                   "so it opens once the double coding is settled."))
        told = history_words.tell(store.history_of(db, testimony["reference"]), book)
        return {"reference": testimony["reference"], "history": [
            {"at": item.at, "actor": item.actor, "reason": item.reason, "sentence": _said(item.sentence),
             "details": [_said(detail) for detail in item.details], "entries": item.entries}
            for item in history_items.items(told, book)]}


def _said(pieces):
    """A sentence's pieces (archive/coding/sentences.py) as data, and as one plain text."""
    kinds = [("strong", p.text) if isinstance(p, Strong) else ("quoted", p.text) if isinstance(p, Quoted)
             else ("text", str(p)) for p in pieces]
    return {"text": "".join(f"“{text}”" if kind == "quoted" else text for kind, text in kinds),
            "pieces": [{"kind": kind, "text": text} for kind, text in kinds]}
