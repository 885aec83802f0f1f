"""The shape of an export: each testimony's record (the JSON export's `records`, one CSV row per
testimony or per code) and the export's own description. Published in /api/openapi.json as
`ExportRecord` and `ExportDocument`."""
from marshmallow import fields, validate

from schemas import validators
from schemas.base import Schema
from schemas.incident_read import CountsSchema, ExportIncidentSchema, IncidentRefSchema
from schemas.search import DateSchema, LabelledSchema, PassageSchema, PlaceSchema, StatedIncidentSchema
from schemas.testimony import WitnessSchema

FORMATS = ("csv", "json", "pdf", "qdpx")
PER = ("testimony", "code")


class ExportPerpetratorSchema(LabelledSchema):
    side = fields.String(required=True, metadata={"description": "The state side or non-state actor (`PL`, "
                                                                 "`BY`, `smugglers`)."})


class ExportCodeSchema(Schema):
    id = fields.Integer(required=True)
    abuse_type = fields.String(allow_none=True, metadata={"description": "Codebook abuse-type id."})
    label = fields.String(required=True, metadata={"description": "The abuse type's codebook label."})
    perpetrators = fields.List(fields.Nested(ExportPerpetratorSchema), required=True)
    place = fields.Nested(PlaceSchema, allow_none=True)
    date = fields.Nested(DateSchema, allow_none=True)
    legal = fields.List(fields.Nested(LabelledSchema), required=True,
                        metadata={"description": "Legal provisions the abuse type engages (codebook)."})
    passage = fields.Nested(PassageSchema, allow_none=True,
                            metadata={"description": "The supporting passage, with redactions applied; "
                                                     "offsets are into the statement as archived."})
    victims = fields.Integer(allow_none=True)
    minors = fields.Integer(allow_none=True)


class WitnessIdentitySchema(Schema):
    name = fields.String(allow_none=True)
    contact = fields.String(allow_none=True)


class ExportRecordSchema(Schema):
    """One testimony as it may leave the archive."""
    reference = fields.String(required=True)
    title = fields.String(allow_none=True)
    language = fields.String(allow_none=True, metadata={
        "description": "The language the statement is written in, as stated (ISO 639-1), or null."})
    language_detected = fields.String(allow_none=True, metadata={
        "description": "When no language was stated at intake: the one the archive read the statement to be in "
                       "(ISO 639-1), or 'und' when it could not tell; kept when a coder states one later. Null when "
                       "a language was stated at intake."})
    interview_date = fields.String(allow_none=True)
    organisation = fields.String(allow_none=True)
    source = fields.String(allow_none=True)
    consent = fields.String(required=True, validate=validate.OneOf(["legal", "publication"]))
    confidentiality = fields.String(required=True)
    status = fields.String(required=True)
    witness = fields.Nested(WitnessSchema, required=True)
    identity = fields.Nested(WitnessIdentitySchema, allow_none=True, metadata={
        "description": "Only when the export asked for identities, the exporter's role may read them and the "
                       "witness's consent covers it; otherwise null."})
    small_group = fields.Boolean(required=True, metadata={
        "description": "True when fewer than 3 witnesses in the archive share this witness's nationality, age "
                       "band and incident month: the combination could single them out."})
    incident_date = fields.Nested(DateSchema, allow_none=True, metadata={
        "description": "The earliest incident: of the codes, else as stated at intake."})
    places = fields.List(fields.String(), required=True, metadata={
        "description": "The codes' places and the place stated at intake."})
    incident = fields.Nested(StatedIncidentSchema, allow_none=True, metadata={
        "description": "The incident as the intake stated it (place, date, perpetrators), or null."})
    codes = fields.List(fields.Nested(ExportCodeSchema), required=True)
    incidents = fields.List(fields.Nested(IncidentRefSchema), required=True, metadata={
        "description": "The incidents this testimony is a source of (the document's `incidents` describe them)."})
    sha256 = fields.String(required=True, metadata={
        "description": "SHA-256 of the statement as archived (UTF-8, NFC); `archive verify` recomputes it."})
    redactions = fields.Integer(required=True, metadata={"description": "Redacted passages in the statement."})
    text = fields.String(required=True, metadata={"description": "The statement, each redaction as [redacted]."})
    text_sha256 = fields.String(required=True, metadata={
        "description": "SHA-256 of `text` as exported; equal to `sha256` when nothing is redacted."})


class ExportDocumentSchema(Schema):
    """The JSON export: what was exported, by whom, and the records."""
    title = fields.String(required=True)
    exported_at = fields.String(required=True)
    exported_by = fields.String(required=True)
    search = fields.Dict(allow_none=True, metadata={"description": "{q, filters, from, to, sort, words} of the search."})
    case_file = fields.Dict(allow_none=True, metadata={"description": "{id, name} of the case file."})
    count = fields.Integer(required=True)
    left_out = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True, metadata={
        "description": "Selected testimonies not exported, by reason: internal, withdrawn, not_open."})
    warnings = fields.List(fields.String(), required=True)
    codebook_version = fields.String(required=True)
    summary = fields.Nested(CountsSchema, required=True, metadata={
        "description": "Testimonies, incidents and people of these records, in total and per perpetrator side, "
                       "abuse type, place and month, as the statistics page and the PDF give them."})
    incidents = fields.List(fields.Nested(ExportIncidentSchema), required=True, metadata={
        "description": "Every incident a record is a source of, with its legs."})
    records = fields.List(fields.Nested(ExportRecordSchema), required=True)


class ExportOptionsSchema(Schema):
    """The export form's options (the search itself comes as the search page's parameters)."""
    format = validators.Text(required=True, validate=validate.OneOf(FORMATS))
    per = validators.Text(load_default="testimony", validate=validate.OneOf(PER))
    bom = fields.Boolean(load_default=False)
    identify = fields.Boolean(load_default=False)
    statements = fields.Boolean(load_default=False)


class CaseFileNameSchema(Schema):
    name = validators.Text(required=True, validate=[validate.Length(min=1, max=120), validators.no_hidden_characters])


class CaseFileChangeSchema(Schema):
    """Ticked results to add to a case file (an existing one, or a new one by name) or to remove."""
    case_file = fields.Integer(load_default=None)
    new_name = validators.Text(load_default="", validate=[validate.Length(max=120), validators.no_hidden_characters])
    reference = fields.List(validators.Text(validate=validators.reference), load_default=list,
                            validate=validate.Length(max=1000))


class CaseFileShareSchema(Schema):
    """Whom the owner shares a case file with: an account name."""
    account = validators.Text(required=True, validate=[validate.Length(min=1, max=64), validators.no_hidden_characters])


class AssignTickedSchema(Schema):
    """Ticked search results to assign to coders for double coding (the search page's bulk action)."""
    reference = fields.List(validators.Text(validate=validators.reference), load_default=list,
                            validate=validate.Length(max=500))
    coder = fields.List(validators.Text(validate=validate.Length(min=1, max=64)), load_default=list,
                        validate=validate.Length(max=20))
    reason = validators.Text(load_default="", validate=[validate.Length(max=500), validators.no_hidden_characters])
    next = validators.Text(load_default="", validate=validate.Length(max=2000))
