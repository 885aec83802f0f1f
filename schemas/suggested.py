"""The JSON API's answer of suggestions for a testimony (GET /api/testimonies/<reference>/suggestions)."""
from marshmallow import fields, validate

from schemas.base import Schema


class SuggestionSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(["abuse_type", "place", "date"]))
    value = fields.String(required=True, metadata={"description": "Abuse type id, place id, or an EDTF date."})
    label = fields.String(required=True)
    trigger = fields.String(required=True, metadata={"description": "The term, spelling or date form that matched."})
    start = fields.Integer(required=True, metadata={"description": "text[start:end] is the triggering passage."})
    end = fields.Integer(required=True)
    passage = fields.String(required=True, metadata={"description": "The sentence around it: the evidence."})
    passage_start = fields.Integer(required=True)
    count = fields.Integer(required=True, metadata={"description": "Occurrences of this value in the text."})


class PerpetratorSuggestionSchema(Schema):
    value = fields.String(required=True, metadata={"description": "A unit id where the text names the unit, "
                                                                  "else the side's id."})
    label = fields.String(required=True)
    side = fields.String(required=True, metadata={"description": "The state (or other side) responsible."})
    unit = fields.String(allow_none=True)
    start = fields.Integer(required=True, metadata={"description": "text[start:end] are the words naming them."})
    end = fields.Integer(required=True)
    passage = fields.String(required=True, metadata={"description": "The sentence: the evidence."})
    passage_start = fields.Integer(required=True)


class SuggestionsSchema(Schema):
    reference = fields.String(required=True)
    language = fields.String(allow_none=True, metadata={
        "description": "The language the statement was read in: as stated, else as detected; null for neither."})
    suggestions = fields.List(fields.Nested(SuggestionSchema), required=True, metadata={
        "description": "Abuse types, places and dates the statement's words suggest, skipping what it only reports "
                       "(hearsay, conditions), denies, compares with or uses as a name. Nothing is coded: a coder "
                       "accepts or dismisses each on the testimony's page."})
    perpetrators = fields.List(fields.Nested(PerpetratorSuggestionSchema), required=True)
