"""The API's intake: one testimony (`POST /api/testimonies`), validated and stored by the intake form's
own function (archive/intake add_testimony), and a batch (`POST /api/imports`), a JSON array in the
import file's shape imported by `archive import`'s path (service.import_file): all or nothing, its
problems by row and field. Permission `add_testimony`, as the intake page; a read-write token."""
import os
import shutil
import tempfile

from flask import current_app, request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from archive import coding, intake, service, store
from archive.i18n import say
from archive.security.auth import current_user, requires
from archive.views.api_links import NOT_LOGGED_IN, READ_ONLY, body_of
from archive.views.intake import MAX_IMPORT_BYTES
from archive.web import get_db, request_json
from schemas.api_writes import ImportedSchema, ImportRefusedSchema, TestimonyAddedSchema

bp = Blueprint("api_intake", __name__, url_prefix="/api", description="Add testimonies: one, or a batch.")


@bp.route("/testimonies")
class Testimonies(MethodView):
    decorators = [requires("add_testimony")]

    @bp.doc(requestBody=body_of("ImportRow"))
    @bp.response(201, TestimonyAddedSchema, headers={"Location": {"description": "The testimony's URL.",
                                                                  "schema": {"type": "string"}}})
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    @bp.alt_response(403, description="Your role may not add testimonies (coders, reviewers and admins may), "
                                      "or " + READ_ONLY)
    @bp.alt_response(409, description="The statement is already in the archive, or the reference is taken: "
                                      "`errors.json` names each.")
    @bp.alt_response(422, description="A field is wrong: `errors.json` names each.")
    def post(self):
        """Add one testimony: a record with the fields of an import row (`ImportRow`, docs/user-guide.md),
        validated and stored as the intake form stores it, with its history and audit entry. The witness's
        name and contact may be sent; they are kept apart and never answered."""
        record = request_json()
        if not isinstance(record, dict):
            abort(422, message=say("send the testimony as a JSON object (Content-Type: application/json)"),
                  errors={"json": {"_schema": [say("a JSON object is required")]}})
        db = get_db()
        try:
            stored = intake.add_testimony(db, record, service.load_codebook(), current_user()["name"],
                                          "added through the API")
        except intake.TestimonyRejected as err:
            abort(409 if err.conflict else 422, message=str(err), errors={"json": err.problems})
        coding.reindex(db, stored.testimony_id)
        testimony = store.get_testimony(db, stored.reference)
        location = url_for("api.Testimony", reference=stored.reference)
        return {key: testimony[key] for key in TestimonyAddedSchema.FIELDS}, 201, {"Location": location}


@bp.route("/imports")
class Imports(MethodView):
    decorators = [requires("add_testimony")]

    @bp.doc(requestBody=body_of("ImportRow", array=True))
    @bp.response(201, ImportedSchema)
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    @bp.alt_response(403, description="Your role may not add testimonies, or " + READ_ONLY)
    @bp.alt_response(413, description="The body is larger than the archive takes.")
    @bp.alt_response(409, schema=ImportRefusedSchema, description="Nothing was imported: the records' "
                     "references are already in the archive (`errors.rows` names each).")
    @bp.alt_response(422, schema=ImportRefusedSchema, description="Nothing was imported: `errors.rows` lists "
                     "every problem by row (from 1) and field, as `archive import` reports them.")
    def post(self):
        """Import a batch: a JSON array of records in the import file's shape (each an `ImportRow`, with
        `incidents` if it names some), exactly as `archive import FILE.json` imports it: every record is
        checked before anything is written, and one wrong record refuses the whole batch. A record whose
        statement is already in the archive is skipped (`duplicates`). Recorded as one import batch, in
        history and the audit log."""
        if not request.is_json:
            abort(422, message=say("send the records as a JSON array (Content-Type: application/json)"),
                  errors={"rows": [], "truncated": False})
        data_dir = current_app.config["DATA_DIR"]
        folder = tempfile.mkdtemp(prefix="import-", dir=data_dir.root)  # a purge clears leftovers, as the page's
        try:
            path = os.path.join(folder, "api-import.json")  # the batch's file name, in history and the audit log
            with open(path, "wb") as written:
                shutil.copyfileobj(request.stream, written, 1 << 20)
                if written.tell() > MAX_IMPORT_BYTES:
                    abort(413, message=say("the body is larger than %(limit)s bytes", limit=MAX_IMPORT_BYTES))
            try:
                report = service.import_file(data_dir, path, current_user()["name"])
            except intake.ImportRejected as err:
                abort(409 if err.conflict else 422, message=str(err), errors={
                    "rows": [{"row": row, "field": field, "reason": reason} for row, field, reason in err.problems],
                    "truncated": err.truncated})
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return {"batch": report.batch, "rows": report.rows, "imported": report.references,
                "duplicates": [{"row": row, "reference": reference} for row, reference in report.duplicates],
                "unknown_places": [{"row": row, "place": place} for row, place in report.unknown_places],
                "incidents_recorded": report.incidents_recorded, "incidents_linked": report.incidents_linked}, 201
