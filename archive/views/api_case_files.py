"""Case files in the JSON API, by the case-file pages' rules: the `export` permission, and a case file is
private to its owner and whom they share it with (access.CASE_FILE_RULES): to anyone else it is a 404, as if
it did not exist. Its testimonies that the reader may not open are counted, never named. Both collections
are paged by cursor (archive/paging.py)."""
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import RAISE

from archive import store
from archive.i18n import say
from archive.paging import keyset_page
from archive.security import access
from archive.security.auth import current_user, requires
from archive.views.api_answers import NOT_LOGGED_IN, Blueprint
from archive.web import get_db
from schemas.case_file_read import CaseFileListSchema, CaseFilePageArgsSchema, CaseFileSchema
from schemas.paging import PageArgsSchema

bp = Blueprint("api_case_files", __name__, url_prefix="/api",
               description="Case files: saved selections of testimonies.")
MAY_NOT_EXPORT = "Your role may not work on case files (lawyers and reviewers may)."


@bp.route("/case-files")
class CaseFiles(MethodView):
    decorators = [requires("export")]

    @bp.arguments(PageArgsSchema, location="query", unknown=RAISE)
    @bp.response(200, CaseFileListSchema)
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    @bp.alt_response(403, description=MAY_NOT_EXPORT)
    def get(self, args):
        """Your case files and those shared with you, oldest first, a page at a time: follow `next` until it
        is null. A case file made meanwhile comes on a later page; none is given twice."""
        name = current_user()["name"]
        shown, after = keyset_page(lambda key, count: store.case_files_after(get_db(), name, key, count),
                                   args["limit"], args["cursor"], key=lambda row: row["id"])
        return {"case_files": shown, "next": after}


@bp.route("/case-files/<int(max=9223372036854775807):case_id>")  # SQLite's largest integer
class CaseFile(MethodView):
    decorators = [requires("export")]

    @bp.etag
    @bp.arguments(CaseFilePageArgsSchema, location="query", unknown=RAISE)
    @bp.response(200, CaseFileSchema)
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    @bp.alt_response(403, description=MAY_NOT_EXPORT)
    @bp.alt_response(404, description="No case file with that number that is yours or shared with you.")
    def get(self, args, case_id):
        """One case file with a page of its testimonies (those you may open, by number; follow `next`), whom it
        is shared with, and how many of its testimonies you may not open. Poll it with If-None-Match."""
        db, user = get_db(), current_user()
        case_file, shared_with = _opened(db, case_id)
        shown, after = keyset_page(lambda key, count: store.case_file_testimonies_after(db, case_id, key, count),
                                   args["limit"], args["cursor"], key=lambda row: row["id"],
                                   keep=lambda row: access.may_open(user, row))
        references = store.case_file_references(db, case_id)
        rows = store.testimony_rows_by_reference(db, references)
        hidden = sum(1 for r in references if r not in rows or not access.may_open(user, rows[r]))
        return {**case_file, "testimonies": len(references), "owner": access.owns_case_file(user, case_file),
                "shared_with": shared_with, "hidden": hidden, "next": after,
                "results": [{**row, "exportable": access.exportable(row)} for row in shown]}


def _opened(db, case_id):
    """(the case file, whom it is shared with) if this reader may open it; else 404, as for no case file."""
    try:
        case_file = store.get_case_file(db, case_id)
    except store.NotFound:
        case_file = None
    shared_with = store.case_file_shares(db, case_id) if case_file else []
    if case_file is None or not access.may_open_case_file(current_user(), case_file, shared_with):
        abort(404, message=say("no case file %(case_id)s", case_id=case_id))
    return case_file, shared_with
