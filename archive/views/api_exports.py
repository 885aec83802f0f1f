"""The API's exports, as jobs: `POST /api/exports` checks the export as the pages do (role, identities,
size: archive/export check, before any work) and starts a job of the server (archive/export/jobs.py, the
one a long PDF runs as), answering `202` with the job's URL; `GET` the job for its state; then its file,
once. The selection is the pages' (archive/export/selection.py: a search within your scope, or a case
file you may open, narrowed by consent and `access.may_open`), and the export is recorded and audited as
every export is (naming the request's token). Permission `export`; a read-write token to start one."""
from flask import current_app, url_for
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from archive import case_files, export, i18n, store
from archive.export import jobs, selection
from archive.i18n import say
from archive.security.auth import current_user, requires
from archive.views.api_links import NOT_LOGGED_IN, READ_ONLY
from archive.views.exports import job_download
from archive.web import get_db, get_searcher
from schemas.api_writes import ExportJobSchema, ExportRequestSchema
from schemas.search import SearchArgsSchema

bp = Blueprint("api_exports", __name__, url_prefix="/api",
               description="Exports (CSV, JSON, PDF, REFI-QDA) as jobs, within the witnesses' consent.")
NO_JOB = "No export job of yours with that number (or its file was already downloaded, or is not ready)."
OPTIONS = ("format", "per", "bom", "identify", "statements")


def _job(job_id):
    found = jobs.get(get_db(), job_id, current_user())
    if found is None:
        abort(404, message=say("no export job %(job_id)s of yours", job_id=job_id))
    return found


def _described(job):
    return {"id": job["id"], "status": job["status"], "format": job["format"], "records": job["records"],
            "progress": job["progress"], "warnings": job["warnings"], "error": job["error"],
            "file": url_for("api_exports.ExportFile", job_id=job["id"]) if job["status"] == "done" else None,
            "name": job["name"], "sha256": job["sha256"], "export": job["export_id"], "removed_at": job["removed_at"]}


def _selection(db, user, wanted):
    if wanted["case_file"] is not None:
        try:
            case_file = case_files.open_case_file(db, user, wanted["case_file"])[0]
        except store.NotFound:
            abort(404, message=say("no case file %(case_id)s", case_id=wanted["case_file"]))
        return selection.from_case_file(db, user, case_file)
    return selection.from_search(db, get_searcher(), user, wanted["search"] or SearchArgsSchema().load({}))


@bp.route("/exports")
class Exports(MethodView):
    decorators = [requires("export")]

    @bp.arguments(ExportRequestSchema)
    @bp.response(202, ExportJobSchema, headers={"Location": {"description": "The job's URL.",
                                                             "schema": {"type": "string"}}})
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    @bp.alt_response(403, description="Your role may not export (lawyers, reviewers and admins may), nor see "
                                      "identities if `identify` asks for them; or " + READ_ONLY)
    @bp.alt_response(404, description="No case file with that number that you may open.")
    @bp.alt_response(422, description="A field is wrong (`errors.json` names it), or too many testimonies for a PDF.")
    def post(self, wanted):
        """Start an export of a case file (`case_file`) or of a search's results (`search`: the parameters of
        `GET /api/search`), as CSV, JSON, a PDF case summary or a REFI-QDA project, with the export form's
        options. Testimonies whose witness did not consent to legal use are left out, and the file says how
        many (`warnings`). Answers `202` with the job; follow `Location`."""
        db, user = get_db(), current_user()
        picked = _selection(db, user, wanted)
        options = export.Options(**{key: wanted[key] for key in OPTIONS}, language=i18n.language())
        try:
            job_id = jobs.start(current_app.config["DATA_DIR"], db, user, picked, options)
        except export.ExportRefused as err:
            abort(403, message=str(err))
        except export.ExportTooLarge as err:
            abort(422, message=str(err), errors={"json": {"format": [str(err)]}})
        location = url_for("api_exports.ExportJob", job_id=job_id)
        return _described(_job(job_id)), 202, {"Location": location}


@bp.route("/exports/<int:job_id>")
class ExportJob(MethodView):
    decorators = [requires("export")]

    @bp.response(200, ExportJobSchema)
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    @bp.alt_response(403, description="Your role may not export.")
    @bp.alt_response(404, description=NO_JOB)
    def get(self, job_id):
        """An export job of yours: `running` (with `progress`), then `done` with its `file` to download
        (kept for 24 hours), `downloaded`, `failed` (`error` says so, without details) or `expired`."""
        return _described(_job(job_id))


@bp.route("/exports/<int:job_id>/file")
class ExportFile(MethodView):
    decorators = [requires("export")]

    @bp.doc(responses={"200": {
        "description": "The file (CSV, JSON, PDF or a .qdpx zip), with `X-Export-SHA256` and `X-Export-Id`.",
        "content": {media.split(";")[0]: {"schema": {"$ref": "#/components/schemas/ExportDocument"}
                                          if media == "application/json" else {"type": "string", "format": "binary"}}
                    for media in export.MEDIA_TYPES.values()}}})
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    @bp.alt_response(403, description="Your role may not export.")
    @bp.alt_response(404, description=NO_JOB)
    def get(self, job_id):
        """The finished file, once: it leaves the server as it is sent, as the export page's download does.
        (A HEAD asks what it would get, and leaves the file where it is.)"""
        found = _job(job_id)
        if found["status"] != "done":
            abort(404, message=say("the export is not ready to download (%(status)s)", status=found["status"]))
        return job_download(found)
