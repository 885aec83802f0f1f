"""The accept and dismiss forms of a suggestion: which one (kind and value), and why."""
from marshmallow import EXCLUDE, validate

from archive.coding.suggestions import KINDS
from schemas import validators
from schemas.base import Schema


class SuggestionChoiceSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # csrf_token and the submit button

    kind = validators.Text(required=True, validate=validate.OneOf(KINDS))
    value = validators.Text(required=True, validate=[validate.Length(min=1, max=100), validators.no_hidden_characters])
    reason = validators.Text(load_default=None, validate=[validate.Length(max=500), validators.no_hidden_characters])
    next = validators.Text(load_default=None, validate=validate.Length(max=500))
