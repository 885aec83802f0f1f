"""The API's case-file writes: create a case file (optionally with testimonies), put testimonies in,
take one out. The rules are the case-file pages' own (archive/case_files.py, access.CASE_FILE_RULES):
permission `export`; a case file you may not open is a 404; testimonies you may not open are silently
not there, and only counted in `hidden`. A read-write token."""
from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from archive import case_files, store
from archive.i18n import say
from archive.security.auth import current_user, requires
from archive.store.db import write_transaction
from archive.views.api_links import NOT_LOGGED_IN, READ_ONLY
from archive.web import get_db
from schemas.api_writes import CaseFileTestimoniesSchema, CaseFileWrittenSchema, NewCaseFileSchema

bp = Blueprint("api_case_file_writes", __name__, url_prefix="/api",
               description="Case files: named selections of testimonies, to export.")
FORBIDDEN = "Your role may not work on case files (lawyers, reviewers and admins may), or " + READ_ONLY
NO_CASE_FILE = "No case file with that number that you may open."


def _answer(db, case_id, held_before):
    """The case file as answered after a write; `held_before`: how many testimonies it held before it."""
    case_file = store.get_case_file(db, case_id)
    shown, hidden = case_files.openable_references(db, current_user(), case_id)
    return {"id": case_id, "name": case_file["name"], "created_by": case_file["created_by"], "testimonies": shown,
            "hidden": hidden, "changed": abs(len(shown) + hidden - held_before)}


def _open(db, case_id):
    try:
        return case_files.open_case_file(db, current_user(), case_id)[0]
    except store.NotFound:
        abort(404, message=say("no case file %(case_id)s", case_id=case_id))


@bp.route("/case-files")
class CaseFiles(MethodView):
    decorators = [requires("export")]

    @bp.arguments(NewCaseFileSchema)
    @bp.response(201, CaseFileWrittenSchema, headers={"Location": {"description": "The case file's URL.",
                                                                   "schema": {"type": "string"}}})
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    @bp.alt_response(403, description=FORBIDDEN)
    @bp.alt_response(409, description="You already have a case file of that name.")
    @bp.alt_response(422, description="A field is wrong: `errors.json` names it.")
    def post(self, new):
        """Create a case file of yours, named `name` (names are each owner's own), with the testimonies
        `references` if given."""
        db = get_db()
        try:
            with write_transaction(db):
                case_id = case_files.create(db, current_user(), new["name"])
                case_files.add(db, current_user(), case_id, new["references"])
        except case_files.CaseFileNameTaken as err:
            abort(409, message=str(err), errors={"json": {"name": [str(err)]}})
        return _answer(db, case_id, 0), 201, {"Location": url_for("api_case_files.CaseFile", case_id=case_id)}


@bp.route("/case-files/<int:case_id>/testimonies")
class CaseFileTestimonies(MethodView):
    decorators = [requires("export")]

    @bp.arguments(CaseFileTestimoniesSchema)
    @bp.response(200, CaseFileWrittenSchema)
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    @bp.alt_response(403, description=FORBIDDEN)
    @bp.alt_response(404, description=NO_CASE_FILE)
    @bp.alt_response(422, description="A field is wrong: `errors.json` names it.")
    def post(self, wanted, case_id):
        """Put testimonies into the case file (one you own, or one shared with you), by reference; those
        already in it stay once."""
        db = get_db()
        _open(db, case_id)
        with write_transaction(db):
            before = len(store.case_file_references(db, case_id))
            case_files.add(db, current_user(), case_id, wanted["references"])
        return _answer(db, case_id, before)


@bp.route("/case-files/<int:case_id>/testimonies/<path:reference>")
class CaseFileTestimony(MethodView):
    decorators = [requires("export")]

    @bp.response(200, CaseFileWrittenSchema)
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    @bp.alt_response(403, description=FORBIDDEN)
    @bp.alt_response(404, description=NO_CASE_FILE)
    def delete(self, case_id, reference):
        """Take a testimony out of the case file; `changed` is 0 when it was not in it (or you may not open it)."""
        db = get_db()
        _open(db, case_id)
        with write_transaction(db):
            before = len(store.case_file_references(db, case_id))
            case_files.remove(db, current_user(), case_id, [reference])
        return _answer(db, case_id, before)
