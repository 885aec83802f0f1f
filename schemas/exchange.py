"""The REFI-QDA exchange's forms: an admin's decisions for a foreign codebook's codes (archive/views/exchange.py)."""
from marshmallow import fields, validate

from archive.i18n import N_
from schemas import validators
from schemas.base import Schema

GUID = r"^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$"


class CodeDecisionSchema(Schema):
    """One foreign code as the mapping form sends it back, with what the admin chose for it."""
    guid = validators.Text(required=True, validate=validate.Regexp(GUID, error=N_("is not a GUID")))
    name = validators.Text(required=True, validate=[validate.Length(min=1, max=300), validators.no_hidden_characters])
    path = validators.Text(load_default="", validate=[validate.Length(max=2000), validators.no_hidden_characters])
    decision = validators.Text(load_default="", validate=validate.Length(max=200))


class CodeDecisionsSchema(Schema):
    codes = fields.List(fields.Nested(CodeDecisionSchema), required=True, validate=validate.Length(min=1, max=5000))
