"""A testimony as the API shows it: pseudonymous witness, codes; never the identifying fields."""
from marshmallow import fields

from schemas.base import Schema
from schemas.search import CodeSchema, StatedIncidentSchema


class WitnessSchema(Schema):
    pseudonym = fields.String(allow_none=True)
    gender = fields.String(allow_none=True)
    age = fields.Integer(allow_none=True)
    age_band = fields.String(allow_none=True)
    nationality = fields.String(allow_none=True, metadata={"description": "ISO 3166-1 alpha-2."})
    minor = fields.Boolean(allow_none=True)


class TestimonySchema(Schema):
    reference = fields.String(required=True)
    title = fields.String(allow_none=True)
    text = fields.String(required=True)
    language = fields.String(allow_none=True, metadata={
        "description": "ISO 639-1, as stated at intake or as a coder corrected it; null when none was stated."})
    language_detected = fields.String(allow_none=True, metadata={
        "description": "When no language was stated: the one a detector read the statement in (ISO 639-1), "
                       "`und` when it could not tell (too short, or in several languages), null when not read. "
                       "The statement is searched in `language`, else in this one."})
    interview_date = fields.String(allow_none=True)
    interviewer = fields.String(allow_none=True)
    organisation = fields.String(allow_none=True)
    source = fields.String(allow_none=True)
    sha256 = fields.String(required=True, metadata={"description": "SHA-256 of `text`, to check it was not altered."})
    confidentiality = fields.String(required=True)
    consent = fields.String(required=True)
    status = fields.String(required=True)
    created_at = fields.String(required=True)
    updated_at = fields.String(required=True)
    witness = fields.Nested(WitnessSchema, allow_none=True)
    incident = fields.Nested(StatedIncidentSchema, allow_none=True,
                             metadata={"description": "The incident as stated at intake (place, date, perpetrators)."})
    codes = fields.List(fields.Nested(CodeSchema), required=True)
