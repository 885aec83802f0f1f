"""What the API's writes take and answer (archive/views/api_intake.py, api_codes.py,
api_case_file_writes.py, api_exports.py), around the schemas the pages already load with: an intake
body is an `ImportRowSchema` record, a code a `CodeSchema`, an export's options `ExportOptionsSchema`'s.

Nothing here answers a witness's name or contact: an intake's answer is the testimony as
`GET /api/testimonies/<reference>` gives it (the witness by pseudonym), and an import's refusal names
rows and fields only, as the import's own problems do."""
from marshmallow import RAISE, fields, validate

from schemas import validators
from schemas.base import Schema
from schemas.export import ExportOptionsSchema
from schemas.reason import MAX_REASON
from schemas.search import SearchArgsSchema


class TestimonyAddedSchema(Schema):
    """A testimony just added; `GET /api/testimonies/<reference>` (the Location) reads it whole."""
    FIELDS = ("reference", "title", "language", "status", "consent", "confidentiality")
    reference = fields.String(required=True)
    title = fields.String(allow_none=True)
    language = fields.String(allow_none=True)
    status = fields.String(required=True)
    consent = fields.String(required=True)
    confidentiality = fields.String(required=True)


class ImportProblemSchema(Schema):
    row = fields.Integer(allow_none=True, metadata={"description": "The record's number, from 1 (null: the body)."})
    field = fields.String(allow_none=True, metadata={"description": "The field as the record names it (null: the "
                                                                    "row)."})
    reason = fields.String(required=True)


class ImportRefusedErrorsSchema(Schema):
    rows = fields.List(fields.Nested(ImportProblemSchema), required=True)
    truncated = fields.Boolean(required=True, metadata={"description": "More problems than the 1,000 listed."})


class ImportRefusedSchema(Schema):
    """A batch refused as a whole: nothing was imported; every problem by row and field."""
    code = fields.Integer(required=True)
    status = fields.String(required=True)
    message = fields.String(required=True)
    errors = fields.Nested(ImportRefusedErrorsSchema, required=True)


class RowReferenceSchema(Schema):
    row = fields.Integer(required=True)
    reference = fields.String(required=True)


class RowPlaceSchema(Schema):
    row = fields.Integer(required=True)
    place = fields.String(required=True, metadata={"description": "The place as written, not in the gazetteer."})


class ImportedSchema(Schema):
    """What a batch brought in (all of it, or nothing: then the answer is a 422)."""
    batch = fields.Integer(required=True, metadata={"description": "The import batch's number (history, audit log)."})
    rows = fields.Integer(required=True)
    imported = fields.List(fields.String(), required=True, metadata={
        "description": "References of the testimonies added, in the body's order."})
    duplicates = fields.List(fields.Nested(RowReferenceSchema), required=True, metadata={
        "description": "Records whose statement the archive already held, with the reference holding it."})
    unknown_places = fields.List(fields.Nested(RowPlaceSchema), required=True)
    incidents_recorded = fields.List(fields.String(), required=True, metadata={
        "description": "The organisation's ids of the incidents this batch recorded."})
    incidents_linked = fields.List(fields.Integer(), required=True, metadata={
        "description": "Numbers of incidents already in the archive the batch's testimonies were linked to."})


class CodeWrittenSchema(Schema):
    """A code (or a redaction) added or changed."""
    reference = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(["code", "redaction"]))
    id = fields.Integer(required=True, metadata={"description": "The code's (or redaction's) number."})
    changed = fields.List(fields.String(), metadata={"description": "The fields an edit changed (none: nothing)."})


class RemovalReasonSchema(Schema):
    """Why a code is removed: kept in the testimony's history for good."""
    class Meta:
        unknown = RAISE

    reason = validators.Text(required=True, validate=[validate.Length(min=1, max=MAX_REASON),
                                                      validators.no_hidden_characters],
                             metadata={"pattern": validators.SAID_PATTERN})


class NewCaseFileSchema(Schema):
    class Meta:
        unknown = RAISE

    name = validators.Text(required=True, validate=[validate.Length(min=1, max=120), validators.no_hidden_characters],
                           metadata={"pattern": validators.VISIBLE_PATTERN})
    references = fields.List(validators.reference_field(), load_default=list,
                             validate=validate.Length(max=1000),
                             metadata={"description": "Testimonies to put in at once (those you may not open are "
                                                      "silently not there)."})


class CaseFileTestimoniesSchema(Schema):
    class Meta:
        unknown = RAISE

    references = fields.List(validators.reference_field(), required=True,
                             validate=validate.Length(min=1, max=1000))


class CaseFileWrittenSchema(Schema):
    """A case file after a write: the testimonies in it that you may open, and how many others."""
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    created_by = fields.String(required=True)
    testimonies = fields.List(fields.String(), required=True)
    hidden = fields.Integer(required=True, metadata={"description": "Testimonies in it you may not open."})
    changed = fields.Integer(required=True, metadata={
        "description": "Testimonies this request put in or took out (those you may open only)."})


class ExportRequestSchema(ExportOptionsSchema):
    """An export: the export form's options, and what to export (a case file, or a search)."""
    class Meta:
        unknown = RAISE

    bom = validators.JsonBoolean(load_default=False, metadata={"description": "CSV: UTF-8 with BOM, for Excel."})
    identify = validators.JsonBoolean(load_default=False, metadata={
        "description": "Witness name and contact, where your role and the witness's consent allow (else 403)."})
    statements = validators.JsonBoolean(load_default=False, metadata={"description": "PDF: the full statements."})
    case_file = fields.Integer(load_default=None, allow_none=True, metadata={
        "description": "Export this case file (one you may open); else the search."})
    search = fields.Nested(SearchArgsSchema, load_default=None, allow_none=True, metadata={
        "description": "The parameters of `GET /api/search` (facets as lists): its results are exported, all "
                       "pages. Neither this nor `case_file`: every testimony you may open."})


class ExportJobSchema(Schema):
    """An export job: `running`, then `done` (download `file`, once), `downloaded`, `failed` or `expired`."""
    id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(
        ["running", "done", "downloaded", "failed", "expired"]))
    format = fields.String(required=True)
    records = fields.Integer(required=True, metadata={"description": "Testimonies in the export."})
    progress = fields.String(allow_none=True, metadata={"description": "How far it has come, in words."})
    warnings = fields.List(fields.String(), required=True, metadata={
        "description": "What the file says of itself: testimonies left out and why, small groups."})
    error = fields.String(allow_none=True)
    file = fields.String(allow_none=True, metadata={"description": "Where to download the file, once it is done."})
    name = fields.String(allow_none=True, metadata={"description": "What the file is called."})
    sha256 = fields.String(allow_none=True)
    export = fields.Integer(allow_none=True, metadata={"description": "The export record's number (audit log)."})
    removed_at = fields.String(allow_none=True, metadata={
        "description": "When a finished file not downloaded is removed."})
