"""Case files as the API gives them: the reader's own and those shared with them (a page at a time), and one
case file with its testimonies (a page at a time), by the case-file pages' rules (access.CASE_FILE_RULES)."""
from marshmallow import fields

from schemas.base import Schema
from schemas.paging import PageArgsSchema, next_cursor


class CaseFileSummarySchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    created_by = fields.String(required=True, metadata={"description": "Its owner's account."})
    created_at = fields.String(required=True)
    updated_at = fields.String(required=True)
    testimonies = fields.Integer(required=True, metadata={
        "description": "Testimonies in it, those you may not open included (as the list of case files counts)."})


class CaseFileListSchema(Schema):
    case_files = fields.List(fields.Nested(CaseFileSummarySchema), required=True, metadata={
        "description": "Yours and those shared with you, by number: oldest first."})
    next = next_cursor("case files")


class CaseFileTestimonySchema(Schema):
    reference = fields.String(required=True)
    title = fields.String(allow_none=True)
    language = fields.String(allow_none=True)
    status = fields.String(required=True)
    confidentiality = fields.String(required=True)
    exportable = fields.Boolean(required=True, metadata={
        "description": "The witness consented to legal use or publication: exports hold it."})
    added_by = fields.String(required=True)
    added_at = fields.String(required=True)


class CaseFileSchema(CaseFileSummarySchema):
    owner = fields.Boolean(required=True, metadata={"description": "You own it (you may rename and share it)."})
    shared_with = fields.List(fields.String(), required=True, metadata={"description": "Accounts it is shared with."})
    results = fields.List(fields.Nested(CaseFileTestimonySchema), required=True, metadata={
        "description": "A page of its testimonies that you may open, by their number in the archive."})
    hidden = fields.Integer(required=True, metadata={
        "description": "Its testimonies you may not open (their consent or confidentiality): counted, never named."})
    next = next_cursor("testimonies")


class CaseFilePageArgsSchema(PageArgsSchema):
    """`cursor` and `limit` of its testimonies."""
