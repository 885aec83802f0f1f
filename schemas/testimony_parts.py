"""A testimony's parts as the API gives them: its codes with their passages (GET …/codes) and its history
in words (GET …/history), each by the testimony page's rules for the reader's role."""
from marshmallow import fields, validate

from schemas.base import Schema
from schemas.search import CodeSchema

STAGES = ("coded", "blind", "superseded")


class CodeReadSchema(CodeSchema):
    """A code as the testimony page lists it: what it says, the passage it is tied to, whose it is."""
    coder = fields.String(required=True, metadata={"description": "The account that made it."})
    stage = fields.String(required=True, validate=validate.OneOf(STAGES), metadata={
        "description": "`coded`: the testimony's coding. `blind`: a double coder's, before settling. `superseded`: "
                       "kept from a settled double coding. Only reviewers see the last two, and an assigned coder "
                       "their own blind codes."})
    note = fields.String(allow_none=True)
    victims = fields.Integer(allow_none=True)
    minors = fields.Integer(allow_none=True)
    updated_at = fields.String(required=True)


class SpanSchema(Schema):
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)


class TestimonyCodesSchema(Schema):
    reference = fields.String(required=True)
    sha256 = fields.String(required=True, metadata={"description": "Of the statement the offsets count in."})
    codes = fields.List(fields.Nested(CodeReadSchema), required=True, metadata={
        "description": "In reading order (by passage start); codes awaiting a passage last. Offsets are code "
                       "points into the statement (`GET /api/testimonies/{reference}`'s `text`)."})
    redactions = fields.List(fields.Nested(SpanSchema), required=True, metadata={
        "description": "Passages marked identifying: every export leaves them out. Offsets only."})


class PieceSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(["text", "strong", "quoted"]), metadata={
        "description": "`strong`: what the sentence is about (a code's label); `quoted`: words a person wrote "
                       "(a passage, a title, a reason). Plain text all: escape it before display."})
    text = fields.String(required=True)


class SaidSchema(Schema):
    text = fields.String(required=True, metadata={"description": "The sentence as plain text."})
    pieces = fields.List(fields.Nested(PieceSchema), required=True)


class HistoryItemSchema(Schema):
    at = fields.String(required=True, metadata={"description": "When (ISO 8601, UTC)."})
    actor = fields.String(required=True)
    reason = fields.String(allow_none=True, metadata={"description": "The person's own words, if they gave any."})
    sentence = fields.Nested(SaidSchema, required=True)
    details = fields.List(fields.Nested(SaidSchema), required=True)
    entries = fields.Integer(required=True, metadata={"description": "History entries it stands for (made together)."})


class TestimonyHistorySchema(Schema):
    reference = fields.String(required=True)
    history = fields.List(fields.Nested(HistoryItemSchema), required=True, metadata={"description": "Newest first."})
